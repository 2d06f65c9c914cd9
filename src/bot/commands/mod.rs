//! Slash commands, one file per command group. English names with German localizations and
//! German descriptions.

pub mod demand;
pub mod pool;
pub mod profile;
pub mod survey;
pub mod task;
pub mod template;

use poise::serenity_prelude as serenity;

use super::errors::refuse;
use super::roles::Roles;
use super::{Context, Error};
use crate::messages;
use crate::service::Desk;

/// Every command the bot registers.
pub fn all() -> Vec<poise::Command<Desk, Error>> {
    vec![
        task::task(),
        survey::survey(),
        demand::demand(),
        profile::profile(),
        pool::pool(),
        template::template(),
    ]
}

/// The roles of the member who invoked a command (none outside the server).
pub fn roles(ctx: Context<'_>) -> Roles {
    let member_roles: &[serenity::RoleId] = match ctx {
        poise::Context::Application(app) => {
            app.interaction.member.as_ref().map_or(&[], |m| &m.roles)
        }
        poise::Context::Prefix(p) => p.msg.member.as_ref().map_or(&[], |m| &m.roles),
    };
    Roles::of(member_roles, &ctx.data().config.settings.discord)
}

/// Refuses unless the invoker is a coordinator or the manager.
pub fn require_coordinator(ctx: Context<'_>) -> Result<(), Error> {
    if roles(ctx).can_coordinate() {
        Ok(())
    } else {
        refuse(messages::ONLY_COORDINATORS)
    }
}

/// A private reply that pings nobody.
pub async fn reply_private(ctx: Context<'_>, text: impl Into<String>) -> Result<(), Error> {
    ctx.send(
        poise::CreateReply::default()
            .content(text)
            .ephemeral(true)
            .allowed_mentions(super::render::mentions_only(&[], &[])),
    )
    .await?;
    Ok(())
}
