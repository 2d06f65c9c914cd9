//! `/task …`: creating tasks (coordinators and the manager).

use std::time::Duration;

use poise::serenity_prelude as serenity;

use super::require_coordinator;
use crate::bot::render::{mentions_only, message_link};
use crate::bot::{Context, Error};
use crate::domain::ids::DiscordId;
use crate::domain::task::TaskDraft;
use crate::messages;
use crate::service::tasks::create_task;

/// How long the reply waits for the survey post before saying it will follow.
const POST_WAIT: Duration = Duration::from_secs(8);

/// Aufgaben anlegen und verwalten
#[poise::command(
    slash_command,
    guild_only,
    subcommands("task_new"),
    name_localized("de", "aufgabe"),
    description_localized("de", "Aufgaben anlegen und verwalten")
)]
pub async fn task(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Competences of the catalog matching what was typed (at most 25, Discord's limit).
async fn autocomplete_competence(
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
