//! `enforce_nonce` within Discord's window: a repeated nonce returns the first message while
//! the window is open, and posts again once it has passed (moved past with the loopback clock,
//! as a bot restarting after a long outage would see it).

use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::{ChannelId, CreateMessage, Nonce};
use vpa_desk::loopback::{LoopbackConfig, fixtures};

use super::start;

const CHANNEL: u64 = fixtures::DEFAULT_CHANNEL_ID;
const WINDOW: Duration = Duration::from_secs(60);

fn with_nonce(nonce: &str, content: &str) -> CreateMessage {
    CreateMessage::new()
        .content(content)
        .nonce(Nonce::String(nonce.into()))
        .enforce_nonce(true)
}

#[tokio::test]
async fn a_repeated_nonce_returns_the_first_message_only_within_the_window() {
    let cfg = LoopbackConfig {
        nonce_window: WINDOW,
        ..LoopbackConfig::default()
    };
    let (lb, http) = start(cfg).await;
    let channel = ChannelId::new(CHANNEL);
    let first = channel
        .send_message(&http, with_nonce("n-1", "first"))
        .await
        .expect("first");
    // Inside the window (just before its end): the first message comes back, nothing posted.
    lb.advance_clock(WINDOW - Duration::from_secs(1));
    let again = channel
        .send_message(&http, with_nonce("n-1", "retry"))
        .await
        .expect("retry inside the window");
    assert_eq!(again.id, first.id);
    assert_eq!(
        again.content, "first",
        "the stored message, not the retry's body"
    );
    assert_eq!(lb.channel_messages(CHANNEL).len(), 1);
    // Past the window (as after a restart much later): the same nonce posts a new message.
    lb.advance_clock(Duration::from_secs(2));
    let later = channel
        .send_message(&http, with_nonce("n-1", "later"))
        .await
        .expect("after the window");
    assert_ne!(later.id, first.id);
    let contents: Vec<_> = lb
        .channel_messages(CHANNEL)
        .iter()
        .map(|m| m["content"].clone())
        .collect();
    assert_eq!(contents, ["first", "later"]);
    // The new post opened a new window for that nonce.
    let repeat = channel
        .send_message(&http, with_nonce("n-1", "once more"))
        .await
        .expect("repeat of the new post");
    assert_eq!(repeat.id, later.id);
    lb.shutdown();
}

#[tokio::test]
async fn the_default_window_is_five_minutes_and_needs_enforce_nonce() {
    let (lb, http) = start(LoopbackConfig::default()).await;
    assert_eq!(lb.config().nonce_window, Duration::from_secs(300));
    let channel = ChannelId::new(CHANNEL);
    let a = channel
        .send_message(&http, with_nonce("n-2", "a"))
        .await
        .expect("a");
    lb.advance_clock(Duration::from_secs(299));
    let b = channel
        .send_message(&http, with_nonce("n-2", "b"))
        .await
        .expect("b");
    assert_eq!(a.id, b.id, "still inside five minutes");
    // Without enforce_nonce a nonce does not dedupe at all.
    let plain = CreateMessage::new()
        .content("plain")
        .nonce(Nonce::String("n-2".into()));
    let c = channel.send_message(&http, plain).await.expect("c");
    assert_ne!(c.id, a.id);
    lb.advance_clock(Duration::from_secs(2));
    let d = channel
        .send_message(&http, with_nonce("n-2", "d"))
        .await
        .expect("d");
    assert_ne!(d.id, a.id, "past five minutes");
    assert_eq!(lb.channel_messages(CHANNEL).len(), 3);
    lb.shutdown();
}

#[tokio::test]
async fn the_clock_also_closes_interaction_windows() {
    let (lb, http) = start(LoopbackConfig::default()).await;
    let alice = fixtures::FakeUser::new(1_200_000_000_000_000_001, "alice");
    let ack = serenity::CreateInteractionResponse::Acknowledge;
    let fresh = lb.interact(fixtures::button("b", &alice)).await;
    let stale = lb.interact(fixtures::button("b", &alice)).await;
    http.create_interaction_response(fresh.id().into(), fresh.token(), &ack, vec![])
        .await
        .expect("inside the 3 s window");
    lb.advance_clock(Duration::from_secs(4));
    let e = http
        .create_interaction_response(stale.id().into(), stale.token(), &ack, vec![])
        .await
        .expect_err("4 s later");
    assert_eq!(super::api_error(&e).map(|r| r.error.code), Some(10062));
    assert!(stale.callback().is_none());
    lb.shutdown();
}
