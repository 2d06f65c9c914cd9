//! `/task …`: creating and managing tasks (coordinators and the manager).

use std::time::Duration;

use poise::serenity_prelude as serenity;

use super::{act, in_time, lang, reply_private, require_coordinator};
use crate::bot::{Context, Error};
use crate::domain::ids::{DiscordId, RoundId, TaskId};
use crate::domain::task::{TaskDraft, TaskStatus};
use crate::present::discord::message_link;
use crate::present::{self, format};
use crate::service::edits::{self, TaskEdit};
use crate::service::tasks;
use crate::service::{Desk, DeskEvent, Refusal, refuse};

/// How long the reply waits for the survey post before saying it will follow.
const POST_WAIT: Duration = Duration::from_secs(8);

/// Create and manage tasks
#[poise::command(
    slash_command,
    guild_only,
    subcommands(
        "task_new",
        "task_show",
        "task_list",
        "task_assign",
        "task_unassign",
        "task_done",
        "task_cancel",
        "task_external",
        "task_edit"
    )
)]
pub async fn task(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Competences of the catalog matching what was typed (at most 25, Discord's limit).
pub(crate) async fn autocomplete_competence(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let lang = lang(ctx);
    let catalog = &ctx.data().config.catalog;
    let choices = catalog
        .autocomplete(partial, 25)
        .into_iter()
        .map(|c| {
            let label = format!("{} ({})", c.name_in(lang.tag()), format::area(lang, c.area));
            serenity::AutocompleteChoice::new(present::discord::cut(&label, 100), c.key.clone())
        })
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Waits until the round's survey post is out; where it is, or none after `POST_WAIT`.
async fn wait_for_post(desk: &Desk, round_id: RoundId) -> Option<(DiscordId, DiscordId)> {
    // Subscribed before looking, so a post that goes out in between is not missed.
    let mut events = desk.events.subscribe();
    if let Ok(Some(post)) = crate::service::survey::post_of_round(desk, round_id).await {
        return Some(post);
    }
    let wait = async {
        loop {
            match events.recv().await {
                Ok(DeskEvent::SurveyPosted {
                    round_id: r,
                    channel,
                    message,
                }) if r == round_id => return Some((channel, message)),
                Ok(_) => {}
                // Missed events (a burst): look at the state again.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    if let Ok(Some(post)) =
                        crate::service::survey::post_of_round(desk, round_id).await
                    {
                        return Some(post);
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    };
    tokio::time::timeout(POST_WAIT, wait).await.ok().flatten()
}

/// Create a client task and ask the fitting VPAs
#[poise::command(slash_command, guild_only, rename = "new")]
#[allow(clippy::too_many_arguments)]
pub async fn task_new(
    ctx: Context<'_>,
    #[max_length = 100] client: String,
    #[autocomplete = "autocomplete_competence"]
    #[max_length = 100]
    competence: String,
    hours: f64,
    #[max_length = 30] deadline: String,
    new_client: Option<bool>,
    recurring: Option<bool>,
    #[max_length = 1024] description: Option<String>,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    // Ranking and storing are fast, but Discord allows 3 s: acknowledge first.
    ctx.defer_ephemeral().await?;
    let desk = ctx.data();
    let lang = lang(ctx);
    let draft = TaskDraft {
        client,
        competence,
        hours,
        deadline,
        new_client,
        recurring: recurring.unwrap_or(false),
        description,
    };
    let created = tasks::create_task(desk, &draft, &act(ctx)).await?;
    if created.surveyed == 0 {
        return reply_private(ctx, present::tasks::nobody_fits(lang, created.task_id)).await;
    }
    reply_private(ctx, present::tasks::created(lang, &created, None)).await?;
    // The outbox worker posts the survey; link it here once it is out.
    let text = match wait_for_post(desk, created.round_id).await {
        Some((channel, message)) => {
            let link = message_link(desk.config.settings.discord.guild_id.0, channel, message);
            present::tasks::created(lang, &created, Some(&link))
        }
        None => present::tasks::post_delayed(lang, &created),
    };
    reply_private(ctx, text).await
}

/// Show a task
#[poise::command(slash_command, guild_only, rename = "show")]
pub async fn task_show(ctx: Context<'_>, #[min = 1] id: i64) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let desk = ctx.data();
    let details = tasks::details(desk, TaskId(id)).await?;
    let lang = lang(ctx);
    let message = present::Message {
        content: present::tasks::details(lang, &desk.config, &details),
        components: vec![present::surveys::left_out_button(lang, TaskId(id))],
        ..present::Message::default()
    };
    crate::bot::reply::private(ctx, message).await
}

/// Open demand, oldest first, by area
#[poise::command(slash_command, guild_only, rename = "list")]
pub async fn task_list(ctx: Context<'_>) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let desk = ctx.data();
    let open = tasks::open_demand(desk).await?;
    reply_private(ctx, present::tasks::list(lang(ctx), &desk.config, &open)).await
}

/// Assign a task to a VPA
#[poise::command(slash_command, guild_only, rename = "assign")]
pub async fn task_assign(
    ctx: Context<'_>,
    #[min = 1] id: i64,
    vpa: serenity::User,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let who = DiscordId(vpa.id.get());
    match in_time(
        ctx,
        tasks::assign(ctx.data(), TaskId(id), who, false, &act(ctx)),
    )
    .await
    {
        Ok(assigned) => reply_private(ctx, present::tasks::assigned(lang(ctx), &assigned)).await,
        // An answer an edit outdated: ask first, with the button that assigns anyway.
        Err(crate::service::Error::Refused(Refusal::OutdatedAnswer { task, vpa, reasons })) => {
            let catalog = &ctx.data().config.catalog;
            let message = present::edits::assign_outdated(lang(ctx), catalog, &task, vpa, &reasons);
            crate::bot::reply::private(ctx, message).await
        }
        Err(e) => Err(e),
    }
}

/// Take a task back from a VPA
#[poise::command(slash_command, guild_only, rename = "unassign")]
pub async fn task_unassign(
    ctx: Context<'_>,
    #[min = 1] id: i64,
    vpa: serenity::User,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let who = DiscordId(vpa.id.get());
    let status = in_time(ctx, tasks::unassign(ctx.data(), TaskId(id), who, &act(ctx))).await?;
    reply_private(
        ctx,
        present::tasks::unassigned(lang(ctx), TaskId(id), who, status),
    )
    .await
}

/// Mark a task as done
#[poise::command(slash_command, guild_only, rename = "done")]
pub async fn task_done(ctx: Context<'_>, #[min = 1] id: i64) -> Result<(), Error> {
    require_coordinator(ctx)?;
    in_time(
        ctx,
        tasks::close(ctx.data(), TaskId(id), TaskStatus::Done, None, &act(ctx)),
    )
    .await?;
    reply_private(
        ctx,
        present::tasks::closed(lang(ctx), TaskId(id), TaskStatus::Done),
    )
    .await
}

/// Mark a task as given to an external provider (with a note)
#[poise::command(slash_command, guild_only, rename = "external")]
pub async fn task_external(
    ctx: Context<'_>,
    #[min = 1] id: i64,
    #[max_length = 500] note: String,
) -> Result<(), Error> {
    close_with_note(ctx, id, TaskStatus::External, &note).await
}

/// Closes a task with a note a coordinator typed (1 to `MAX_CANCEL_REASON` characters: the
/// provider for `External`, the reason for `Cancelled`), and says so.
async fn close_with_note(
    ctx: Context<'_>,
    id: i64,
    to: TaskStatus,
    note: &str,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let note = note.trim();
    if note.is_empty() || note.chars().count() > MAX_CANCEL_REASON {
        let max = MAX_CANCEL_REASON;
        return refuse(if to == TaskStatus::External {
            Refusal::ExternalNoteInvalid { max }
        } else {
            Refusal::CancelReasonInvalid { max }
        });
    }
    in_time(
        ctx,
        tasks::close(ctx.data(), TaskId(id), to, Some(note), &act(ctx)),
    )
    .await?;
    reply_private(ctx, present::tasks::closed(lang(ctx), TaskId(id), to)).await
}

/// Longest cancel reason.
const MAX_CANCEL_REASON: usize = 500;

/// Cancel a task (with a reason)
#[poise::command(slash_command, guild_only, rename = "cancel")]
pub async fn task_cancel(
    ctx: Context<'_>,
    #[min = 1] id: i64,
    #[max_length = 500] reason: String,
) -> Result<(), Error> {
    close_with_note(ctx, id, TaskStatus::Cancelled, &reason).await
}

/// Change a task: deadline (after asking the client), hours, competence, new client, description
#[poise::command(slash_command, guild_only, rename = "edit")]
#[allow(clippy::too_many_arguments)]
pub async fn task_edit(
    ctx: Context<'_>,
    #[min = 1] id: i64,
    #[max_length = 30] deadline: Option<String>,
    hours: Option<f64>,
    #[autocomplete = "autocomplete_competence"]
    #[max_length = 100]
    competence: Option<String>,
    new_client: Option<bool>,
    #[max_length = 1024] description: Option<String>,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let edit = TaskEdit {
        deadline,
        hours,
        competence,
        new_client,
        description,
    };
    let outcome = in_time(ctx, edits::edit(ctx.data(), TaskId(id), &edit, &act(ctx))).await?;
    let message = present::edits::outcome(lang(ctx), &ctx.data().config, &outcome);
    crate::bot::reply::private(ctx, message).await
}
