//! Texts in the reader's language: a reply speaks the interaction's locale, a DM the language
//! its recipient last used, a post in a channel the configured default.

use serde_json::Value;
use vpa_desk::loopback::fixtures::{self, FakeUser};

use crate::support::{Harness, content, task_options};

/// A slash command as a client with this Discord locale sends it.
fn in_locale(mut payload: Value, locale: &str) -> Value {
    payload["locale"] = Value::from(locale);
    payload
}

async fn command(h: &Harness, sub: &[&str], user: &FakeUser, locale: &str) -> String {
    let payload = in_locale(fixtures::slash(sub[0], &sub[1..], vec![], user), locale);
    h.reply(payload).await.text()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_command_answers_in_each_clients_language() {
    let h = Harness::start().await;
    let coordinator = h.coordinator();
    assert!(
        command(&h, &["task", "list"], &coordinator, "de")
            .await
            .contains("Kein offener Bedarf")
    );
    assert!(
        command(&h, &["task", "list"], &coordinator, "en-US")
            .await
            .contains("No open demand")
    );
    // A refusal too; a language the catalog lacks gets the default.
    let vpa = h.vpa(1000);
    assert!(
        command(&h, &["task", "list"], &vpa, "en-GB")
            .await
            .starts_with("Only coordinators and the VPA manager")
    );
    assert!(
        command(&h, &["task", "list"], &vpa, "ja")
            .await
            .starts_with("Das dürfen nur Koordinator:innen")
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dm_speaks_the_language_its_recipient_last_used_and_posts_the_default() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 2, "research").await;
    // VPA 1000 uses Discord in English.
    let text = command(&h, &["profile", "show"], &h.vpa(1000), "en-US").await;
    assert!(text.contains("**Weekly hours:** 20 h"), "{text}");
    // The coordinator uses English too; the survey post still speaks the agency's language.
    let options = task_options("Kanzlei Berger", "research", 4.0, "04.12.2026");
    let new_task = fixtures::slash("task", &["new"], options, &h.coordinator());
    let reply = h.discord.interact(in_locale(new_task, "en-US")).await;
    assert!(h.final_text(&reply).await.contains("Task #1 created"));
    let post = h.wait_survey_post(1).await;
    assert!(content(&post).contains("Neue Aufgabe #1"), "{post}");
    assert_eq!(post["embeds"][0]["fields"][1]["value"], "Recherche");
    // The quick ❌ of each VPA is followed by a DM in their own language.
    h.react(&post, &h.vpa(1000), "❌", true).await;
    h.react(&post, &h.vpa(1001), "❌", true).await;
    let english = h.wait_dm(1000, "").await;
    assert!(
        content(&english).starts_with("You declined task #1 with ❌"),
        "{english}"
    );
    assert_eq!(
        english["components"][0]["components"][0]["label"],
        "Give a reason"
    );
    let german = h.wait_dm(1001, "").await;
    assert!(
        content(&german).starts_with("Du hast Aufgabe #1 mit ❌ abgelehnt"),
        "{german}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_english_default_turns_posts_english() {
    let h = Harness::start_with(|c| c.settings.locale = "en".into()).await;
    h.seed_vpas(1000, 1, "research").await;
    h.research_task(4.0).await;
    let post = h.wait_survey_post(1).await;
    let content = content(&post);
    assert!(content.contains("New task #1"), "{content}");
    assert_eq!(post["embeds"][0]["fields"][1]["value"], "Research");
    let labels: Vec<&str> = post["components"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["Accept", "Decline", "Later"]);
    // A German client still gets German replies.
    let text = command(&h, &["task", "list"], &h.coordinator(), "de").await;
    assert!(text.contains("Offener Bedarf"), "{text}");
    h.stop().await;
}
