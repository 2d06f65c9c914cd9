//! `/pool`: pool health by work area (manager and coordinators), the same figures as `vpa-desk pool`.

use super::{lang, reply_private, require_coordinator};
use crate::bot::{Context, Error};
use crate::present;
use crate::service::pool::pool_health;

/// Pool health: VPAs available for new clients per work area
#[poise::command(
    slash_command,
    guild_only,
    default_member_permissions = "MANAGE_MESSAGES"
)]
pub async fn pool(ctx: Context<'_>) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let desk = ctx.data();
    let health = pool_health(&desk.db, &desk.config, desk.today()).await?;
    let table = present::pool::table(lang(ctx), &health);
    reply_private(ctx, format!("```\n{table}```")).await
}
