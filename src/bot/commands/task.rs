//! `/task …`: creating and managing tasks (coordinators and the manager).

use std::time::Duration;

use poise::serenity_prelude as serenity;

use super::{act, lang, reply_private, require_coordinator};
use crate::bot::{Context, Error};
use crate::domain::ids::{DiscordId, RoundId, TaskId};
use crate::domain::task::{TaskDraft, TaskStatus};
use crate::present::discord::message_link;
use crate::present::{self, format};
use crate::service::tasks::{self, TaskEdit};
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
        "task_edit"
    ),
    name_localized("de", "aufgabe"),
    description_localized("de", "Aufgaben anlegen und verwalten")
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
#[poise::command(
    slash_command,
    guild_only,
    rename = "new",
    name_localized("de", "neu"),
    description_localized("de", "Neue Kundenaufgabe anlegen und passende VPAs anfragen")
)]
#[allow(clippy::too_many_arguments)]
pub async fn task_new(
    ctx: Context<'_>,
    #[description = "Client (name or short code; VPAs don't see it)"]
    #[description_localized("de", "Kunde (Name oder Kürzel; VPAs sehen ihn nicht)")]
    #[name_localized("de", "kunde")]
    client: String,
    #[description = "Competence from the catalog"]
    #[description_localized("de", "Kompetenz aus dem Katalog")]
    #[name_localized("de", "kompetenz")]
    #[autocomplete = "autocomplete_competence"]
    competence: String,
    #[description = "Estimated hours (per week for an ongoing task)"]
    #[description_localized("de", "Geschätzte Stunden (bei laufenden Aufgaben pro Woche)")]
    #[name_localized("de", "stunden")]
    hours: f64,
    #[description = "Deadline: YYYY-MM-DD or DD.MM.YYYY"]
    #[description_localized("de", "Deadline: TT.MM.JJJJ oder JJJJ-MM-TT")]
    #[name_localized("de", "deadline")]
    deadline: String,
    #[description = "New client? (if not given: from the client's history)"]
    #[description_localized("de", "Neukunde? (ohne Angabe: aus der Kundenhistorie)")]
    #[name_localized("de", "neukunde")]
    new_client: Option<bool>,
    #[description = "An ongoing task with hours per week?"]
    #[description_localized("de", "Laufende Aufgabe mit Stunden pro Woche?")]
    #[name_localized("de", "laufend")]
    recurring: Option<bool>,
    #[description = "A short description for the VPAs"]
    #[description_localized("de", "Kurze Beschreibung für die VPAs")]
    #[name_localized("de", "beschreibung")]
    description: Option<String>,
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
#[poise::command(
    slash_command,
    guild_only,
    rename = "show",
    name_localized("de", "anzeigen"),
    description_localized("de", "Aufgabe ansehen")
)]
pub async fn task_show(
    ctx: Context<'_>,
    #[description = "Number of the task"]
    #[description_localized("de", "Nummer der Aufgabe")]
    #[name_localized("de", "nummer")]
    #[min = 1]
    id: i64,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let desk = ctx.data();
    let details = tasks::details(desk, TaskId(id)).await?;
    reply_private(
        ctx,
        present::tasks::details(lang(ctx), &desk.config, &details),
    )
    .await
}

/// Open demand, oldest first, by area
#[poise::command(
    slash_command,
    guild_only,
    rename = "list",
    name_localized("de", "liste"),
    description_localized("de", "Offener Bedarf, älteste zuerst, nach Bereich")
)]
pub async fn task_list(ctx: Context<'_>) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let desk = ctx.data();
    let open = tasks::open_demand(desk).await?;
    reply_private(ctx, present::tasks::list(lang(ctx), &desk.config, &open)).await
}

/// Assign a task to a VPA
#[poise::command(
    slash_command,
    guild_only,
    rename = "assign",
    name_localized("de", "vergeben"),
    description_localized("de", "Aufgabe an eine VPA vergeben")
)]
pub async fn task_assign(
    ctx: Context<'_>,
    #[description = "Number of the task"]
    #[description_localized("de", "Nummer der Aufgabe")]
    #[name_localized("de", "nummer")]
    #[min = 1]
    id: i64,
    #[description = "Which VPA"]
    #[description_localized("de", "Welche VPA")]
    vpa: serenity::User,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let assigned =
        tasks::assign(ctx.data(), TaskId(id), DiscordId(vpa.id.get()), &act(ctx)).await?;
    reply_private(ctx, present::tasks::assigned(lang(ctx), &assigned)).await
}

/// Take a task back from a VPA
#[poise::command(
    slash_command,
    guild_only,
    rename = "unassign",
    name_localized("de", "zuruecknehmen"),
    description_localized("de", "Vergabe an eine VPA zurücknehmen")
)]
pub async fn task_unassign(
    ctx: Context<'_>,
    #[description = "Number of the task"]
    #[description_localized("de", "Nummer der Aufgabe")]
    #[name_localized("de", "nummer")]
    #[min = 1]
    id: i64,
    #[description = "Which VPA"]
    #[description_localized("de", "Welche VPA")]
    vpa: serenity::User,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let who = DiscordId(vpa.id.get());
    let status = tasks::unassign(ctx.data(), TaskId(id), who, &act(ctx)).await?;
    reply_private(
        ctx,
        present::tasks::unassigned(lang(ctx), TaskId(id), who, status),
    )
    .await
}

/// Mark a task as done
#[poise::command(
    slash_command,
    guild_only,
    rename = "done",
    name_localized("de", "erledigt"),
    description_localized("de", "Aufgabe als erledigt markieren")
)]
pub async fn task_done(
    ctx: Context<'_>,
    #[description = "Number of the task"]
    #[description_localized("de", "Nummer der Aufgabe")]
    #[name_localized("de", "nummer")]
    #[min = 1]
    id: i64,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    tasks::close(ctx.data(), TaskId(id), TaskStatus::Done, None, &act(ctx)).await?;
    reply_private(
        ctx,
        present::tasks::closed(lang(ctx), TaskId(id), TaskStatus::Done),
    )
    .await
}

/// Longest cancel reason.
const MAX_CANCEL_REASON: usize = 500;

/// Cancel a task (with a reason)
#[poise::command(
    slash_command,
    guild_only,
    rename = "cancel",
    name_localized("de", "abbrechen"),
    description_localized("de", "Aufgabe abbrechen (mit Grund)")
)]
pub async fn task_cancel(
    ctx: Context<'_>,
    #[description = "Number of the task"]
    #[description_localized("de", "Nummer der Aufgabe")]
    #[name_localized("de", "nummer")]
    #[min = 1]
    id: i64,
    #[description = "Why it is cancelled"]
    #[description_localized("de", "Warum abgebrochen")]
    #[name_localized("de", "grund")]
    reason: String,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_CANCEL_REASON {
        return refuse(Refusal::CancelReasonInvalid {
            max: MAX_CANCEL_REASON,
        });
    }
    tasks::close(
        ctx.data(),
        TaskId(id),
        TaskStatus::Cancelled,
        Some(reason),
        &act(ctx),
    )
    .await?;
    reply_private(
        ctx,
        present::tasks::closed(lang(ctx), TaskId(id), TaskStatus::Cancelled),
    )
    .await
}

/// Change a task: deadline (after asking the client), hours, description
#[poise::command(
    slash_command,
    guild_only,
    rename = "edit",
    name_localized("de", "aendern"),
    description_localized(
        "de",
        "Aufgabe ändern: Deadline (nach Rücksprache), Stunden, Beschreibung"
    )
)]
pub async fn task_edit(
    ctx: Context<'_>,
    #[description = "Number of the task"]
    #[description_localized("de", "Nummer der Aufgabe")]
    #[name_localized("de", "nummer")]
    #[min = 1]
    id: i64,
    #[description = "New deadline: YYYY-MM-DD or DD.MM.YYYY"]
    #[description_localized("de", "Neue Deadline: TT.MM.JJJJ oder JJJJ-MM-TT")]
    #[name_localized("de", "deadline")]
    deadline: Option<String>,
    #[description = "New hours"]
    #[description_localized("de", "Neue Stunden")]
    #[name_localized("de", "stunden")]
    hours: Option<f64>,
    #[description = "New description"]
    #[description_localized("de", "Neue Beschreibung")]
    #[name_localized("de", "beschreibung")]
    description: Option<String>,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let edit = TaskEdit {
        deadline,
        hours,
        description,
    };
    let edited = tasks::edit(ctx.data(), TaskId(id), &edit, &act(ctx)).await?;
    reply_private(ctx, present::tasks::edited(lang(ctx), &edited)).await
}
