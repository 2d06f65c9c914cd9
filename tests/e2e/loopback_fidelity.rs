//! Fidelity of the loopback Discord, through the real serenity HTTP client: the HTTP layer and
//! its failure injection, Discord's rate limits against serenity's own ratelimiter, the
//! `enforce_nonce` window, reactions, attachments, and the guild's channels, roles and members.
//!
//! Each topic is its own file (`loopback_*.rs`); the shared helpers are here.

#[path = "loopback_attachments.rs"]
mod attachments;
#[path = "loopback_guild.rs"]
mod guild;
#[path = "loopback_http.rs"]
mod http;
#[path = "loopback_nonce.rs"]
mod nonce;
#[path = "loopback_ratelimit.rs"]
mod ratelimit;
#[path = "loopback_reactions.rs"]
mod reactions;

use std::time::Duration;

use poise::serenity_prelude as serenity;
use vpa_desk::loopback::{LoopbackConfig, LoopbackDiscord, http_for};

pub const TOKEN: &str = "loopback.test.token";
/// How long a test waits for an effect before it fails.
pub const WAIT: Duration = Duration::from_secs(10);

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// A loopback server with `cfg` and a serenity client for it (proxy, ratelimiter off), with
/// the application id set so command and webhook routes work.
pub async fn start(cfg: LoopbackConfig) -> (LoopbackDiscord, serenity::Http) {
    let lb = LoopbackDiscord::start(cfg).await.expect("start loopback");
    let http = http_for(&lb.api_base(), TOKEN);
    http.set_application_id(lb.config().application_id.into());
    (lb, http)
}

/// The Discord error of a failed call, if it was an answered request.
pub fn api_error(e: &serenity::Error) -> Option<&serenity::ErrorResponse> {
    match e {
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)) => Some(r),
        _ => None,
    }
}

/// Runs `client` in the background and waits until the bot is ready (its commands registered);
/// the shard manager stops it (before the server: a runtime torn down under a live shard can
/// stall).
pub async fn run_until_ready(
    lb: &LoopbackDiscord,
    mut client: serenity::Client,
) -> std::sync::Arc<serenity::ShardManager> {
    let shards = client.shard_manager.clone();
    tokio::spawn(async move {
        if let Err(e) = client.start().await {
            eprintln!("client ended: {e}");
        }
    });
    assert!(
        lb.wait_ready(WAIT).await,
        "bot never became ready: {:#?}",
        lb.requests()
    );
    shards
}

/// A poise framework with `options` that registers its commands in `guild` once ready.
pub fn registering(
    options: poise::FrameworkOptions<(), Error>,
    guild: serenity::GuildId,
) -> poise::Framework<(), Error> {
    poise::Framework::builder()
        .options(options)
        .setup(move |ctx, _ready, fw| {
            Box::pin(async move {
                poise::builtins::register_in_guild(ctx, &fw.options().commands, guild).await?;
                Ok(())
            })
        })
        .build()
}
