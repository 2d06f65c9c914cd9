//! Discord's rate limits against serenity's real ratelimiter: a client built with
//! `ratelimited_http_for` (ratelimiter ON, as in production) talks to the loopback's TLS API.
//! It must read the `X-RateLimit-*` headers, wait out exhausted buckets, and retry 429s by
//! itself, so every message arrives and the caller never sees a rate-limit error.

use std::time::Duration;

use futures_util::future::join_all;
use poise::serenity_prelude as serenity;
use serenity::ChannelId;
use vpa_desk::loopback::{
    ChannelSetup, FailRule, Failure, GlobalRateLimit, LoopbackConfig, LoopbackDiscord,
    RateLimitRule, RecordedRequest, fixtures, ratelimited_http_for,
};

use super::TOKEN;

const CHANNEL: u64 = fixtures::DEFAULT_CHANNEL_ID;
const PER: Duration = Duration::from_secs(1);

fn messages_path(channel: u64) -> String {
    format!("/channels/{channel}/messages")
}

/// A loopback whose channel's message route allows `limit` posts per second, and a client with
/// serenity's ratelimiter on.
async fn start_limited(limit: u32) -> (LoopbackDiscord, serenity::Http) {
    let cfg = LoopbackConfig {
        rate_limits: vec![RateLimitRule::new(&messages_path(CHANNEL), limit, PER).method("POST")],
        ..LoopbackConfig::default()
    };
    let lb = LoopbackDiscord::start(cfg).await.expect("start loopback");
    let http = ratelimited_http_for(lb.api_tls_addr(), TOKEN);
    (lb, http)
}

fn posts(lb: &LoopbackDiscord) -> Vec<RecordedRequest> {
    lb.requests()
        .into_iter()
        .filter(|r| r.is("POST", &messages_path(CHANNEL)))
        .collect()
}

fn contents(lb: &LoopbackDiscord, channel: u64) -> Vec<String> {
    let mut all: Vec<String> = lb
        .channel_messages(channel)
        .iter()
        .map(|m| m["content"].as_str().unwrap_or_default().to_owned())
        .collect();
    all.sort();
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_carries_discord_rate_limit_headers() {
    let (lb, http) = start_limited(3).await;
    ChannelId::new(CHANNEL)
        .say(&http, "one")
        .await
        .expect("posted over TLS with the ratelimiter on");
    http.get_current_user().await.expect("a default bucket");
    let reqs = lb.requests();
    let post = reqs.iter().find(|r| r.method == "POST").expect("the post");
    assert_eq!(post.response_header("x-ratelimit-limit"), Some("3"));
    assert_eq!(post.response_header("x-ratelimit-remaining"), Some("2"));
    let reset_after: f64 = post
        .response_header("x-ratelimit-reset-after")
        .and_then(|v| v.parse().ok())
        .expect("reset-after");
    assert!((0.0..=1.0).contains(&reset_after), "{reset_after}");
    // `Reset` is epoch seconds (fractional) at the window's end.
    let reset: f64 = post
        .response_header("x-ratelimit-reset")
        .and_then(|v| v.parse().ok())
        .expect("reset");
    let epoch_now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!(
        (epoch_now - 5.0..epoch_now + 2.0).contains(&reset),
        "{reset}"
    );
    assert!(post.response_header("x-ratelimit-bucket").is_some());
    // A route without a rule still reports a bucket (a generous one).
    let me = reqs
        .iter()
        .find(|r| r.path == "/users/@me")
        .expect("users/@me");
    let bucket = me.response_header("x-ratelimit-bucket").expect("bucket");
    assert_ne!(Some(bucket), post.response_header("x-ratelimit-bucket"));
    assert!(me.response_header("x-ratelimit-remaining").is_some());
    lb.shutdown();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sequential_posts_wait_for_the_reset_the_headers_announce_without_a_429() {
    let (lb, http) = start_limited(2).await;
    for i in 0..5 {
        ChannelId::new(CHANNEL)
            .say(&http, format!("m{i}"))
            .await
            .expect("delivered");
    }
    assert_eq!(contents(&lb, CHANNEL), ["m0", "m1", "m2", "m3", "m4"]);
    let posts = posts(&lb);
    // serenity saw `remaining: 0` and slept until the reset, so Discord never had to refuse.
    assert_eq!(
        posts.iter().map(|r| r.status).collect::<Vec<_>>(),
        [200; 5],
        "no 429 at all"
    );
    // Two per window: the third and fifth post each waited for a new window.
    assert!(posts[2].at - posts[0].at >= PER, "{posts:#?}");
    assert!(posts[4].at - posts[2].at >= PER, "{posts:#?}");
    lb.shutdown();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_meets_429s_that_the_ratelimiter_retries_after_waiting() {
    let (lb, http) = start_limited(2).await;
    let channel = ChannelId::new(CHANNEL);
    let sends = (0..5).map(|i| {
        let http = &http;
        async move { channel.say(http, format!("b{i}")).await }
    });
    for result in join_all(sends).await {
        result.expect("every post delivered, no 429 reaches the caller");
    }
    assert_eq!(contents(&lb, CHANNEL), ["b0", "b1", "b2", "b3", "b4"]);
    let posts = posts(&lb);
    let refused: Vec<_> = posts.iter().filter(|r| r.status == 429).collect();
    assert_eq!(posts.iter().filter(|r| r.status == 200).count(), 5);
    // The burst went out before the client knew the limit: some were refused...
    assert!(!refused.is_empty(), "{posts:#?}");
    for r in &refused {
        assert_eq!(r.response["message"], "You are being rate limited.");
        assert_eq!(r.response["global"], false);
        assert_eq!(r.response_header("x-ratelimit-scope"), Some("user"));
        assert_eq!(r.response_header("x-ratelimit-remaining"), Some("0"));
        assert_eq!(r.response_header("retry-after"), Some("1"));
        assert_eq!(r.response_header("x-ratelimit-global"), None);
    }
    // ...and retried only after waiting: a client retrying at once would pile up hundreds of
    // 429s in the two seconds the five posts need.
    assert!(refused.len() <= 6, "{} refusals", refused.len());
    let last = posts.iter().map(|r| r.at).max().unwrap();
    let first = posts.iter().map(|r| r.at).min().unwrap();
    assert!(last - first >= 2 * PER, "three windows for five posts");
    lb.shutdown();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_injected_429_is_waited_out_for_retry_after_then_retried() {
    let (lb, http) = start_limited(100).await;
    lb.fail_next(
        FailRule::new(Failure::RateLimited {
            retry_after_secs: 1.0,
        })
        .method("POST"),
    );
    let m = ChannelId::new(CHANNEL)
        .say(&http, "after a 429")
        .await
        .expect("the ratelimiter retried by itself");
    assert_eq!(m.content, "after a 429");
    let posts = posts(&lb);
    assert_eq!(
        posts.iter().map(|r| r.status).collect::<Vec<_>>(),
        [429, 200]
    );
    assert_eq!(posts[0].response["retry_after"], 1.0);
    assert!(
        posts[1].at - posts[0].at >= Duration::from_secs(1),
        "retried after {:?}",
        posts[1].at - posts[0].at
    );
    assert_eq!(lb.channel_messages(CHANNEL).len(), 1);
    lb.shutdown();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_global_limit_spans_channels_and_is_waited_out_too() {
    let other = fixtures::DEFAULT_CHANNEL_ID + 1;
    let cfg = LoopbackConfig {
        global_rate_limit: Some(GlobalRateLimit { limit: 2, per: PER }),
        ..LoopbackConfig::default()
    };
    let lb = LoopbackDiscord::start(cfg).await.expect("start loopback");
    lb.add_channel(ChannelSetup::text(other, "other"));
    let http = ratelimited_http_for(lb.api_tls_addr(), TOKEN);
    // Three posts in two channels: separate route buckets, one global limit.
    for (channel, text) in [(CHANNEL, "g0"), (other, "g1"), (CHANNEL, "g2")] {
        ChannelId::new(channel)
            .say(&http, text)
            .await
            .expect("delivered");
    }
    let reqs: Vec<_> = lb
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    let statuses: Vec<_> = reqs.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 200, 429, 200], "{reqs:#?}");
    let refused = &reqs[2];
    assert_eq!(refused.response["global"], true);
    assert_eq!(refused.response_header("x-ratelimit-global"), Some("true"));
    assert_eq!(refused.response_header("x-ratelimit-scope"), Some("global"));
    let retry_after: f64 = refused
        .response_header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("retry-after");
    assert!(reqs[3].at - refused.at >= Duration::from_secs_f64(retry_after));
    assert_eq!(contents(&lb, CHANNEL), ["g0", "g2"]);
    assert_eq!(contents(&lb, other), ["g1"]);
    lb.shutdown();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_ratelimiter_a_429_is_the_callers_error() {
    // The proxied client of the other tests (ratelimiter off) gets the 429 back as an error.
    let (lb, _) = start_limited(1).await;
    let http = vpa_desk::loopback::http_for(&lb.api_base(), TOKEN);
    let channel = ChannelId::new(CHANNEL);
    channel.say(&http, "fits").await.expect("first");
    let e = channel.say(&http, "over").await.expect_err("429");
    let r = super::api_error(&e).expect("answered");
    assert_eq!(r.status_code.as_u16(), 429);
    assert_eq!(contents(&lb, CHANNEL), ["fits"]);
    lb.shutdown();
}

/// Replies "pong".
#[poise::command(slash_command)]
async fn ping(ctx: poise::Context<'_, (), super::Error>) -> Result<(), super::Error> {
    ctx.say("pong").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_bot_runs_with_the_ratelimiter_on() {
    // Start-up (gateway URL, application info, command registration) and an interaction, all
    // through serenity's ratelimiter and the TLS API: what the bot's `http_client` would do
    // with the ratelimiter kept on.
    let lb = LoopbackDiscord::start(LoopbackConfig::default())
        .await
        .expect("start loopback");
    let guild = serenity::GuildId::new(lb.config().guild_id);
    let framework = super::registering(
        poise::FrameworkOptions {
            commands: vec![ping()],
            ..Default::default()
        },
        guild,
    );
    let http = ratelimited_http_for(lb.api_tls_addr(), TOKEN);
    let client =
        serenity::ClientBuilder::new_with_http(http, serenity::GatewayIntents::non_privileged())
            .framework(framework)
            .await
            .expect("build client");
    let shards = super::run_until_ready(&lb, client).await;
    let alice = fixtures::FakeUser::new(1_200_000_000_000_000_001, "alice");
    let h = lb
        .interact(fixtures::slash("ping", &[], vec![], &alice))
        .await;
    let body = h.response(super::WAIT).await.expect("answered");
    assert_eq!(body["data"]["content"], "pong");
    shards.shutdown_all().await;
    lb.shutdown();
}
