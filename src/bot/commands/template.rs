//! `/template`: a chat template (Chatvorlage) for the client, filled from the task, shown
//! privately and ready to copy.

use super::{lang, reply_private, require_coordinator};
use crate::bot::{Context, Error};
use crate::domain::ids::TaskId;
use crate::present;
use crate::service::templates::template as view;

/// Which template.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum TemplateName {
    #[name = "deadline"]
    Deadline,
    #[name = "split"]
    Split,
    #[name = "training"]
    Training,
    #[name = "external"]
    External,
}

impl TemplateName {
    fn key(self) -> &'static str {
        match self {
            TemplateName::Deadline => "deadline",
            TemplateName::Split => "split",
            TemplateName::Training => "training",
            TemplateName::External => "external",
        }
    }
}

/// Show a chat template for the client
#[poise::command(slash_command, guild_only)]
pub async fn template(
    ctx: Context<'_>,
    name: TemplateName,
    #[min = 1] task: i64,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let desk = ctx.data();
    let filled = view(desk, name.key(), TaskId(task)).await?;
    reply_private(
        ctx,
        present::templates::filled(lang(ctx), &desk.config, &filled),
    )
    .await
}
