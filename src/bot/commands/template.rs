//! `/template`: a chat template (Chatvorlage) for the client, filled from the task, shown
//! privately and ready to copy.

use super::{reply_private, require_coordinator};
use crate::bot::errors::refuse;
use crate::bot::{Context, Error};
use crate::service::playbook::template as fill;

/// Which template.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum TemplateName {
    #[name = "deadline"]
    #[name_localized("de", "Deadline verschieben")]
    Deadline,
    #[name = "split"]
    #[name_localized("de", "Aufgabe aufteilen")]
    Split,
    #[name = "training"]
    #[name_localized("de", "Einarbeitung anbieten")]
    Training,
    #[name = "external"]
    #[name_localized("de", "Externe Recherche anbieten")]
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

/// Chatvorlage für den Kunden anzeigen
#[poise::command(
    slash_command,
    guild_only,
    name_localized("de", "vorlage"),
    description_localized("de", "Chatvorlage für den Kunden anzeigen")
)]
pub async fn template(
    ctx: Context<'_>,
    #[description = "Welche Vorlage"]
    #[name_localized("de", "name")]
    name: TemplateName,
    #[description = "Nummer der Aufgabe"]
    #[name_localized("de", "aufgabe")]
    #[min = 1]
    task: i64,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    match fill(ctx.data(), name.key(), task).await? {
        Ok(text) => reply_private(ctx, text).await,
        Err(text) => refuse(text),
    }
}
