//! `/pool`: pool health by work area (manager and coordinators), the same figures as `vpa-desk pool`.

use super::{lang, reply_private, require_coordinator};
use crate::bot::{Context, Error, setup_check};
use crate::present;
use crate::service::{self, pool::pool_health};

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
    let lang = lang(ctx);
    let table = present::pool::table(lang, &health);
    let mut text = String::new();
    // While a set-up problem stands, look again: the warning goes as soon as it is fixed.
    if !service::setup::standing(desk).is_empty() {
        let (_, problems) = setup_check::run(ctx.http(), &desk.config).await;
        let count = problems.len();
        service::setup::checked(desk, problems, false).await?;
        if count > 0 {
            text = present::setup::pool_warning(lang, count);
            text.push('\n');
        }
    }
    text.push_str(&format!("```\n{table}```"));
    reply_private(ctx, text).await
}
