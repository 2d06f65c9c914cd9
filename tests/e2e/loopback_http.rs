//! The HTTP layer: failure injection as the client sees it (an error status, a connection that
//! dies without an answer, an answer lost after the work was done, a slow answer), rule
//! matching, `times` and `after`; and paging through a channel's history as Discord does.

use std::time::{Duration, Instant};

use poise::serenity_prelude as serenity;
use serenity::{ChannelId, GetMessages, MessageId};
use vpa_desk::loopback::{FailRule, Failure, LoopbackConfig, fixtures};

use super::{api_error, start};

fn is_transport_error(e: &serenity::Error) -> bool {
    matches!(e, serenity::Error::Http(serenity::HttpError::Request(_)))
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error_and_nothing_happened() {
    let (lb, http) = start(LoopbackConfig::default()).await;
    let channel = ChannelId::new(fixtures::DEFAULT_CHANNEL_ID);
    channel.say(&http, "before").await.expect("a first post");
    lb.fail_next(FailRule::new(Failure::DropConnection).method("POST"));
    let e = channel.say(&http, "dropped").await.expect_err("dropped");
    // No status at all: the client saw the connection close before any response.
    assert!(is_transport_error(&e), "{e:?}");
    let recorded = lb.requests().last().cloned().expect("recorded");
    assert_eq!(
        (recorded.status, recorded.body["content"].as_str()),
        (0, Some("dropped"))
    );
    let contents: Vec<_> = lb
        .channel_messages(channel.get())
        .iter()
        .map(|m| m["content"].clone())
        .collect();
    assert_eq!(contents, ["before"], "a dropped request did nothing");
    // The rule is used up; the next request (on a new connection) goes through.
    channel.say(&http, "after").await.expect("after the drop");
    assert_eq!(lb.channel_messages(channel.get()).len(), 2);
    lb.shutdown();
}

#[tokio::test]
async fn a_lost_response_is_a_transport_error_but_the_post_happened() {
    let (lb, http) = start(LoopbackConfig::default()).await;
    let channel = ChannelId::new(fixtures::DEFAULT_CHANNEL_ID);
    lb.fail_next(FailRule::new(Failure::LoseResponse).path_prefix("/channels/"));
    let e = channel.say(&http, "lost").await.expect_err("lost response");
    assert!(is_transport_error(&e), "{e:?}");
    let recorded = lb.requests().last().cloned().expect("recorded");
    assert_eq!(recorded.status, 200, "handled normally");
    assert_eq!(recorded.response["content"], "lost");
    assert_eq!(lb.channel_messages(channel.get())[0]["content"], "lost");
    lb.shutdown();
}

#[tokio::test]
async fn rules_match_method_and_path_and_run_out_after_times() {
    let (lb, http) = start(LoopbackConfig::default()).await;
    let channel = ChannelId::new(fixtures::DEFAULT_CHANNEL_ID);
    lb.fail_next(
        FailRule::new(Failure::Status(503))
            .method("post")
            .path_prefix("/channels/")
            .times(2),
    );
    lb.fail_next(FailRule::new(Failure::Forbidden).method("GET"));
    // A GET meets the second rule only.
    let e = http.get_current_user().await.expect_err("forbidden");
    let r = api_error(&e).expect("answered");
    assert_eq!((r.status_code.as_u16(), r.error.code), (403, 50001));
    for _ in 0..2 {
        let e = channel.say(&http, "x").await.expect_err("503");
        assert_eq!(api_error(&e).map(|r| r.status_code.as_u16()), Some(503));
    }
    channel
        .say(&http, "x")
        .await
        .expect("both failures used up");
    http.get_current_user().await.expect("forbidden used up");
    let statuses: Vec<_> = lb.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [403, 503, 503, 200, 200]);
    lb.shutdown();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_response_is_done_at_once_and_answered_later_and_after_lets_the_first_through() {
    let (lb, http) = start(LoopbackConfig::default()).await;
    let channel = ChannelId::new(fixtures::DEFAULT_CHANNEL_ID);
    let hold = Duration::from_secs(1);
    lb.fail_next(
        FailRule::new(Failure::SlowResponse(hold))
            .method("POST")
            .after(1),
    );
    channel.say(&http, "first").await.expect("let through");
    let begun = Instant::now();
    let http = std::sync::Arc::new(http);
    let sending = {
        let http = http.clone();
        tokio::spawn(async move { channel.say(&http, "slow").await })
    };
    let recorded = lb
        .wait_for(super::WAIT, |r| r.body["content"] == "slow")
        .await
        .expect("the slow post arrived");
    // Done and recorded while the client still waits for the answer.
    assert_eq!(recorded.status, 200);
    assert_eq!(lb.channel_messages(channel.get()).len(), 2);
    let sent = sending.await.unwrap().expect("answered in the end");
    assert!(
        begun.elapsed() >= hold,
        "answered after {:?}",
        begun.elapsed()
    );
    assert_eq!(sent.content, "slow");
    // The rule is used up.
    channel
        .say(&http, "third")
        .await
        .expect("after the slow one");
    lb.shutdown();
}

#[tokio::test]
async fn history_pages_newest_first_before_and_after_a_message() {
    let (lb, http) = start(LoopbackConfig::default()).await;
    let channel = ChannelId::new(fixtures::DEFAULT_CHANNEL_ID);
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(channel.say(&http, format!("m{i}")).await.expect("post").id);
    }
    let page = |messages: Vec<serenity::Message>| -> Vec<MessageId> {
        messages.into_iter().map(|m| m.id).collect()
    };
    let newest = channel
        .messages(&http, GetMessages::new().limit(2))
        .await
        .unwrap();
    assert_eq!(page(newest), [ids[4], ids[3]]);
    // Just after `after` (the oldest ones after it), still newest first.
    let after = channel
        .messages(&http, GetMessages::new().after(ids[0]).limit(2))
        .await
        .unwrap();
    assert_eq!(page(after), [ids[2], ids[1]]);
    let before = channel
        .messages(&http, GetMessages::new().before(ids[4]).limit(2))
        .await
        .unwrap();
    assert_eq!(page(before), [ids[3], ids[2]]);
    let all = channel.messages(&http, GetMessages::new()).await.unwrap();
    assert_eq!(all.len(), 5);
    lb.shutdown();
}
