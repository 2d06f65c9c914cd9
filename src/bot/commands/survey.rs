//! `/survey status`: the coordinator's view of who answered what, with a select to assign.

use super::require_coordinator;
use crate::bot::errors::refuse;
use crate::bot::render::{assign_select, mentions_only};
use crate::bot::{Context, Error};
use crate::messages;
use crate::service::survey::survey_status;

/// Umfragen ansehen
#[poise::command(
    slash_command,
    guild_only,
    subcommands("status"),
    name_localized("de", "umfrage"),
    description_localized("de", "Umfragen ansehen")
)]
pub async fn survey(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Antworten einer Aufgabe ansehen und vergeben
#[poise::command(
    slash_command,
    guild_only,
    name_localized("de", "status"),
    description_localized("de", "Antworten einer Aufgabe ansehen und vergeben")
)]
pub async fn status(
    ctx: Context<'_>,
    #[description = "Nummer der Aufgabe"]
    #[name_localized("de", "aufgabe")]
    #[min = 1]
    task: i64,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let Some(status) = survey_status(ctx.data(), task).await? else {
        return refuse(messages::task_refusal(
            &crate::service::tasks::TaskRefusal::UnknownTask(task),
        ));
    };
    let mut reply = poise::CreateReply::default()
        .content(messages::survey_status(&status))
        .ephemeral(true)
        .allowed_mentions(mentions_only(&[], &[]));
    if let Some(select) = assign_select(&status) {
        reply = reply.components(vec![select]);
    }
    ctx.send(reply).await?;
    Ok(())
}
