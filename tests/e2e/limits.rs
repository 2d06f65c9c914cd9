//! Messages that always fit: the manager's notice after twenty reports with long notes keeps
//! updating within Discord's limits and shows the newest; `/task show` of a task with the
//! longest texts and several rounds answers; and every input a person types, at the 6,000
//! characters Discord lets through, gets a reply that quotes it only shortened.

use serde_json::Value;
use vpa_desk::loopback::fixtures::Opt;

use crate::support::{Harness, PlaybookButton, content, playbook_button};

/// Content, embeds and components of a message within Discord's limits.
fn assert_fits(message: &Value) {
    let chars = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    assert!(chars(&message["content"]) <= 2000, "content: {message}");
    let mut total = 0;
    for embed in message["embeds"].as_array().into_iter().flatten() {
        assert!(chars(&embed["title"]) <= 256);
        assert!(chars(&embed["description"]) <= 4096);
        total += chars(&embed["title"]) + chars(&embed["description"]);
        for field in embed["fields"].as_array().into_iter().flatten() {
            assert!(chars(&field["name"]) <= 256 && chars(&field["value"]) <= 1024);
            total += chars(&field["name"]) + chars(&field["value"]);
        }
        total += chars(&embed["footer"]["text"]);
    }
    assert!(total <= 6000, "embeds: {total} characters");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notice_with_twenty_causes_stays_within_limits_and_keeps_updating() {
    // More VPAs fit than one post may name: the notice has its "extend" button.
    let h = Harness::start().await;
    h.seed_vpas(1000, 30, "research").await;
    h.research_task(4.0).await;
    h.wait_survey_post(1).await;
    let mut last = Value::Null;
    for i in 1..=20 {
        let note: String = format!("Bericht {i:02}: {}", "Der Kunde drängt sehr. ".repeat(30))
            .chars()
            .take(500)
            .collect();
        let said = h
            .slash(
                "demand",
                &["report"],
                vec![("task", 1i64.into()), ("note", note.as_str().into())],
                &h.coordinator(),
            )
            .await;
        assert!(said.contains("gemeldet"), "report {i}: {said}");
        h.settle().await;
        let notices = h.notices();
        assert_eq!(notices.len(), 1, "one notice, edited");
        last = notices[0].clone();
        assert_fits(&last);
        assert!(
            content(&last).contains(&format!("Bericht {i:02}")),
            "report {i} is shown: {}",
            content(&last)
        );
    }
    let text = content(&last);
    assert!(
        text.contains(" frühere"),
        "the earlier ones are counted: {text}"
    );
    assert!(
        !last["components"].as_array().unwrap().is_empty(),
        "the buttons stay"
    );
    // Discord accepted every post and edit; nothing was given up.
    let refused: Vec<_> = h
        .discord
        .requests()
        .into_iter()
        .filter(|r| r.status >= 400)
        .collect();
    assert!(refused.is_empty(), "{refused:#?}");
    assert!(h.desk.db.failed_outbox().await.unwrap().is_empty());
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_show_of_the_longest_task_with_several_rounds_answers() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 30, "research").await;
    h.seed_vpas(2000, 5, "document-creation").await;
    let client = "K".repeat(100);
    let description = "Beschreibung mit vielen Einzelheiten. ".repeat(40);
    let description: String = description.chars().take(1024).collect();
    let mut options = crate::support::task_options(&client, "research", 8.0, "04.12.2026");
    options.push(("description", description.as_str().into()));
    let created = h.task_cmd("new", options).await;
    assert!(created.contains("#1"), "{created}");
    let first = h.wait_survey_post(1).await;
    // Reported, then widened and re-advertised: three rounds.
    h.slash(
        "demand",
        &["report"],
        vec![("task", 1i64.into()), ("note", "Kunde drängt".into())],
        &h.coordinator(),
    )
    .await;
    let notice = h.wait_notices(1).await.remove(0);
    let extend = playbook_button(&notice, &PlaybookButton::Extend);
    assert!(
        h.press(&notice, &extend, &h.manager())
            .await
            .contains("angefragt")
    );
    // The widening asks those who fit but had no room in the first post (20 of 30).
    let second = h.wait_survey_post(2).await;
    let mentioned = |post: &Value| -> Vec<String> {
        content(post)
            .split("<@")
            .skip(1)
            .map(|m| m.split('>').next().unwrap_or_default().to_string())
            .collect()
    };
    let (asked_first, asked_then) = (mentioned(&first), mentioned(&second));
    assert_eq!((asked_first.len(), asked_then.len()), (20, 10));
    assert!(asked_then.iter().all(|id| !asked_first.contains(id)));
    let related = playbook_button(
        &notice,
        &PlaybookButton::Related("document-creation".into()),
    );
    assert!(
        h.press(&notice, &related, &h.manager())
            .await
            .contains("angefragt")
    );
    h.wait_survey_post(3).await;
    for deadline in ["05.12.2026", "06.12.2026", "07.12.2026"] {
        let edited = h
            .task_cmd(
                "edit",
                vec![("id", 1i64.into()), ("deadline", deadline.into())],
            )
            .await;
        assert!(!edited.is_empty());
    }
    let reason: String = "Der Kunde hat abgesagt, weil "
        .repeat(20)
        .chars()
        .take(500)
        .collect();
    let cancelled = h
        .task_cmd(
            "cancel",
            vec![("id", 1i64.into()), ("reason", reason.as_str().into())],
        )
        .await;
    assert!(cancelled.contains("#1"), "{cancelled}");
    let shown = h
        .reply(vpa_desk::loopback::fixtures::slash(
            "task",
            &["show"],
            vec![("id", 1i64.into())],
            &h.coordinator(),
        ))
        .await;
    assert_fits(&shown.shown);
    let all = shown.shown.to_string();
    assert!(all.contains("KKKKKKKKKK"), "{all}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_typed_input_of_6000_characters_gets_a_reply_that_fits() {
    let (h, _post) = Harness::with_survey(3, 4.0).await;
    let long = "x".repeat(6000);
    let long_date = format!("31.12.{}", "9".repeat(5994));
    let vpa = h.vpa(1000);
    let coordinator = h.coordinator();
    type Case<'a> = (&'a str, Vec<&'a str>, Vec<(&'a str, Opt)>, bool);
    let task = |options: Vec<(&'static str, Opt)>| {
        let mut all = crate::support::task_options("Kanzlei", "research", 4.0, "04.12.2026");
        for (k, v) in options {
            all.retain(|(key, _)| *key != k);
            all.push((k, v));
        }
        all
    };
    let cases: Vec<Case> = vec![
        (
            "task",
            vec!["new"],
            task(vec![("client", long.as_str().into())]),
            true,
        ),
        (
            "task",
            vec!["new"],
            task(vec![("competence", long.as_str().into())]),
            true,
        ),
        (
            "task",
            vec!["new"],
            task(vec![("deadline", long.as_str().into())]),
            true,
        ),
        (
            "task",
            vec!["new"],
            task(vec![("deadline", long_date.as_str().into())]),
            true,
        ),
        (
            "task",
            vec!["new"],
            task(vec![("description", long.as_str().into())]),
            true,
        ),
        (
            "task",
            vec!["edit"],
            vec![("id", 1i64.into()), ("deadline", long.as_str().into())],
            true,
        ),
        (
            "task",
            vec!["edit"],
            vec![("id", 1i64.into()), ("description", long.as_str().into())],
            true,
        ),
        (
            "task",
            vec!["cancel"],
            vec![("id", 1i64.into()), ("reason", long.as_str().into())],
            true,
        ),
        (
            "demand",
            vec!["report"],
            vec![("task", 1i64.into()), ("note", long.as_str().into())],
            true,
        ),
        (
            "profile",
            vec!["competence"],
            vec![
                ("competence", long.as_str().into()),
                ("level", "good".into()),
            ],
            false,
        ),
        (
            "profile",
            vec!["vt-stop"],
            vec![("until", long.as_str().into())],
            false,
        ),
        (
            "profile",
            vec!["absent"],
            vec![("from", long.as_str().into())],
            false,
        ),
        (
            "profile",
            vec!["absent"],
            vec![
                ("from", "01.12.2026".into()),
                ("until", long.as_str().into()),
            ],
            false,
        ),
    ];
    for (name, sub, options, by_coordinator) in cases {
        let user = if by_coordinator { &coordinator } else { &vpa };
        let what = format!("/{name} {}", sub.join(" "));
        let reply = h
            .reply(vpa_desk::loopback::fixtures::slash(
                name, &sub, options, user,
            ))
            .await;
        assert_fits(&reply.shown);
        let text = reply.text();
        assert!(!text.is_empty(), "{what}: a reply");
        assert!(
            !text.contains(&"x".repeat(200)),
            "{what}: the input is quoted only shortened: {text}"
        );
    }
    // Nothing of it was written: still one task, its survey the only post.
    assert_eq!(h.count("tasks").await, 1);
    h.stop().await;
}
