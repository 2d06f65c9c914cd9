//! The Discord side: poise commands and the handlers of buttons, selects, forms and reactions.
//! Thin: each reads the Discord payload, calls a use case in `service`, and answers through
//! one reply path ([`reply`]) with what `present` renders. Workers are started beside it by
//! the command line (`cli::serve`).

pub mod catch_up;
pub mod commands;
pub mod components;
pub mod reactions;
pub mod reply;
pub mod roles;
pub mod setup_check;

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

/// How the bot reaches Discord. serenity's ratelimiter runs with either, reading Discord's
/// rate-limit headers and 429s. (A Discord-compatible server at another base URL,
/// `discord.api_base`, is reached as `Client` through the relay `cli` starts: serenity's
/// ratelimiter ignores `HttpBuilder::proxy`, see `loopback::relay`.)
#[derive(Debug, Clone)]
pub enum Connection {
    /// discord.com.
    Discord,
    /// discord.com through this HTTP client — e.g. one that resolves discord.com to a
    /// Discord-compatible server answering as discord.com (the loopback's TLS endpoint, or the
    /// relay to `discord.api_base`).
    Client(reqwest::Client),
}

/// Builds the HTTP client for a connection.
pub fn http_client(token: &str, connection: &Connection) -> serenity::Http {
    match connection {
        Connection::Discord => serenity::HttpBuilder::new(token).build(),
        Connection::Client(client) => serenity::HttpBuilder::new(token)
            .client(client.clone())
            .build(),
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
    connection: &Connection,
) -> anyhow::Result<serenity::Client> {
    let to = match connection {
        Connection::Discord => "https://discord.com",
        Connection::Client(_) => "https://discord.com (through its own HTTP client)",
    };
    tracing::info!(to, "starting the bot");
    let http = http_client(token, connection);
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

/// How long the gateway may take to close when the bot stops. serenity's shard runner looks
/// at its messages every half second, then sends a close frame and waits for Discord's answer —
/// up to 5 s in serenity if none comes. Discord ends the session when the connection goes in
/// any case, so the stop does not wait longer than this.
const GATEWAY_CLOSE: std::time::Duration = std::time::Duration::from_secs(1);

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
            if tokio::time::timeout(GATEWAY_CLOSE, shards.shutdown_all()).await.is_err() {
                tracing::warn!("the gateway did not close in time; leaving without");
            }
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
        // Every fresh identify (the start, a reconnect that could not resume) may have missed
        // reaction events. Each event has a task of its own, so this holds up no other event.
        serenity::FullEvent::Ready { data_about_bot } => {
            catch_up::on_ready(ctx, desk, data_about_bot).await
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
