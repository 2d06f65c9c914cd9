//! Smoke test of the loopback Discord: the real serenity client with a minimal poise framework
//! runs against it, and every capability the other e2e tests rely on is exercised once
//! (slash command, button, reaction, enforced nonce, failure injection, limit enforcement,
//! the interaction window and double acknowledgement).

use std::time::Duration;

use crate::loopback_fidelity::api_error;
use poise::serenity_prelude as serenity;
use serde_json::json;
use serenity::{
    ChannelId, CreateCommand, CreateInteractionResponse, CreateInteractionResponseMessage,
    CreateMessage, FullEvent, GatewayIntents, GuildId, InteractionId, Nonce,
};
use vpa_desk::loopback::{
    FailRule, Failure, LoopbackConfig, LoopbackDiscord, fixtures, fixtures::FakeUser, http_for,
};

type Error = Box<dyn std::error::Error + Send + Sync>;
type Ctx<'a> = poise::Context<'a, (), Error>;

const TOKEN: &str = "loopback.test.token";
const WAIT: Duration = Duration::from_secs(10);
/// Shortened interaction window (Discord: 3 s) so the "too late" path is fast to test.
const WINDOW: Duration = Duration::from_millis(800);

/// Replies ephemerally "pong".
#[poise::command(slash_command)]
async fn ping(ctx: Ctx<'_>) -> Result<(), Error> {
    ctx.send(
        poise::CreateReply::default()
            .content("pong")
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

/// Raw events: button "t:1" answers at once, "slow" answers after the window closed,
/// a reaction makes the bot post in the reaction's channel.
async fn on_event(ctx: &serenity::Context, event: &FullEvent) -> Result<(), Error> {
    match event {
        FullEvent::InteractionCreate { interaction } => {
            if let Some(c) = interaction.as_message_component() {
                let reply = CreateInteractionResponse::Message(
                    CreateInteractionResponseMessage::new()
                        .content(format!("clicked {}", c.data.custom_id)),
                );
                match c.data.custom_id.as_str() {
                    "t:1" => c.create_response(&ctx.http, reply).await?,
                    "slow" => {
                        // Answer only after the (shortened) interaction window has passed.
                        let (http, c) = (ctx.http.clone(), c.clone());
                        tokio::spawn(async move {
                            tokio::time::sleep(WINDOW + Duration::from_millis(400)).await;
                            let _ = c.create_response(&http, reply).await;
                        });
                    }
                    _ => {}
                }
            }
        }
        FullEvent::ReactionAdd { add_reaction } => {
            let emoji = add_reaction.emoji.to_string();
            add_reaction
                .channel_id
                .say(&ctx.http, format!("reacted {emoji}"))
                .await?;
        }
        _ => {}
    }
    Ok(())
}

/// Starts the loopback server and the bot; returns once the bot registered its commands.
/// Stop the bot with `shard_manager.shutdown_all()` before the server: a runtime torn down
/// under a live shard can stall (see `LoopbackConfig::heartbeat_interval`).
async fn start_bot() -> (LoopbackDiscord, std::sync::Arc<serenity::ShardManager>) {
    let cfg = LoopbackConfig {
        interaction_window: WINDOW,
        ..LoopbackConfig::default()
    };
    let guild = GuildId::new(cfg.guild_id);
    let lb = LoopbackDiscord::start(cfg).await.expect("start loopback");
    let framework = crate::loopback_fidelity::registering(
        poise::FrameworkOptions {
            commands: vec![ping()],
            event_handler: |fw, event| Box::pin(on_event(fw.serenity_context, event)),
            ..Default::default()
        },
        guild,
    );
    let http = http_for(&lb.api_base(), TOKEN);
    let client = serenity::ClientBuilder::new_with_http(http, GatewayIntents::non_privileged())
        .framework(framework)
        .await
        .expect("build client");
    let shards = crate::loopback_fidelity::run_until_ready(&lb, client).await;
    (lb, shards)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loopback_smoke() {
    let t0 = std::time::Instant::now();
    let (lb, shards) = start_bot().await;
    eprintln!("[{:?}] ready", t0.elapsed());
    let alice = FakeUser::new(1_200_000_000_000_000_001, "alice").with_roles(&[42]);
    let channel = fixtures::DEFAULT_CHANNEL_ID;
    let names: Vec<_> = lb
        .registered_commands()
        .iter()
        .map(|c| c["name"].clone())
        .collect();
    assert_eq!(names, vec![json!("ping")]);

    // Our own client for direct calls (it needs the application id for command routes).
    let http = http_for(&lb.api_base(), TOKEN);
    http.set_application_id(lb.config().application_id.into());

    eprintln!("[{:?}] Slash command", t0.elapsed());
    // Slash command → ephemeral "pong".
    let h = lb
        .interact(fixtures::slash("ping", &[], vec![], &alice))
        .await;
    let body = h.response(WAIT).await.expect("ping answered");
    assert_eq!(body["type"], 4, "{body}");
    assert_eq!(body["data"]["content"], "pong");
    assert_eq!(body["data"]["flags"], 64);
    assert_eq!(h.original().expect("original")["content"], "pong");

    eprintln!("[{:?}] A second", t0.elapsed());
    // A second acknowledgement of the same interaction is refused (40060).
    let again = CreateInteractionResponse::Acknowledge;
    let e = http
        .create_interaction_response(InteractionId::new(h.id()), h.token(), &again, vec![])
        .await
        .expect_err("double ack must fail");
    assert_eq!(api_error(&e).map(|r| r.error.code), Some(40060), "{e:?}");

    eprintln!("[{:?}] Button", t0.elapsed());
    // Button → type 4 message.
    let h = lb.interact(fixtures::button("t:1", &alice)).await;
    let body = h.response(WAIT).await.expect("button answered");
    assert_eq!(body["type"], 4);
    assert_eq!(body["data"]["content"], "clicked t:1");
    assert_eq!(
        h.wait_final(WAIT).await.expect("final")["content"],
        "clicked t:1"
    );

    eprintln!("[{:?}] Reaction", t0.elapsed());
    // Reaction → the bot posts in that channel.
    lb.dispatch(
        "MESSAGE_REACTION_ADD",
        fixtures::reaction_add(&alice, channel, 77, "👍"),
    )
    .await;
    let posted = lb
        .wait_for(WAIT, |r| {
            r.is("POST", &format!("/channels/{channel}/messages"))
        })
        .await
        .expect("reaction reply posted");
    assert_eq!(posted.status, 200);
    assert_eq!(lb.channel_messages(channel)[0]["content"], "reacted 👍");

    eprintln!("[{:?}] Enforced", t0.elapsed());
    // Enforced nonce: two sends, one stored message, same id.
    let nonce_msg = || {
        CreateMessage::new()
            .content("exactly once")
            .nonce(Nonce::String("n-1".into()))
            .enforce_nonce(true)
    };
    let a = ChannelId::new(channel)
        .send_message(&http, nonce_msg())
        .await
        .expect("first send");
    let b = ChannelId::new(channel)
        .send_message(&http, nonce_msg())
        .await
        .expect("second send");
    assert_eq!(a.id, b.id);
    let once = lb
        .channel_messages(channel)
        .iter()
        .filter(|m| m["content"] == "exactly once")
        .count();
    assert_eq!(once, 1);

    eprintln!("[{:?}] Injected", t0.elapsed());
    // Injected 500: serenity reports it; the next call succeeds.
    lb.fail_next(
        FailRule::new(Failure::Status(500))
            .method("POST")
            .path_prefix("/channels/"),
    );
    let e = ChannelId::new(channel)
        .say(&http, "first try")
        .await
        .expect_err("500 injected");
    assert_eq!(
        api_error(&e).map(|r| r.status_code.as_u16()),
        Some(500),
        "{e:?}"
    );
    ChannelId::new(channel)
        .say(&http, "second try")
        .await
        .expect("recovered");

    eprintln!("[{:?}] Discord's limits", t0.elapsed());
    // Discord's limits: an uppercase command name is rejected with a readable path.
    let guild = GuildId::new(lb.config().guild_id);
    let e = guild
        .set_commands(&http, vec![CreateCommand::new("Ping").description("d")])
        .await
        .expect_err("uppercase name must be rejected");
    let resp = api_error(&e).expect("api error");
    assert_eq!(resp.status_code.as_u16(), 400);
    assert_eq!(resp.error.code, 50035);
    assert_eq!(resp.error.errors[0].path, "0.name");
    let long = "x".repeat(101);
    let e = guild
        .set_commands(&http, vec![CreateCommand::new("ping").description(long)])
        .await
        .expect_err("long description must be rejected");
    assert_eq!(
        api_error(&e).map(|r| r.error.errors[0].path.clone()),
        Some("0.description".into())
    );
    // The rejected registrations left the bot's commands alone.
    assert_eq!(lb.registered_commands().len(), 1);
    // Too long content is rejected too (chars, not bytes). serenity's builder checks this
    // itself, so go through the raw endpoint.
    let e = http
        .send_message(
            ChannelId::new(channel),
            vec![],
            &json!({"content": "é".repeat(2001)}),
        )
        .await
        .expect_err("too long");
    assert_eq!(api_error(&e).map(|r| r.error.code), Some(50035));
    assert!(
        http.send_message(
            ChannelId::new(channel),
            vec![],
            &json!({"content": "é".repeat(2000)})
        )
        .await
        .is_ok()
    );

    eprintln!("[{:?}] The interaction window", t0.elapsed());
    // The interaction window: an answer after it gets 10062 Unknown interaction.
    let h = lb.interact(fixtures::button("slow", &alice)).await;
    let late = lb
        .wait_for(WAIT, |r| {
            r.path.starts_with(&format!("/interactions/{}/", h.id()))
        })
        .await
        .expect("late callback attempted");
    assert_eq!(late.status, 404);
    assert_eq!(late.response["code"], 10062);
    assert!(h.callback().is_none());

    eprintln!("[{:?}] Reconnect", t0.elapsed());
    // Reconnect: kick the gateway; serenity resumes and events flow again.
    lb.kick_gateway().await;
    assert!(lb.wait_gateway(WAIT).await, "no reconnect");
    let (identifies, resumes) = lb.gateway_stats();
    eprintln!("gateway: {identifies} identify, {resumes} resume");
    assert_eq!(
        identifies + resumes,
        2,
        "one new session or one resume after the kick"
    );
    let h = lb
        .interact(fixtures::slash("ping", &[], vec![], &alice))
        .await;
    assert!(
        h.response(WAIT).await.is_some(),
        "no answer after reconnect"
    );

    shards.shutdown_all().await;
    lb.shutdown();
}
