//! The HTTP layer: failure injection as the client sees it (an error status, a connection that
//! dies without an answer, an answer lost after the work was done), rule matching and `times`.

use poise::serenity_prelude as serenity;
use serenity::ChannelId;
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
