//! Reactions as the server keeps them: per message and emoji, the users who reacted, readable
//! through serenity's REST calls (with pagination) and in the messages' `reactions` arrays;
//! changes from the test either with a gateway event or silently (as if the bot was offline).

use poise::serenity_prelude as serenity;
use serenity::{ChannelId, MessageId, ReactionType, UserId};
use vpa_desk::loopback::{LoopbackConfig, LoopbackDiscord, fixtures, fixtures::FakeUser, http_for};

use super::{TOKEN, WAIT, api_error, start};

const CHANNEL: u64 = fixtures::DEFAULT_CHANNEL_ID;

fn thumbs() -> ReactionType {
    ReactionType::Unicode("👍".into())
}

fn user(i: u64) -> FakeUser {
    FakeUser::new(1_200_000_000_000_000_000 + i, &format!("u{i}"))
}

#[tokio::test]
async fn reaction_users_pages_through_the_server_set() {
    let (lb, http) = start(LoopbackConfig::default()).await;
    let channel = ChannelId::new(CHANNEL);
    let msg = channel.say(&http, "vote").await.expect("post");
    http.create_reaction(channel, msg.id, &thumbs())
        .await
        .expect("the bot reacts");
    // 30 users, added out of order, react while the bot is offline; two also with ❌.
    for i in (1..=30).rev() {
        lb.react_silently(&user(i), CHANNEL, msg.id.get(), "👍", true);
    }
    lb.react_silently(&user(3), CHANNEL, msg.id.get(), "❌", true);
    lb.react_silently(&user(4), CHANNEL, msg.id.get(), "❌", true);

    // Page by 12 with `after`, as a bot catching up after a restart would.
    let mut seen: Vec<UserId> = Vec::new();
    loop {
        let page = msg
            .reaction_users(&http, thumbs(), Some(12), seen.last().copied())
            .await
            .expect("a page");
        assert!(page.len() <= 12);
        if page.is_empty() {
            break;
        }
        seen.extend(page.iter().map(|u| u.id));
    }
    let mut expected: Vec<u64> = (1..=30).map(|i| user(i).id).collect();
    expected.push(fixtures::DEFAULT_BOT_USER_ID);
    expected.sort_unstable();
    assert_eq!(seen.iter().map(|u| u.get()).collect::<Vec<_>>(), expected);
    // The users come back as the test introduced them.
    let first = http
        .get_reaction_users(
            channel,
            msg.id,
            &thumbs(),
            2,
            Some(fixtures::DEFAULT_BOT_USER_ID),
        )
        .await
        .expect("after the bot");
    assert_eq!(
        first.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
        ["u1", "u2"]
    );
    // The message itself carries the counts, and whether the bot is among them.
    let got = channel.message(&http, msg.id).await.expect("get message");
    let counts: Vec<_> = got
        .reactions
        .iter()
        .map(|r| (r.reaction_type.to_string(), r.count, r.me))
        .collect();
    assert_eq!(counts, [("👍".into(), 31, true), ("❌".into(), 2, false)]);
    // ...and so does the channel history.
    let history = channel
        .messages(&http, serenity::GetMessages::new().limit(5))
        .await
        .expect("history");
    assert_eq!(history[0].reactions.len(), 2);
    lb.shutdown();
}

#[tokio::test]
async fn the_bot_takes_its_reaction_back_and_unknown_messages_are_404() {
    let (lb, http) = start(LoopbackConfig::default()).await;
    let channel = ChannelId::new(CHANNEL);
    let msg = channel.say(&http, "vote").await.expect("post");
    msg.react(&http, '👍').await.expect("react");
    lb.react_silently(&user(1), CHANNEL, msg.id.get(), "👍", true);
    assert_eq!(lb.bot_reactions(CHANNEL, msg.id.get()), ["👍"]);
    http.delete_reaction_me(channel, msg.id, &thumbs())
        .await
        .expect("DELETE @me");
    assert!(lb.bot_reactions(CHANNEL, msg.id.get()).is_empty());
    assert_eq!(lb.reaction_users(CHANNEL, msg.id.get(), "👍"), [user(1).id]);
    let got = channel.message(&http, msg.id).await.expect("get");
    assert_eq!((got.reactions[0].count, got.reactions[0].me), (1, false));
    // Custom emoji are `name:id`.
    let party = ReactionType::Custom {
        animated: false,
        id: 123.into(),
        name: Some("party".into()),
    };
    msg.react(&http, party.clone()).await.expect("custom");
    assert_eq!(
        lb.reaction_users(CHANNEL, msg.id.get(), "party:123"),
        [fixtures::DEFAULT_BOT_USER_ID]
    );
    let got = channel.message(&http, msg.id).await.expect("get");
    assert_eq!(got.reactions[1].reaction_type, party);
    // A message the server does not have.
    let e = http
        .get_reaction_users(channel, MessageId::new(42), &thumbs(), 10, None)
        .await
        .expect_err("unknown message");
    let r = api_error(&e).expect("answered");
    assert_eq!((r.status_code.as_u16(), r.error.code), (404, 10008));
    let e = http
        .create_reaction(channel, MessageId::new(42), &thumbs())
        .await
        .expect_err("unknown message");
    assert_eq!(api_error(&e).map(|r| r.error.code), Some(10008));
    lb.shutdown();
}

#[tokio::test]
async fn limit_defaults_to_25_and_may_not_exceed_100() {
    // serenity always sends a limit, so ask the route directly.
    let (lb, http) = start(LoopbackConfig::default()).await;
    let msg = ChannelId::new(CHANNEL)
        .say(&http, "many")
        .await
        .expect("post");
    for i in 1..=30 {
        lb.react_silently(&user(i), CHANNEL, msg.id.get(), "👍", true);
    }
    let url = format!(
        "{}/api/v10/channels/{CHANNEL}/messages/{}/reactions/%F0%9F%91%8D",
        lb.api_base(),
        msg.id
    );
    let client = reqwest::Client::new();
    let get = |url: String| {
        let client = client.clone();
        async move {
            let r = client.get(url).send().await.expect("answered");
            let status = r.status().as_u16();
            let body = r.bytes().await.expect("body");
            (
                status,
                serde_json::from_slice::<serde_json::Value>(&body).expect("json"),
            )
        }
    };
    let (_, all) = get(url.clone()).await;
    assert_eq!(all.as_array().map(Vec::len), Some(25));
    let (status, body) = get(format!("{url}?limit=101")).await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(50035)));
    let (_, burst) = get(format!("{url}?type=1")).await;
    assert_eq!(burst, serde_json::json!([]), "no burst reactions here");
    lb.shutdown();
}

/// Echoes each reaction event it gets as a post: `add <emoji> <user>` / `remove <emoji> <user>`.
struct Echo;

#[serenity::async_trait]
impl serenity::EventHandler for Echo {
    async fn reaction_add(&self, ctx: serenity::Context, r: serenity::Reaction) {
        let text = format!("add {} {}", r.emoji, r.user_id.map_or(0, |u| u.get()));
        let _ = r.channel_id.say(&ctx.http, text).await;
    }

    async fn reaction_remove(&self, ctx: serenity::Context, r: serenity::Reaction) {
        let text = format!("remove {} {}", r.emoji, r.user_id.map_or(0, |u| u.get()));
        let _ = r.channel_id.say(&ctx.http, text).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dispatched_reactions_reach_the_bot_and_silent_ones_do_not() {
    let lb = LoopbackDiscord::start(LoopbackConfig::default())
        .await
        .expect("start loopback");
    let http = http_for(&lb.api_base(), TOKEN);
    let msg = ChannelId::new(CHANNEL)
        .say(&http, "vote")
        .await
        .expect("post");
    let m = msg.id.get();
    let mut client = serenity::ClientBuilder::new_with_http(
        http_for(&lb.api_base(), TOKEN),
        serenity::GatewayIntents::non_privileged(),
    )
    .event_handler(Echo)
    .await
    .expect("client");
    let shards = client.shard_manager.clone();
    tokio::spawn(async move {
        let _ = client.start().await;
    });
    assert!(lb.wait_gateway(WAIT).await, "no gateway session");
    let (alice, bob, carol) = (user(1), user(2), user(3));
    let echoed = |text: String| {
        let lb = lb.clone();
        async move {
            lb.wait_for(WAIT, |r| {
                r.method == "POST" && r.body["content"] == text.as_str()
            })
            .await
            .is_some()
        }
    };

    lb.react(&alice, CHANNEL, m, "👍", true).await;
    assert!(
        echoed(format!("add 👍 {}", alice.id)).await,
        "alice's event"
    );
    lb.react_silently(&bob, CHANNEL, m, "👍", true);
    // Carol's event comes after bob's would have on the same connection: once it is echoed,
    // bob's reaction has provably sent nothing.
    lb.react(&carol, CHANNEL, m, "👍", true).await;
    assert!(
        echoed(format!("add 👍 {}", carol.id)).await,
        "carol's event"
    );
    let echoes: Vec<String> = lb
        .channel_messages(CHANNEL)
        .iter()
        .filter_map(|m| m["content"].as_str().map(str::to_owned))
        .collect();
    assert!(
        !echoes.iter().any(|t| t.contains(&bob.id.to_string())),
        "{echoes:?}"
    );
    assert_eq!(
        lb.reaction_users(CHANNEL, m, "👍"),
        [alice.id, bob.id, carol.id]
    );

    lb.react(&alice, CHANNEL, m, "👍", false).await;
    assert!(
        echoed(format!("remove 👍 {}", alice.id)).await,
        "alice's removal"
    );
    lb.react_silently(&bob, CHANNEL, m, "👍", false);
    assert_eq!(lb.reaction_users(CHANNEL, m, "👍"), [carol.id]);
    let users = http
        .get_reaction_users(msg.channel_id, msg.id, &thumbs(), 100, None)
        .await
        .expect("users");
    assert_eq!(
        users.iter().map(|u| u.id.get()).collect::<Vec<_>>(),
        [carol.id]
    );
    shards.shutdown_all().await;
    lb.shutdown();
}
