//! `/task …`: creating tasks (coordinators and the manager).

use std::time::Duration;

use poise::serenity_prelude as serenity;

use super::{reply_private, require_coordinator};
use crate::bot::errors::refuse;
use crate::bot::render::{mentions_only, message_link};
use crate::bot::{Context, Error};
use crate::domain::ids::DiscordId;
use crate::domain::task::TaskDraft;
use crate::domain::task::TaskStatus;
use crate::messages;
use crate::service::tasks;
use crate::service::tasks::create_task;

/// How long the reply waits for the survey post before saying it will follow.
const POST_WAIT: Duration = Duration::from_secs(8);

/// Aufgaben anlegen und verwalten
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
    let choices = ctx
        .data()
        .config
        .catalog
        .autocomplete(partial, 25)
        .into_iter()
        .map(|c| {
            serenity::AutocompleteChoice::new(
                format!("{} ({})", c.name, c.area.german()),
                c.key.clone(),
            )
        })
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Neue Kundenaufgabe anlegen und passende VPAs anfragen
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
    #[description = "Kunde (Name oder Kürzel; VPAs sehen ihn nicht)"]
    #[name_localized("de", "kunde")]
    client: String,
    #[description = "Kompetenz aus dem Katalog"]
    #[name_localized("de", "kompetenz")]
    #[autocomplete = "autocomplete_competence"]
    competence: String,
    #[description = "Geschätzte Stunden (bei laufenden Aufgaben pro Woche)"]
    #[name_localized("de", "stunden")]
    hours: f64,
    #[description = "Deadline: TT.MM.JJJJ oder JJJJ-MM-TT"]
    #[name_localized("de", "deadline")]
    deadline: String,
    #[description = "Neukunde? (ohne Angabe: aus der Kundenhistorie)"]
    #[name_localized("de", "neukunde")]
    new_client: Option<bool>,
    #[description = "Laufende Aufgabe mit Stunden pro Woche?"]
    #[name_localized("de", "laufend")]
    recurring: Option<bool>,
    #[description = "Kurze Beschreibung für die VPAs"]
    #[name_localized("de", "beschreibung")]
    description: Option<String>,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let poise::Context::Application(app) = ctx else {
        return Ok(());
    };
    // Ranking and storing are fast, but Discord allows 3 s: acknowledge first.
    ctx.defer_ephemeral().await?;
    let desk = ctx.data();
    let draft = TaskDraft {
        client,
        competence,
        hours,
        deadline,
        new_client,
        recurring: recurring.unwrap_or(false),
        description,
    };
    let edit = |text: String| {
        serenity::EditInteractionResponse::new()
            .content(text)
            .allowed_mentions(mentions_only(&[], &[]))
    };
    let created = match create_task(desk, &draft, DiscordId(ctx.author().id.get())).await? {
        Ok(created) => created,
        Err(problems) => {
            app.interaction
                .edit_response(ctx.http(), edit(messages::task_invalid(&problems)))
                .await?;
            return Ok(());
        }
    };
    if created.surveyed == 0 {
        app.interaction
            .edit_response(
                ctx.http(),
                edit(messages::task_nobody_fits(created.task_id)),
            )
            .await?;
        return Ok(());
    }
    app.interaction
        .edit_response(
            ctx.http(),
            edit(messages::task_created(
                created.task_id,
                created.surveyed,
                created.fitting,
                None,
            )),
        )
        .await?;
    // The outbox worker posts the survey; link it here once it is out.
    let deadline = tokio::time::Instant::now() + POST_WAIT;
    loop {
        let round = desk.db.get_round(created.round_id).await?;
        if let Some((channel, message)) = round.and_then(|r| r.channel_id.zip(r.message_id)) {
            let link = message_link(desk.config.settings.discord.guild_id, channel, message);
            let text = messages::task_created(
                created.task_id,
                created.surveyed,
                created.fitting,
                Some(&link),
            );
            app.interaction
                .edit_response(ctx.http(), edit(text))
                .await?;
            return Ok(());
        }
        if tokio::time::Instant::now() >= deadline {
            let text = messages::task_post_delayed(created.task_id, created.surveyed);
            app.interaction
                .edit_response(ctx.http(), edit(text))
                .await?;
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn refusal(r: &tasks::TaskRefusal) -> Result<(), Error> {
    refuse(messages::task_refusal(r))
}

/// Aufgabe ansehen
#[poise::command(
    slash_command,
    guild_only,
    rename = "show",
    name_localized("de", "anzeigen"),
    description_localized("de", "Aufgabe ansehen")
)]
pub async fn task_show(
    ctx: Context<'_>,
    #[description = "Nummer der Aufgabe"]
    #[name_localized("de", "nummer")]
    #[min = 1]
    id: i64,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let desk = ctx.data();
    let Some(details) = tasks::details(desk, id).await? else {
        return refusal(&tasks::TaskRefusal::UnknownTask(id));
    };
    let competence = desk
        .config
        .catalog
        .get(details.task.competence)
        .name
        .clone();
    reply_private(ctx, messages::task_details(&details, &competence)).await
}

/// Offener Bedarf, älteste zuerst, nach Bereich
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
    let open = desk.db.open_demand(&desk.config.catalog).await?;
    let mut text = messages::task_list(&open, &desk.config.catalog);
    if text.chars().count() > 1950 {
        text = text.chars().take(1940).collect::<String>() + "\n…";
    }
    reply_private(ctx, text).await
}

/// Aufgabe an eine VPA vergeben
#[poise::command(
    slash_command,
    guild_only,
    rename = "assign",
    name_localized("de", "vergeben"),
    description_localized("de", "Aufgabe an eine VPA vergeben")
)]
pub async fn task_assign(
    ctx: Context<'_>,
    #[description = "Nummer der Aufgabe"]
    #[name_localized("de", "nummer")]
    #[min = 1]
    id: i64,
    #[description = "Welche VPA"] vpa: serenity::User,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    match tasks::assign(
        ctx.data(),
        id,
        DiscordId(vpa.id.get()),
        DiscordId(ctx.author().id.get()),
    )
    .await?
    {
        Ok(assigned) => reply_private(ctx, messages::assigned(&assigned)).await,
        Err(r) => refusal(&r),
    }
}

/// Vergabe an eine VPA zurücknehmen
#[poise::command(
    slash_command,
    guild_only,
    rename = "unassign",
    name_localized("de", "zuruecknehmen"),
    description_localized("de", "Vergabe an eine VPA zurücknehmen")
)]
pub async fn task_unassign(
    ctx: Context<'_>,
    #[description = "Nummer der Aufgabe"]
    #[name_localized("de", "nummer")]
    #[min = 1]
    id: i64,
    #[description = "Welche VPA"] vpa: serenity::User,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let who = DiscordId(vpa.id.get());
    match tasks::unassign(ctx.data(), id, who, DiscordId(ctx.author().id.get())).await? {
        Ok(status) => reply_private(ctx, messages::unassigned(id, who, status)).await,
        Err(r) => refusal(&r),
    }
}

/// Aufgabe als erledigt markieren
#[poise::command(
    slash_command,
    guild_only,
    rename = "done",
    name_localized("de", "erledigt"),
    description_localized("de", "Aufgabe als erledigt markieren")
)]
pub async fn task_done(
    ctx: Context<'_>,
    #[description = "Nummer der Aufgabe"]
    #[name_localized("de", "nummer")]
    #[min = 1]
    id: i64,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    match tasks::close(
        ctx.data(),
        id,
        TaskStatus::Done,
        None,
        DiscordId(ctx.author().id.get()),
    )
    .await?
    {
        Ok(()) => reply_private(ctx, messages::closed(id, TaskStatus::Done)).await,
        Err(r) => refusal(&r),
    }
}

/// Aufgabe abbrechen (mit Grund)
#[poise::command(
    slash_command,
    guild_only,
    rename = "cancel",
    name_localized("de", "abbrechen"),
    description_localized("de", "Aufgabe abbrechen (mit Grund)")
)]
pub async fn task_cancel(
    ctx: Context<'_>,
    #[description = "Nummer der Aufgabe"]
    #[name_localized("de", "nummer")]
    #[min = 1]
    id: i64,
    #[description = "Warum abgebrochen"]
    #[name_localized("de", "grund")]
    reason: String,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return refuse(messages::CANCEL_REASON_INVALID);
    }
    match tasks::close(
        ctx.data(),
        id,
        TaskStatus::Cancelled,
        Some(reason),
        DiscordId(ctx.author().id.get()),
    )
    .await?
    {
        Ok(()) => reply_private(ctx, messages::closed(id, TaskStatus::Cancelled)).await,
        Err(r) => refusal(&r),
    }
}

/// Aufgabe ändern: Deadline (nach Rücksprache), Stunden, Beschreibung
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
    #[description = "Nummer der Aufgabe"]
    #[name_localized("de", "nummer")]
    #[min = 1]
    id: i64,
    #[description = "Neue Deadline: TT.MM.JJJJ oder JJJJ-MM-TT"]
    #[name_localized("de", "deadline")]
    deadline: Option<String>,
    #[description = "Neue Stunden"]
    #[name_localized("de", "stunden")]
    hours: Option<f64>,
    #[description = "Neue Beschreibung"]
    #[name_localized("de", "beschreibung")]
    description: Option<String>,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let by = DiscordId(ctx.author().id.get());
    match crate::service::playbook::edit_task(
        ctx.data(),
        id,
        deadline.as_deref(),
        hours,
        description.as_deref(),
        by,
    )
    .await?
    {
        Ok(text) => reply_private(ctx, text).await,
        Err(text) => refuse(text),
    }
}
