//! `/demand report`: a coordinator reports demand they cannot place to the VPA manager.

use super::{act, in_time, lang, reply_private, require_coordinator};
use crate::bot::{Context, Error};
use crate::domain::ids::TaskId;
use crate::present;
use crate::service::escalation::report;

/// Report demand to the VPA manager
#[poise::command(slash_command, guild_only, subcommands("demand_report"))]
pub async fn demand(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Report demand you cannot place to the VPA manager
#[poise::command(slash_command, guild_only, rename = "report")]
pub async fn demand_report(
    ctx: Context<'_>,
    #[min = 1] task: i64,
    #[max_length = 500] note: Option<String>,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    let task = TaskId(task);
    let new_notice = in_time(ctx, report(ctx.data(), task, note.as_deref(), &act(ctx))).await?;
    reply_private(
        ctx,
        present::notice::demand_reported(lang(ctx), task, new_notice),
    )
    .await
}
