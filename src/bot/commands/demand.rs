//! `/demand report`: a coordinator reports demand they cannot place to the VPA manager.

use super::{reply_private, require_coordinator};
use crate::bot::errors::refuse;
use crate::bot::{Context, Error};
use crate::db::escalations::Recorded;
use crate::domain::ids::DiscordId;
use crate::messages;
use crate::service::escalation::report;
use crate::service::tasks::TaskRefusal;

/// Bedarf an den VPA Manager melden
#[poise::command(
    slash_command,
    guild_only,
    subcommands("demand_report"),
    name_localized("de", "bedarf"),
    description_localized("de", "Bedarf an den VPA Manager melden")
)]
pub async fn demand(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Nicht vergebbaren Bedarf an den VPA Manager melden
#[poise::command(
    slash_command,
    guild_only,
    rename = "report",
    name_localized("de", "melden"),
    description_localized("de", "Nicht vergebbaren Bedarf an den VPA Manager melden")
)]
pub async fn demand_report(
    ctx: Context<'_>,
    #[description = "Nummer der Aufgabe"]
    #[name_localized("de", "aufgabe")]
    #[min = 1]
    task: i64,
    #[description = "Hinweis für den VPA Manager"]
    #[name_localized("de", "hinweis")]
    note: Option<String>,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > 500) {
        return refuse(messages::NOTE_TOO_LONG);
    }
    match report(
        ctx.data(),
        task,
        note.as_deref(),
        DiscordId(ctx.author().id.get()),
    )
    .await?
    {
        None => refuse(messages::task_refusal(&TaskRefusal::UnknownTask(task))),
        Some(recorded) => {
            reply_private(
                ctx,
                messages::demand_reported(task, matches!(recorded, Recorded::NewNotice(_))),
            )
            .await
        }
    }
}
