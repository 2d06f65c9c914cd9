//! The Discord side: poise commands and the handlers of buttons, selects, forms and reactions.
//! Thin: each reads the Discord payload, calls a use case in `service`, and answers through
//! one reply path ([`reply`]) with what `present` renders. Workers are started beside it by
//! the command line (`cli::serve`).

pub mod commands;
pub mod components;
pub mod reactions;
pub mod reply;
pub mod roles;

use std::future::Future;

use anyhow::Context as _;
use poise::serenity_prelude as serenity;

use crate::present::discord::mentions_only;
use crate::service::{Desk, HandledEvent, HandledOutcome};

/// Errors of commands and handlers: a refusal or an internal failure (see `service::error`).
pub type Error = crate::service::Error;
/// The poise context of our commands.
pub type Context<'a> = poise::Context<'a, Desk, Error>;

impl From<serenity::Error> for crate::service::Error {
    fn from(e: serenity::Error) -> Self {
        crate::service::Error::Internal(e.into())
    }
}

/// Builds the HTTP client: against a Discord-compatible server when `api_base` is given (then
/// serenity's ratelimiter is off, since it would ignore the proxy and call discord.com).
pub fn http_client(token: &str, api_base: Option<&str>) -> serenity::Http {
    match api_base {
        Some(base) => serenity::HttpBuilder::new(token)
            .proxy(base)
            .ratelimiter_disabled(true)
            .build(),
        None => serenity::HttpBuilder::new(token).build(),
    }
}

/// The gateway intents: no privileged ones. Roles arrive with interactions and reactions.
pub fn intents() -> serenity::GatewayIntents {
    serenity::GatewayIntents::GUILDS | serenity::GatewayIntents::GUILD_MESSAGE_REACTIONS
}

/// The Discord client with our commands and handlers, not yet connected.
pub async fn client(
    desk: Desk,
    token: &str,
    api_base: Option<&str>,
) -> anyhow::Result<serenity::Client> {
    tracing::info!(
        api_base = api_base.unwrap_or("https://discord.com (default)"),
        "starting the bot"
    );
    let http = http_client(token, api_base);
    let guild = serenity::GuildId::new(desk.config.settings.discord.guild_id.0);
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error: |error| Box::pin(reply::on_error(error)),
            pre_command: |ctx| Box::pin(commands::before(ctx)),
            post_command: |ctx| Box::pin(commands::after(ctx)),
            event_handler: |framework, event| {
                Box::pin(handle_event(
                    framework.serenity_context,
                    event,
                    framework.user_data,
                ))
            },
            // poise's default would let replies ping any user named in them.
            allowed_mentions: Some(mentions_only(&[], &[])),
            ..Default::default()
        })
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                poise::builtins::register_in_guild(ctx, &framework.options().commands, guild)
                    .await?;
                tracing::info!(user = %ready.user.name, %guild, "connected; commands registered");
                Ok(desk)
            })
        })
        .build();
    serenity::ClientBuilder::new_with_http(http, intents())
        .framework(framework)
        .await
        .context("cannot build the Discord client")
}

/// Runs the client until `shutdown` completes (or the connection fails for good).
pub async fn run(
    mut client: serenity::Client,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let shards = std::sync::Arc::clone(&client.shard_manager);
    tokio::select! {
        result = client.start() => result.context("the Discord connection failed"),
        () = shutdown => {
            tracing::info!("shutting down");
            shards.shutdown_all().await;
            Ok(())
        }
    }
}

async fn handle_event(
    ctx: &serenity::Context,
    event: &serenity::FullEvent,
    desk: &Desk,
) -> Result<(), Error> {
    match event {
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(c),
        } => components::on_component(ctx, desk, c).await,
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Modal(m),
        } => components::on_modal(ctx, desk, m).await,
        serenity::FullEvent::ReactionAdd { add_reaction } => {
            reactions::on_reaction(ctx, desk, add_reaction, true).await
        }
        serenity::FullEvent::ReactionRemove { removed_reaction } => {
            reactions::on_reaction(ctx, desk, removed_reaction, false).await
        }
        _ => Ok(()),
    }
}

/// Tells listeners an interaction was handled.
pub(crate) fn handled(desk: &Desk, interaction: u64, outcome: HandledOutcome) {
    desk.publish(crate::service::DeskEvent::Handled {
        event: HandledEvent::Interaction(interaction),
        outcome,
    });
}
