//! Slash commands, one file per command group. Their names are English (what the bot routes
//! by); descriptions and the names other languages show come from the catalog (a German
//! Discord client shows `/aufgabe neu`), see `present::commands`.

pub mod demand;
pub mod pool;
pub mod profile;
pub mod report;
pub mod survey;
pub mod task;
pub mod template;

use poise::serenity_prelude as serenity;

use super::reply::ANSWER_WITHIN;
use super::roles::Roles;
use super::{Context, Error};
use crate::domain::ids::DiscordId;
use crate::present::{Lang, Message};
use crate::service::{Act, Desk, HandledOutcome, Refusal, refuse};

/// Every command the bot registers, with their texts in every language of the catalog.
pub fn all() -> Vec<poise::Command<Desk, Error>> {
    let mut commands = vec![
        task::task(),
        survey::survey(),
        demand::demand(),
        profile::profile(),
        pool::pool(),
        report::report(),
        template::template(),
    ];
    crate::present::commands::localize(&mut commands);
    commands
}

/// Before every command: remember the member's language.
pub async fn before(ctx: Context<'_>) {
    if let Some(locale) = ctx.locale() {
        super::components::remember_locale(ctx.data(), ctx.author(), locale);
    }
}

/// After a command that succeeded.
pub async fn after(ctx: Context<'_>) {
    if let poise::Context::Application(app) = ctx {
        super::handled(ctx.data(), app.interaction.id.get(), HandledOutcome::Done);
    }
}

/// The language of the reply: the invoker's Discord language, else the default.
pub fn lang(ctx: Context<'_>) -> Lang {
    super::reply::lang(ctx.data(), ctx.locale())
}

/// Who acts, through this interaction (marked as handled with the change it causes).
pub fn act(ctx: Context<'_>) -> Act {
    let by = DiscordId(ctx.author().id.get());
    match ctx {
        poise::Context::Application(app) => Act::interaction(by, app.interaction.id.get()),
        poise::Context::Prefix(_) => Act::by(by),
    }
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
        refuse(Refusal::OnlyCoordinators)
    }
}

/// Runs a command's write; if it is not done within [`ANSWER_WITHIN`] (another process holds
/// the database), the reply is deferred meanwhile ("thinking…"), so Discord keeps the
/// interaction and the reply that follows completes it. The reply comes after this returns, so
/// it never races the deferral.
pub async fn in_time<T>(ctx: Context<'_>, work: impl std::future::Future<Output = T>) -> T {
    let mut work = std::pin::pin!(work);
    tokio::select! {
        out = &mut work => return out,
        () = tokio::time::sleep(ANSWER_WITHIN) => {}
    }
    let defer = async {
        if let Err(e) = ctx.defer_ephemeral().await {
            tracing::warn!(error = %e, "could not acknowledge a command");
        }
    };
    let ((), out) = tokio::join!(defer, work);
    out
}

/// A private text reply that pings nobody.
pub async fn reply_private(ctx: Context<'_>, text: impl Into<String>) -> Result<(), Error> {
    super::reply::private(ctx, Message::text(text)).await
}
