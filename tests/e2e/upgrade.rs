//! A database made by an older version (before typed views and neutral stored values: commit
//! 44043d9 wrote `tests/fixtures/db-before-typed-views.db`, and what it read from it into the
//! `.expected.json` beside it) opens, reads the same, is upgraded to neutral values, and what it
//! still had to say is delivered.
//!
//! The file holds a pool, tasks with answers by button, select, form and reaction, an
//! escalation, a split, a cancelled part, and three outbox rows still pending with finished
//! German text.

use serde_json::Value;
use vpa_desk::domain::ids::{DiscordId, RoundId, TaskId};
use vpa_desk::domain::survey::RoundKind;
use vpa_desk::domain::task::{StatusDetail, TaskStatus};
use vpa_desk::service::pool::pool_health;

use crate::support::{Harness, SurveyAction, WAIT, de, round_of, says, sv};

fn made_before() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db-before-typed-views.db")
}
const EXPECTED: &str = include_str!("../fixtures/db-before-typed-views.expected.json");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_made_before_reads_the_same_after_the_upgrade() {
    let h = Harness::start_from_file(&made_before()).await;
    let expected: Value = serde_json::from_str(EXPECTED).unwrap();
    let catalog = &h.desk.config.catalog;
    // Tasks, answers, pool health and profiles as the older version read them.
    for want in expected["tasks"].as_array().unwrap() {
        let id = TaskId(want["id"].as_i64().unwrap());
        let task = h.desk.db.get_task(catalog, id).await.unwrap().unwrap();
        assert_eq!(task.client, want["client"].as_str().unwrap());
        assert_eq!(
            catalog.get(task.competence).key,
            want["competence"].as_str().unwrap()
        );
        assert_eq!(task.hours, want["hours"].as_f64().unwrap());
        assert_eq!(
            task.deadline.to_string(),
            want["deadline"].as_str().unwrap()
        );
        // A parent split before the status `split` existed is split now (its parts are the
        // demand); every other status reads as it was written.
        let status = match want["status"].as_str().unwrap() {
            "escalated" if id == TaskId(2) => "split",
            other => other,
        };
        assert_eq!(task.status.key(), status);
        assert_eq!(task.new_client, want["new_client"].as_bool().unwrap());
        assert_eq!(task.parent_task_id.map(|p| p.0), want["parent"].as_i64());
    }
    let mut answers = Vec::new();
    for round in h.desk.db.rounds_of_task(TaskId(1)).await.unwrap() {
        for a in h.desk.db.answers(round.id).await.unwrap() {
            answers.push(serde_json::json!({
                "round": round.id.0, "vpa": a.vpa.0.to_string(),
                "answer": format!("{:?}", a.answer), "via": a.via.key(),
            }));
        }
    }
    assert_eq!(Value::Array(answers), expected["answers"]);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let pool = pool_health(&h.desk.db, &h.desk.config, day).await.unwrap();
    assert_eq!(serde_json::to_value(&pool).unwrap(), expected["pool"]);
    let vpa = h
        .desk
        .db
        .get_vpa(catalog, DiscordId(1004))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        vpa.weekly_hours,
        expected["vpa_1004"]["weekly_hours"].as_f64().unwrap()
    );
    assert!(vpa.wants_tasks && !vpa.wants_new_clients);

    // Stored values are neutral now: no German words in the history of profile flags …
    let words: i64 = h
        .sql
        .one(
            "SELECT COUNT(*) FROM vpa_history \
             WHERE old_value IN ('ja', 'nein') OR new_value IN ('ja', 'nein')",
        )
        .await;
    assert_eq!(words, 0);
    let flags: i64 = h
        .sql
        .one(
            "SELECT COUNT(*) FROM vpa_history \
             WHERE field = 'wants_new_clients' AND new_value = 'false'",
        )
        .await;
    assert_eq!(flags, 1, "the VPA who turned new clients off");
    // … the system's notes in a task's history are data, what people typed stays as typed …
    let history = h.desk.db.status_history(TaskId(1)).await.unwrap();
    assert_eq!(
        history[1].detail,
        Some(StatusDetail::RoundOpened {
            kind: RoundKind::First
        })
    );
    assert!(
        history
            .iter()
            .any(|c| c.detail == Some(StatusDetail::Unassigned))
    );
    let cancelled = h.desk.db.status_history(TaskId(3)).await.unwrap();
    let last = cancelled.last().unwrap();
    assert_eq!(last.to_status, TaskStatus::Cancelled);
    assert_eq!(last.note.as_deref(), Some("Kunde hat abgesagt"));
    // … and a part of the split task keeps its parent's description, said which part it is.
    let part = h
        .desk
        .db
        .get_task(catalog, TaskId(4))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(part.description.as_deref(), Some("Große Recherche"));
    let view = vpa_desk::service::survey::post_view(&h.desk, RoundId(3))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        vpa_desk::present::surveys::description(de(), &view).as_deref(),
        Some("Teil 1/3 von Aufgabe #2: Große Recherche")
    );
    // The times the reports read were filled in from the history this file holds.
    crate::reports::facts_agree(&h).await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outbox_rows_queued_before_are_delivered_as_they_were_written() {
    let h = Harness::start_from_file(&made_before()).await;
    // The older version's clock had moved on to the afternoon when it queued them.
    h.clock.advance(chrono::Duration::hours(6));
    h.desk.ring_outbox();
    // A DM with its button, as queued with its finished text.
    let dm = h.wait_dm(1002, "").await;
    assert_eq!(
        dm["content"],
        "Du hast bei Aufgabe #1 mit ⏳ geantwortet. Ab wann hättest du Zeit?"
    );
    assert_eq!(
        dm["components"][0]["components"][0]["label"],
        "Datum angeben"
    );
    // Its old custom id still works: the button opens the "later" form of round 1 (for a
    // member of the server with the VPA role: a DM carries no roles, Discord is asked).
    assert_eq!(round_of(&dm), RoundId(1));
    h.discord.add_member(&h.vpa(1002));
    let later = sv(SurveyAction::Later, RoundId(1));
    let form = h.click_in_dm(&dm, &later, &h.vpa(1002)).await;
    let callback = form.response(WAIT).await.expect("a form");
    assert_eq!(callback["type"], 9, "{callback}");
    // The nudge and the channel message, too.
    let nudge = h.wait_dm(1004, "").await;
    assert!(
        nudge["content"]
            .as_str()
            .unwrap()
            .contains("willkommen im Team")
    );
    h.wait_manager_message("queued channel message", |m| {
        says(m, "Pool wieder gesund: 10 von mindestens 10")
    })
    .await;
    let stuck: i64 = h
        .sql
        .one("SELECT COUNT(*) FROM outbox WHERE status = 'failed' OR last_error LIKE 'unreadable%'")
        .await;
    assert_eq!(stuck, 0, "every old row was readable");
    h.stop().await;
}

/// The index names the migrations create, read from their files.
fn migration_indexes() -> std::collections::BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut names = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let sql = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in sql.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            if let Some(at) = words.iter().position(|w| *w == "INDEX") {
                let name = words[at + 1..]
                    .iter()
                    .find(|w| !matches!(**w, "IF" | "NOT" | "EXISTS"))
                    .unwrap();
                names.insert(name.to_string());
            }
        }
    }
    names
}

/// Rebuilding `tasks` for the status `split` once dropped the indexes later migrations had put
/// on it (the reports' reads by creation time and by parent then scanned the whole table per
/// task): every index the migrations name stands, on a new database and on an upgraded one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_index_the_migrations_create_stands_after_the_rebuild() {
    let want = migration_indexes();
    assert!(want.contains("tasks_by_created") && want.contains("tasks_by_parent"));
    for h in [
        Harness::start().await,
        Harness::start_from_file(&made_before()).await,
    ] {
        let have: std::collections::BTreeSet<String> = h
            .sql
            .column("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL")
            .await
            .into_iter()
            .collect();
        let missing: Vec<_> = want.difference(&have).collect();
        assert!(missing.is_empty(), "indexes missing: {missing:?}");
    }
}
