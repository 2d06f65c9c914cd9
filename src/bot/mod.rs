//! The Discord side: poise commands, component/modal/reaction handlers, rendering. Thin: every
//! decision is made in `service`; this layer translates Discord payloads and renders replies.

pub mod commands;
pub mod components;
pub mod errors;
pub mod reactions;
pub mod render;
pub mod roles;

use std::future::Future;
use std::sync::Arc;

use anyhow::Context as _;
use poise::serenity_prelude as serenity;

use crate::service::Desk;
use crate::worker;

/// Errors of commands and handlers.
pub type Error = anyhow::Error;
/// The poise context of our commands.
pub type Context<'a> = poise::Context<'a, Desk, Error>;

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

/// Runs the bot and the outbox worker until `shutdown` completes.
pub async fn run(
    desk: Desk,
    token: &str,
    api_base: Option<&str>,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    tracing::info!(
        api_base = api_base.unwrap_or("https://discord.com (default)"),
        "starting the bot"
    );
    let http = http_client(token, api_base);
    let guild = serenity::GuildId::new(desk.config.settings.discord.guild_id);
    let setup_desk = desk.clone();
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error: |error| Box::pin(errors::on_error(error)),
            event_handler: |framework, event| {
                Box::pin(handle_event(
                    framework.serenity_context,
                    event,
                    framework.user_data,
                ))
            },
            // poise's default would let replies ping any user named in them.
            allowed_mentions: Some(render::mentions_only(&[], &[])),
            ..Default::default()
        })
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                poise::builtins::register_in_guild(ctx, &framework.options().commands, guild)
                    .await?;
                tracing::info!(user = %ready.user.name, %guild, "connected; commands registered");
                Ok(setup_desk)
            })
        })
        .build();
    let mut client = serenity::ClientBuilder::new_with_http(http, intents())
        .framework(framework)
        .await
        .context("cannot build the Discord client")?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let outbox = tokio::spawn(worker::outbox::run(
        desk.clone(),
        Arc::clone(&client.http),
        stop_rx.clone(),
    ));
    let timers = tokio::spawn(worker::timers::run(desk.clone(), stop_rx));
    let shards = Arc::clone(&client.shard_manager);
    let result = tokio::select! {
        result = client.start() => result.context("the Discord connection failed"),
        () = shutdown => {
            tracing::info!("shutting down");
            shards.shutdown_all().await;
            Ok(())
        }
    };
    let _ = stop_tx.send(true);
    let _ = outbox.await;
    let _ = timers.await;
    result
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
