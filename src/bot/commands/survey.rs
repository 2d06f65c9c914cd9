//! `/survey status`: the coordinator's view of who answered what, with a select to assign.

use super::{lang, require_coordinator};
use crate::bot::{Context, Error, reply};
use crate::domain::ids::TaskId;
use crate::present;
use crate::service::survey::survey_status;

/// Look at surveys
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

/// A task's answers, with a select to assign it
#[poise::command(
    slash_command,
    guild_only,
    name_localized("de", "status"),
    description_localized("de", "Antworten einer Aufgabe ansehen und vergeben")
)]
pub async fn status(
    ctx: Context<'_>,
    #[description = "Number of the task"]
    #[description_localized("de", "Nummer der Aufgabe")]
    #[name_localized("de", "aufgabe")]
    #[min = 1]
    task: i64,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let desk = ctx.data();
    let status = survey_status(desk, TaskId(task)).await?;
    reply::private(
        ctx,
        present::surveys::status(lang(ctx), &desk.config, &status),
    )
    .await
}
