//! `/survey status`: the coordinator's view of who answered what, with a select to assign.

use super::{lang, require_coordinator};
use crate::bot::{Context, Error, reply};
use crate::domain::ids::TaskId;
use crate::present;
use crate::service::survey::survey_status;

/// Look at surveys
#[poise::command(slash_command, guild_only, subcommands("status"))]
pub async fn survey(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// A task's answers, with a select to assign it
#[poise::command(slash_command, guild_only)]
pub async fn status(ctx: Context<'_>, #[min = 1] task: i64) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let desk = ctx.data();
    let status = survey_status(desk, TaskId(task)).await?;
    reply::private(
        ctx,
        present::surveys::status(lang(ctx), &desk.config, &status),
    )
    .await
}
