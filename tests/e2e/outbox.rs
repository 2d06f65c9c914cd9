//! The outbox as an operator meets it: a message Discord refuses is kept (not retried in vain),
//! the manager channel is told which one, `vpa-desk outbox` lists it and queues it again once
//! the cause is fixed; a message that keeps failing is given up after the retry limit; a re-ping
//! waits for its notice instead of spinning.

use std::process::{Command, Output};
use std::time::Duration;

use vpa_desk::loopback::{FailRule, Failure};
use vpa_desk::worker::outbox::MAX_ATTEMPTS;

use vpa_desk::loopback::fixtures;

use crate::support::cli::{config_dir, run, stderr, stdout};
use crate::support::{Harness, WAIT, wait_until};

/// The real binary on the harness's database, beside the running bot.
fn cli(h: &Harness, args: &[&str]) -> Output {
    run(Command::new(env!("CARGO_BIN_EXE_vpa-desk"))
        .arg("--config")
        .arg(config_dir())
        .args(args)
        .env("DATABASE_URL", &h.db_url)
        .env("RUST_LOG", "warn")
        .env_remove("DISCORD_TOKEN"))
}

async fn failed_ids(h: &Harness) -> Vec<i64> {
    h.desk
        .db
        .failed_outbox()
        .await
        .unwrap()
        .iter()
        .map(|d| d.id)
        .collect()
}

/// Waits until `n` items are given up.
async fn wait_failed(h: &Harness, n: usize) -> Vec<i64> {
    tokio::time::timeout(WAIT, async {
        loop {
            let ids = failed_ids(h).await;
            if ids.len() >= n {
                return ids;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{n} items given up"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_post_is_kept_told_listed_and_delivered_when_requeued() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 3, "research").await;
    let surveys = h.settings().surveys_channel_id.0;
    h.discord.fail_next(
        FailRule::new(Failure::Forbidden)
            .method("POST")
            .path_prefix(&format!("/channels/{surveys}/messages")),
    );
    h.research_task(4.0).await;
    let failed = wait_failed(&h, 1).await;
    assert_eq!(failed.len(), 1);
    let id = failed[0];
    // Not retried: a 403 does not go away by asking again.
    let posts = h.posts_to(&h.surveys_path()).len();
    assert_eq!(posts, 1, "a permanent refusal is not retried");
    // One message in the manager channel, naming the item, Discord's answer and the way out.
    let told = wait_until(async || {
        let told = manager_texts(&h, "konnte nicht zugestellt werden");
        (!told.is_empty()).then_some(told)
    })
    .await
    .expect("the manager channel is told");
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].contains("Umfrage-Post"), "{}", told[0]);
    assert!(told[0].contains(&format!("Eintrag {id}")), "{}", told[0]);
    assert!(
        told[0].contains("403") && told[0].contains("50001"),
        "{}",
        told[0]
    );
    assert!(
        told[0].contains(&format!("vpa-desk outbox --requeue {id}")),
        "{}",
        told[0]
    );

    // The operator's list.
    let list = cli(&h, &["outbox"]);
    assert!(list.status.success(), "{}", stderr(&list));
    let text = stdout(&list);
    assert!(text.contains("1 nicht zugestellte Nachricht:"), "{text}");
    assert!(text.contains(&format!("#{id}  Umfrage-Post")), "{text}");
    assert!(text.contains("1 Versuch,"), "{text}");
    assert!(text.contains("Missing Access"), "Discord's answer: {text}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&cli(&h, &["outbox", "--json"]))).expect("--json prints JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(1));
    assert_eq!(json[0]["id"], id);
    assert_eq!(json[0]["intent"]["type"], "survey_post");

    // Bad input: each refused in German, saying what is accepted, nothing queued.
    for bad in ["0", "-3", "abc", "1.5", "99999999999999999999"] {
        let out = cli(&h, &["outbox", &format!("--requeue={bad}")]);
        assert_eq!(out.status.code(), Some(2), "--requeue {bad}");
        assert!(
            stderr(&out).contains("ist keine Eintragsnummer (erlaubt: eine ganze Zahl ab 1"),
            "--requeue {bad}: {}",
            stderr(&out)
        );
    }
    let out = cli(&h, &["outbox", "--requeue", "424242"]);
    assert_eq!(out.status.code(), Some(2));
    let said = stderr(&out);
    assert!(
        said.contains("Nicht unter den nicht zugestellten Nachrichten: 424242.")
            && said.contains(&format!("Nicht zugestellt sind: {id}."))
            && said.contains("Nichts wurde neu eingereiht."),
        "{said}"
    );
    // One known and one unknown id: all or nothing.
    let out = cli(
        &h,
        &[
            "outbox",
            "--requeue",
            &id.to_string(),
            "--requeue",
            "424242",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    for conflicting in [
        vec!["outbox", "--requeue", "1", "--requeue-all"],
        vec!["outbox", "--json", "--requeue-all"],
    ] {
        let out = cli(&h, &conflicting);
        assert_eq!(out.status.code(), Some(2), "{conflicting:?}");
    }
    assert_eq!(
        failed_ids(&h).await,
        vec![id],
        "nothing was queued by bad input"
    );
    assert!(h.survey_posts().is_empty());

    // The cause is gone (the rule was used up): queued again, the running bot delivers it.
    let out = cli(&h, &["outbox", "--requeue", &id.to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 Nachricht neu eingereiht"),
        "{}",
        stdout(&out)
    );
    let post = h.wait_survey_post(1).await;
    assert!(
        post["content"]
            .as_str()
            .unwrap_or_default()
            .contains("<@1000>"),
        "{post}"
    );
    assert!(failed_ids(&h).await.is_empty());
    assert!(stdout(&cli(&h, &["outbox"])).contains("Keine nicht zugestellten Nachrichten."));
    let out = cli(&h, &["outbox", "--requeue-all"]);
    assert!(
        stdout(&out).contains("nichts neu eingereiht"),
        "{}",
        stdout(&out)
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_that_keeps_failing_is_given_up_after_the_retry_limit() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 3, "research").await;
    let surveys = h.settings().surveys_channel_id.0;
    h.discord.fail_next(
        FailRule::new(Failure::Status(503))
            .method("POST")
            .path_prefix(&format!("/channels/{surveys}/messages"))
            .times(1000),
    );
    h.research_task(4.0).await;
    // Each back-off passes on the bot's clock; the bell makes it look at once.
    let given_up = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            let ids = failed_ids(&h).await;
            if !ids.is_empty() {
                return ids;
            }
            h.clock.advance(chrono::Duration::minutes(6));
            h.desk.ring_outbox();
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("given up in the end");
    assert_eq!(given_up.len(), 1);
    let attempts = h.posts_to(&h.surveys_path()).len();
    assert_eq!(
        attempts as i64, MAX_ATTEMPTS,
        "tried exactly up to the limit"
    );
    let letter = &h.desk.db.failed_outbox().await.unwrap()[0];
    assert_eq!(letter.attempts, MAX_ATTEMPTS);
    let told = wait_until(async || {
        let told = manager_texts(&h, "nach zu vielen Versuchen aufgegeben");
        (!told.is_empty()).then_some(told)
    })
    .await
    .expect("the manager channel is told");
    assert_eq!(told.len(), 1);
    h.stop().await;
}

/// The texts of the manager channel's messages that contain `needle`.
fn manager_texts(h: &Harness, needle: &str) -> Vec<String> {
    h.manager_messages_saying(needle)
        .iter()
        .map(|m| m["content"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// `/demand report` for task 1.
async fn report(h: &Harness, note: &str) -> String {
    let reply = h
        .discord
        .interact(fixtures::slash(
            "demand",
            &["report"],
            vec![("task", 1i64.into()), ("note", note.into())],
            &h.coordinator(),
        ))
        .await;
    h.final_text(&reply).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reping_waits_for_its_notice_and_follows_it_when_it_is_out() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 12, "research").await;
    h.research_task(4.0).await;
    h.wait_survey_post(1).await;
    let manager = h.settings().manager_channel_id.0;
    let to_manager = format!("/channels/{manager}/messages");
    h.discord.fail_next(
        FailRule::new(Failure::Forbidden)
            .method("POST")
            .path_prefix(&to_manager)
            .times(1000),
    );
    assert!(report(&h, "Kunde drängt").await.contains("gemeldet"));
    wait_failed(&h, 1).await;
    // A second report re-pings, but the notice it answers is not out.
    assert!(
        report(&h, "Kunde ruft täglich an")
            .await
            .contains("gemeldet")
    );
    let ping_waits = || async {
        h.desk
            .db
            .outbox_states()
            .await
            .unwrap()
            .into_iter()
            .find(|s| s.intent.contains("escalation_ping"))
    };
    let mut waiting = None;
    for _ in 0..200 {
        waiting = ping_waits()
            .await
            .filter(|s| s.last_error.as_deref() == Some("waiting for the message it belongs to"));
        if waiting.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let waiting = waiting.expect("the re-ping waits");
    assert_eq!(waiting.attempts, 0);
    // Everything the reports queued has been tried (the notice refused again).
    h.settle().await;
    // An hour passes: the ping asks rarely (its wait grows) and never sends.
    // What the hour may not bring: the ping, or the notice tried again (the pool-health
    // watch may post meanwhile: it has nothing to wait for).
    let task_posts = || {
        h.discord
            .requests()
            .iter()
            .filter(|r| r.is("POST", &to_manager))
            .filter(|r| {
                let content = r.body["content"].as_str().unwrap_or_default();
                !r.body["message_reference"].is_null() || content.contains("Aufgabe #1")
            })
            .count()
    };
    let posts_before = task_posts();
    for _ in 0..12 {
        h.advance(chrono::Duration::minutes(5)).await;
    }
    let ping = ping_waits().await.expect("still there");
    assert_eq!(
        (ping.status.as_str(), ping.attempts),
        ("pending", 0),
        "{ping:?}"
    );
    let posts_after = task_posts();
    assert_eq!(
        posts_before, posts_after,
        "nothing sent while the notice is not out"
    );
    // The channel is fixed and the notices queued again: the notice, then the ping as its reply.
    h.discord.clear_failures();
    let requeued =
        vpa_desk::service::outbox::requeue(&h.desk.db, &vpa_desk::service::outbox::Requeue::All)
            .await
            .unwrap();
    assert!(matches!(requeued, vpa_desk::service::outbox::Requeued::Done(n) if n >= 1));
    h.desk.ring_outbox();
    let reply = wait_until(async || {
        h.discord
            .channel_messages(manager)
            .into_iter()
            .find(|m| m["message_reference"]["message_id"].is_string())
    })
    .await
    .unwrap_or_else(|| {
        panic!(
            "the re-ping goes out as a reply to the notice: {:#?}",
            h.discord.channel_messages(manager)
        )
    });
    let notice = h
        .discord
        .channel_messages(manager)
        .into_iter()
        .find(|m| {
            m["content"]
                .as_str()
                .is_some_and(|c| c.contains("Bedarf nicht gedeckt"))
        })
        .expect("the notice is out");
    assert_eq!(reply["message_reference"]["message_id"], notice["id"]);
    h.stop().await;
}
