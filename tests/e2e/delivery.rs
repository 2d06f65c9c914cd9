//! Delivery through the outbox: a Discord outage delays a post but delivers it exactly once
//! (back-off, rate limits, a lost response answered by the nonce), a permanent error is given
//! up, a crash loses nothing and repeats nothing, and DMs to one person share their channel.

use serde_json::Value;
use vpa_desk::db::outbox::Intent;
use vpa_desk::domain::outbox::DirectMessage;
use vpa_desk::domain::{DiscordId, TaskId};
use vpa_desk::loopback::{FailRule, Failure};

use crate::support::{Harness, SurveyAction, round_of, sv, wait_until, wait_until_for};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_discord_outage_delays_the_post_but_delivers_it_exactly_once() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 2, "research").await;
    let surveys = h.surveys_path();
    h.fail_survey_posts(Failure::Status(500), 2);
    let rate_limited = Failure::RateLimited {
        retry_after_secs: 0.2,
    };
    h.fail_survey_posts(rate_limited, 1);
    h.research_task(4.0).await;
    // Back-off after 1 s, 2 s and 4 s: 7 s, well inside 30 s even on a loaded machine.
    let patience = std::time::Duration::from_secs(30);
    wait_until_for(patience, async || {
        (!h.survey_posts().is_empty()).then_some(())
    })
    .await
    .expect("the post after the outage");
    h.settle().await;
    let posts = h.survey_posts();
    assert_eq!(posts.len(), 1, "delivered exactly once");
    let attempts = h.posts_to(&surveys);
    assert_eq!(
        attempts.iter().map(|r| r.status).collect::<Vec<_>>(),
        [500, 500, 429, 200]
    );
    // A lost response: Discord made the post but the answer never arrived. The retry carries
    // the same nonce, so Discord hands back the first message instead of posting twice.
    h.fail_survey_posts(Failure::LoseResponse, 1);
    h.research_task(3.0).await;
    wait_until(async || (h.posts_to(&surveys).len() >= 6).then_some(()))
        .await
        .expect("the retry after the lost response");
    h.wait_survey_post(2).await;
    h.settle().await;
    assert_eq!(
        h.survey_posts().len(),
        2,
        "no double post after a lost response"
    );
    let nonces: Vec<Value> = h
        .posts_to(&surveys)
        .iter()
        .skip(4)
        .map(|r| r.body["nonce"].clone())
        .collect();
    assert_eq!(nonces.len(), 2);
    assert_eq!(nonces[0], nonces[1], "the retry repeats the nonce");
    let recorded: i64 = h
        .sql
        .one("SELECT message_id FROM survey_rounds WHERE id = 2")
        .await;
    assert_eq!(
        recorded.to_string(),
        h.survey_posts()[1]["id"].as_str().unwrap(),
        "the round knows the one post"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permanent_error_is_not_retried_forever() {
    let h = Harness::start().await;
    // A DM Discord refuses for good (403 Missing Access): given up at once and recorded. (A
    // DM the user does not take, 50007, waits for them instead: see dm_fallback.rs.)
    let dm = h.discord.dm_channel_id(4242);
    h.discord.fail_next(
        FailRule::new(Failure::Forbidden)
            .method("POST")
            .path_prefix(&format!("/channels/{dm}/messages"))
            .times(5),
    );
    let now = h.desk.now();
    let mut tx = h.desk.db.begin_write().await.unwrap();
    vpa_desk::db::outbox::enqueue(
        &mut tx,
        vpa_desk::db::outbox::once(
            Intent::Direct {
                to: DiscordId(4242),
                message: DirectMessage::Unassigned { task_id: TaskId(1) },
            },
            now,
        ),
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // Rings the outbox and waits until nothing is due or being sent.
    h.settle().await;
    let states = h.desk.db.outbox_states().await.unwrap();
    let failed = states
        .into_iter()
        .find(|s| s.status == "failed")
        .expect("the item is given up");
    assert_eq!(failed.attempts, 1);
    let error = failed.last_error.unwrap();
    assert!(error.contains("Missing Access"), "{error}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_crash_old_buttons_and_reactions_still_work_and_pending_posts_go_out_once() {
    let (h, post) = Harness::with_survey(3, 4.0).await;
    let round = round_of(&post);
    // A post queued while Discord refuses: pending at the crash.
    h.fail_survey_posts(Failure::Status(503), 1);
    h.research_task(2.0).await;
    wait_until(async || {
        h.discord
            .requests()
            .iter()
            .any(|r| r.status == 503)
            .then_some(())
    })
    .await
    .expect("the 503 happened");
    let h = h.crash_and_restart().await;
    wait_until(async || (h.survey_posts().len() == 2).then_some(()))
        .await
        .expect("pending post delivered after restart");
    h.settle().await;
    assert_eq!(h.survey_posts().len(), 2, "exactly once");
    // Buttons and reactions on the post from before the crash.
    let accepted = h
        .press(&post, &sv(SurveyAction::Accept, round), &h.vpa(1000))
        .await;
    assert!(accepted.contains("angenommen"));
    h.react(&post, &h.vpa(1001), "❌", true).await;
    h.wait_answers(round, &[(1000, "accept"), (1001, "decline")])
        .await;
    h.stop().await;
}

/// Several DMs to one person go through one DM channel (asked for once), and every delivery is
/// recorded with the message it produced.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dms_to_one_person_share_their_dm_channel_and_are_recorded() {
    let (h, post) = Harness::with_survey(3, 6.0).await;
    let round = round_of(&post);
    for id in 1000..1003 {
        h.react(&post, &h.vpa(id), "✅", true).await;
    }
    h.wait_answers(
        round,
        &[(1000, "accept"), (1001, "accept"), (1002, "accept")],
    )
    .await;
    // Each acceptance tells the creating coordinator (900).
    let dms = wait_until(async || Some(h.discord.dm_messages(900)).filter(|m| m.len() == 3))
        .await
        .expect("three DMs to the coordinator");
    let opened = h
        .discord
        .requests()
        .iter()
        .filter(|r| {
            r.is("POST", "/users/@me/channels")
                && (r.body["recipient_id"] == "900" || r.body["recipient_id"] == 900)
        })
        .count();
    assert_eq!(opened, 1, "the coordinator's DM channel is asked for once");

    let mut sent: Vec<i64> = dms
        .iter()
        .map(|m| m["id"].as_str().unwrap().parse().unwrap())
        .collect();
    sent.sort_unstable();
    // The delivery records are written once per batch: once the outbox settled they are in.
    h.settle().await;
    let recorded: Vec<i64> = h
        .sql
        .column(
            "SELECT produced_message_id FROM outbox WHERE status = 'sent' \
             AND json_extract(intent, '$.type') = 'direct' AND json_extract(intent, '$.to') = 900 \
             ORDER BY produced_message_id",
        )
        .await;
    assert_eq!(recorded, sent);
    h.stop().await;
}
