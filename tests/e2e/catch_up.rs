//! Catch-up on every READY: reactions given or taken back while the bot was down (or while its
//! gateway session was lost) are read back from the open survey posts and recorded as the live
//! events would have been — and a second catch-up, or the live event arriving as well, changes
//! nothing.

use serde_json::Value;
use tokio::sync::broadcast::Receiver;
use vpa_desk::domain::ids::DiscordId;
use vpa_desk::loopback::fixtures::{self, FakeUser};
use vpa_desk::service::{DeskEvent, HandledEvent, HandledOutcome};

use crate::support::{
    Harness, SurveyAction, WAIT, handled, round_of, survey_button, sv, wait_until,
};

/// `(posts, added, withdrawn, failed)` of the next catch-up.
async fn caught_up(events: &mut Receiver<DeskEvent>) -> (usize, usize, usize, usize) {
    let wait = async {
        loop {
            match events.recv().await {
                Ok(DeskEvent::CaughtUp {
                    posts,
                    added,
                    withdrawn,
                    failed,
                }) => return (posts, added, withdrawn, failed),
                Ok(_) => {}
                Err(e) => panic!("the bot's events ended: {e}"),
            }
        }
    };
    tokio::time::timeout(WAIT, wait)
        .await
        .expect("the bot caught up")
}

/// The channel and message id of a post.
fn ids(post: &Value) -> (u64, u64) {
    let id = |k: &str| post[k].as_str().and_then(|v| v.parse().ok()).unwrap();
    (id("channel_id"), id("id"))
}

/// Task #1 (4 h research) surveying three VPAs (1000–1002): its survey post, the round, and the
/// post's channel and message id.
async fn three_surveyed(h: &Harness) -> (Value, vpa_desk::domain::ids::RoundId, u64, u64) {
    h.seed_vpas(1000, 3, "research").await;
    h.research_task(4.0).await;
    let post = h.wait_survey_post(1).await;
    let (channel, message) = ids(&post);
    (post.clone(), round_of(&post), channel, message)
}

/// A VPA's answer history in a round: (answer, via), oldest first.
async fn history(
    h: &Harness,
    round: vpa_desk::domain::ids::RoundId,
    vpa: u64,
) -> Vec<(String, String)> {
    h.sql
        .rows(format!(
            "SELECT answer, via FROM survey_answer_history WHERE round_id = {} AND vpa_id = {vpa} ORDER BY id",
            round.0
        ))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reactions_given_and_taken_back_while_the_bot_was_down_are_recorded_at_ready() {
    let h = Harness::start().await;
    let (post, round, channel, message) = three_surveyed(&h).await;
    let (anna, ben, cem) = (h.vpa(1000), h.vpa(1001), h.vpa(1002));
    // In the guild, but no VPA.
    let guest = FakeUser::new(7000, "gast");
    for member in [&anna, &ben, &cem, &guest] {
        h.discord.add_member(member);
    }
    h.react(&post, &anna, "✅", true).await;
    h.wait_answers(round, &[(1000, "accept")]).await;

    let mut h = h
        .restart_after(|discord| {
            discord.react_silently(&ben, channel, message, "✅", true);
            discord.react_silently(&cem, channel, message, "❌", true);
            discord.react_silently(&guest, channel, message, "✅", true);
            discord.react_silently(&anna, channel, message, "✅", false);
        })
        .await;
    let mut events = h.events_since_boot();
    assert_eq!(caught_up(&mut events).await, (1, 2, 1, 0));
    // Ben's and Cem's reactions are answers, Anna's is withdrawn, the guest's is no answer.
    h.wait_answers(round, &[(1001, "accept"), (1002, "decline")])
        .await;
    assert_eq!(
        history(&h, round, 1000).await,
        [
            ("accept".into(), "reaction".into()),
            ("withdrawn".into(), "reaction".into())
        ]
    );
    // As live: the post shows the counts, the coordinator hears of Ben, Cem is asked why.
    let id = post["id"].as_str().unwrap();
    h.wait_post_matching(id, |m| {
        m["embeds"][0]["footer"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("✅ 1 · ❌ 1 · ⏳ 0 · noch offen 1 von 3"))
    })
    .await;
    let discord = h.discord.clone();
    let coordinator = h.coordinator().id;
    let told = |discord: &vpa_desk::loopback::LoopbackDiscord| {
        discord
            .dm_messages(coordinator)
            .iter()
            .filter(|m| m["content"].as_str().is_some_and(|c| c.contains("<@1001>")))
            .count()
    };
    wait_until(async || (told(&discord) == 1).then_some(()))
        .await
        .expect("the coordinator heard of Ben");
    let dm = wait_until(async || discord.dm_messages(1002).first().cloned())
        .await
        .expect("Cem is asked for a reason");
    assert_eq!(
        survey_button(&dm, SurveyAction::Decline),
        sv(SurveyAction::Decline, round)
    );

    // A reconnect that cannot resume gets a new READY: the catch-up finds nothing to do.
    let recorded = h.desk.db.answer_history_len(round).await.unwrap();
    let (identifies, _) = h.discord.gateway_stats();
    let mut events = h.events();
    h.discord.end_sessions().await;
    assert_eq!(caught_up(&mut events).await, (1, 0, 0, 0));
    assert!(h.discord.gateway_stats().0 > identifies, "a fresh identify");
    // Nor does the live event arriving after all.
    h.react(&post, &ben, "✅", true).await;
    let outcome = handled(&mut events, |e| {
        matches!(e, HandledEvent::Reaction { user, added: true, .. } if *user == DiscordId(1001))
    })
    .await;
    assert_eq!(outcome, HandledOutcome::Ignored);
    assert_eq!(h.desk.db.answer_history_len(round).await.unwrap(), recorded);
    h.wait_answers(round, &[(1001, "accept"), (1002, "decline")])
        .await;
    assert_eq!(told(&h.discord), 1, "told once");
    assert_eq!(h.discord.dm_messages(1002).len(), 1, "asked once");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_button_answer_stands_without_a_reaction_and_a_reaction_completed_by_dm_goes_with_it() {
    let h = Harness::start().await;
    let (post, round, channel, message) = three_surveyed(&h).await;
    let (anna, ben, cem) = (h.vpa(1000), h.vpa(1001), h.vpa(1002));
    // Anna accepts by button: no reaction of hers is on the post.
    let click = h
        .click(&post, &sv(SurveyAction::Accept, round), &anna)
        .await;
    assert!(h.final_text(&click).await.contains("angenommen"));
    // Ben declines by reaction, then accepts by button: his ❌ stays on the post.
    h.react(&post, &ben, "❌", true).await;
    h.wait_answers(round, &[(1000, "accept"), (1001, "decline")])
        .await;
    let click = h.click(&post, &sv(SurveyAction::Accept, round), &ben).await;
    assert!(h.final_text(&click).await.contains("angenommen"));
    // Cem declines by reaction and gives the reason through the DM that asks for it.
    h.react(&post, &cem, "❌", true).await;
    let discord = h.discord.clone();
    let dm = wait_until(async || discord.dm_messages(1002).first().cloned())
        .await
        .expect("Cem is asked for a reason");
    let chosen = h
        .choose(
            &dm,
            &sv(SurveyAction::Reason, round),
            &["no-capacity"],
            &cem,
        )
        .await;
    h.final_text(&chosen).await;
    let reason: Vec<(String, String)> = h
        .sql
        .rows(format!(
            "SELECT reason, via FROM survey_answers WHERE round_id = {} AND vpa_id = 1002",
            round.0
        ))
        .await;
    let reason = reason.into_iter().next().expect("the answer");
    assert_eq!(reason, ("no-capacity".into(), "button".into()));

    // While the bot is down, Cem takes his ❌ back.
    let mut h = h
        .restart_after(|discord| discord.react_silently(&cem, channel, message, "❌", false))
        .await;
    let mut events = h.events_since_boot();
    assert_eq!(caught_up(&mut events).await, (1, 0, 1, 0));
    // Anna's and Ben's button answers stand; Cem's decline stood on his ❌ and went with it.
    h.wait_answers(round, &[(1000, "accept"), (1001, "accept")])
        .await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_than_a_page_of_reactions_is_read_and_closed_posts_are_not() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 1, "research").await;
    h.research_task(4.0).await;
    let open = h.wait_survey_post(1).await;
    h.research_task(2.0).await;
    let cancelled = h.wait_survey_post(2).await;
    let reply = h
        .discord
        .interact(fixtures::slash(
            "task",
            &["cancel"],
            vec![("id", 2i64.into()), ("reason", "Kunde hat abgesagt".into())],
            &h.coordinator(),
        ))
        .await;
    assert!(h.final_text(&reply).await.contains("abgebrochen"));
    // 110 people who are not in the guild (any more) before a VPA, who is on the second page.
    let (channel, message) = ids(&open);
    for id in 2000..2110 {
        h.discord.react_silently(
            &FakeUser::new(id, &format!("gone{id}")),
            channel,
            message,
            "✅",
            true,
        );
    }
    let vpa = h.vpa(5000);
    h.discord.add_member(&vpa);
    h.discord.react_silently(&vpa, channel, message, "✅", true);
    let (channel, message) = ids(&cancelled);
    h.discord
        .react_silently(&h.vpa(1000), channel, message, "✅", true);

    let mut events = h.events();
    let from = h.discord.requests().len();
    h.discord.end_sessions().await;
    assert_eq!(caught_up(&mut events).await, (1, 1, 0, 0));
    // The VPA who was not surveyed is recorded and marked, as live.
    h.wait_answers(round_of(&open), &[(5000, "accept")]).await;
    assert!(h.answers(round_of(&cancelled)).await.is_empty());
    let read = |message: u64| {
        h.requests_since(from, |r| {
            r.method == "GET" && r.path.contains(&format!("/messages/{message}/reactions/"))
        })
    };
    // Two pages of ✅ (the second after the first's last user), one each of ❌ and ⏳.
    let pages: Vec<String> = read(ids(&open).1).into_iter().map(|r| r.query).collect();
    assert_eq!(
        pages,
        [
            "limit=100",
            "limit=100&after=2099",
            "limit=100",
            "limit=100"
        ]
    );
    assert!(
        read(message).is_empty(),
        "the cancelled task's post is not read"
    );
    h.stop().await;
}
