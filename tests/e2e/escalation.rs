//! Survey windows and escalations to the VPA manager — windows per area, the notice and its
//! urgency, the coordinator asked first, manual reports, late answers, re-pings, a round that
//! fell due while the bot was down, quiet hours — and the pool-health watch, driven by the
//! injectable clock through the real bot and the loopback Discord.

use chrono::Duration;
use vpa_desk::domain::ids::{RoundId, TaskId};
use vpa_desk::loopback::fixtures::{FakeUser, Opt};

use crate::support::{Harness, content, says, wait_until};

/// A healthy pool (so the watch stays quiet) that fits research, newsletter and wordpress tasks.
async fn healthy(h: &Harness) {
    h.seed_vpas(6001, 10, "research").await;
    h.seed_vpas(6101, 2, "newsletter").await;
    h.seed_vpas(6201, 1, "wordpress").await;
}

/// `/task new` for Kanzlei Berger, due at the end of the year.
async fn create(h: &Harness, competence: &str, hours: f64) {
    h.new_task("Kanzlei Berger", competence, hours, "31.12.2026")
        .await;
}

/// A healthy pool, a research task (4 h window) and its post: the round to escalate.
async fn surveying(h: &Harness) -> serde_json::Value {
    healthy(h).await;
    create(h, "research", 4.0).await;
    h.wait_survey_post(1).await
}

/// A surveyed research task that VPA 6001 accepted.
async fn accepted(h: &Harness) {
    let post = surveying(h).await;
    h.react(&post, &h.vpa(6001), "✅", true).await;
    h.wait_answers(RoundId(1), &[(6001, "accept")]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn windows_close_per_area_and_escalate_once_with_the_right_urgency() {
    let h = Harness::start().await;
    healthy(&h).await;
    create(&h, "research", 4.0).await; // BO: 4 h window
    create(&h, "newsletter", 4.0).await; // marketing: 24 h
    create(&h, "wordpress", 4.0).await; // software: 48 h
    h.wait_survey_post(3).await;
    h.advance(Duration::hours(3)).await;
    assert!(h.notices().is_empty(), "nothing before the window ends");

    h.advance(Duration::hours(2)).await; // 5 h: BO closed
    let notices = h.wait_notices(1).await;
    let bo = content(&notices[0]);
    let role = h.settings().manager_role_id.0;
    assert!(
        bo.starts_with(&format!("<@&{role}>"))
            && bo.contains("Aufgabe #1")
            && bo.contains("umgehend"),
        "{bo}"
    );
    assert!(
        bo.contains("3 angefragt") || bo.contains("angefragt"),
        "{bo}"
    );
    assert!(
        !bo.contains("Kanzlei Berger"),
        "no client name in the notice"
    );
    let request = h
        .manager_posts()
        .into_iter()
        .find(|r| {
            r.body["content"]
                .as_str()
                .is_some_and(|c| c.contains("Aufgabe #1"))
        })
        .unwrap();
    assert_eq!(
        request.body["allowed_mentions"]["roles"],
        serde_json::json!([role.to_string()])
    );

    h.advance(Duration::hours(20)).await; // 25 h: marketing closed
    let notices = h.wait_notices(2).await;
    let marketing = content(&notices[1]);
    assert!(
        marketing.contains("Aufgabe #2")
            && marketing.contains("einige Tage warten")
            && !marketing.contains("<@&"),
        "{marketing}"
    );

    h.advance(Duration::hours(24)).await; // 49 h: software closed
    let notices = h.wait_notices(3).await;
    let software = content(&notices[2]);
    assert!(
        software.contains("Aufgabe #3")
            && software.contains("evtl. nicht abdeckbar")
            && !software.contains("<@&"),
        "{software}"
    );

    // More passes of the timers change nothing: one notice per task.
    h.advance(Duration::hours(1)).await;
    assert_eq!(h.notices().len(), 3);
    let status: String = h.sql.one("SELECT status FROM tasks WHERE id = 1").await;
    assert_eq!(status, "escalated");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_fits_goes_to_the_manager_at_once() {
    let h = Harness::start().await;
    healthy(&h).await;
    create(&h, "excel-vba", 3.0).await;
    let notices = h.wait_notices(1).await;
    let text = content(&notices[0]);
    assert!(
        text.contains("beim Anlegen passte kein VPA") && text.contains("evtl. nicht abdeckbar"),
        "{text}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepted_but_unassigned_asks_the_coordinator_first_then_the_manager() {
    let h = Harness::start().await;
    accepted(&h).await;
    h.advance(Duration::hours(5)).await;
    let dm = h.wait_dm(900, "noch nicht vergeben").await;
    assert!(content(&dm).contains("/survey status task:1"));
    assert!(h.notices().is_empty(), "the manager is not bothered yet");
    h.advance(Duration::hours(4)).await;
    let notices = h.wait_notices(1).await;
    assert!(says(
        &notices[0],
        "nach einem weiteren Fenster nicht vergeben"
    ));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_assignment_in_time_keeps_the_manager_out_of_it() {
    let h = Harness::start().await;
    accepted(&h).await;
    h.advance(Duration::hours(5)).await;
    h.assign(1, &h.vpa(6001)).await;
    h.advance(Duration::hours(5)).await;
    assert!(h.notices().is_empty());
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manual_reports_late_answers_and_a_second_failed_round() {
    let h = Harness::start().await;
    let post = surveying(&h).await;
    // Bad inputs and roles.
    let report = async |options: Vec<(&str, Opt)>, user: &FakeUser| {
        h.slash("demand", &["report"], options, user).await
    };
    let refused = report(vec![("task", 1i64.into())], &h.vpa(6001)).await;
    assert!(refused.contains("nur Koordinator:innen"));
    let coordinator = h.coordinator();
    let unknown = report(vec![("task", 42i64.into())], &coordinator).await;
    assert!(unknown.contains("gibt es nicht"));
    let too_long = vec![("task", 1i64.into()), ("note", "x".repeat(501).into())];
    let long = report(too_long, &coordinator).await;
    assert!(long.contains("höchstens 500 Zeichen"));
    h.settle().await;
    assert!(h.notices().is_empty());
    // A report by hand.
    let note = vec![("task", 1i64.into()), ("note", "Kunde drängt".into())];
    let reported = report(note, &coordinator).await;
    assert!(reported.contains("an den VPA Manager gemeldet"));
    let notice = h.wait_notices(1).await.remove(0);
    assert!(says(&notice, "„Kunde drängt“"));
    let notice_id = notice["id"].as_str().unwrap().to_string();
    // A late answer edits the same notice.
    h.react(&post, &h.vpa(6002), "⏳", true).await;
    h.wait_manager_message("notice showing the late answer", |m| {
        m["id"] == notice_id.as_str() && says(m, "⏳ 1 später")
    })
    .await;
    // The first round fails: the notice is updated and the manager re-pinged once, in a reply.
    h.advance(Duration::hours(5)).await;
    let reply = h
        .wait_manager_message("re-ping", |m| says(m, "nächste Umfrage endete ohne Zusage"))
        .await;
    let ping_request = h
        .manager_posts()
        .into_iter()
        .find(|r| r.body["message_reference"]["message_id"] == notice_id.as_str())
        .expect("a reply to the notice");
    assert!(content(&reply).starts_with(&format!("<@&{}>", h.settings().manager_role_id.0)));
    assert_eq!(
        ping_request.body["allowed_mentions"]["roles"],
        serde_json::json!([h.settings().manager_role_id.0.to_string()])
    );
    // A second round (widened by hand here) fails too: exactly one more re-ping.
    let now = h.desk.now();
    let mut tx = h.desk.db.begin_write().await.unwrap();
    let round = vpa_desk::db::surveys::insert_round(
        &mut tx,
        &vpa_desk::db::surveys::NewRound {
            task_id: TaskId(1),
            kind: vpa_desk::domain::survey::RoundKind::Extended,
            competence_key: "research",
            invitees: &[],
            opened_at: now,
            closes_at: now + Duration::hours(1),
            created_by: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    h.advance(Duration::hours(2)).await;
    h.advance(Duration::minutes(1)).await;
    let pings = || h.manager_messages_saying("ohne Zusage.").len();
    wait_until(async || (pings() == 2).then_some(()))
        .await
        .expect("second re-ping");
    h.settle().await;
    assert_eq!(pings(), 2, "round {round} re-pinged once");
    assert_eq!(h.notices().len(), 1, "never two notices for one task");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_round_that_fell_due_while_the_bot_was_down_closes_once_after_restart() {
    let h = Harness::start().await;
    surveying(&h).await;
    let clock = h.clock.clone();
    let h = {
        // Crash first, then the window passes while nobody runs.
        let restarted_later = h;
        clock.advance(Duration::hours(6));
        restarted_later.crash_and_restart().await
    };
    let notices = h.wait_notices(1).await;
    assert!(says(&notices[0], "Umfrage ohne Zusage beendet"));
    let h = h.crash_and_restart().await;
    h.advance(Duration::minutes(5)).await;
    assert_eq!(h.notices().len(), 1);
    assert_eq!(h.count("escalation_events").await, 1);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pool_health_alert_reminder_recovery_without_duplicates_across_restarts() {
    let h = Harness::start().await;
    // The harness starts with an empty pool: the watch's first pass alerts. Only then the pool
    // fills (seeded before that pass, there would be nothing to recover from).
    h.settle().await;
    h.seed_vpas(6001, 10, "research").await;
    h.desk.pool_changed();
    h.settle().await;
    let alerts = |h: &Harness, needle: &str| h.manager_messages_saying(needle).len();
    // The harness starts with an empty pool: that first alert is expected; recovery follows.
    wait_until(async || (alerts(&h, "Pool wieder gesund") == 1).then_some(()))
        .await
        .expect("recovered to 10");
    // One VPA takes a VT-Stop: 9 of 10 → one alert naming them and why.
    let vt_stop = |until: &str| vec![("until", until.into())];
    h.profile("vt-stop", vt_stop("31.12.2026"), &h.vpa(6003))
        .await;
    let alert = h
        .wait_manager_message("alert", |m| says(m, "nur 9 von mindestens 10"))
        .await;
    let text = content(&alert);
    assert!(
        text.contains("<@6003>") && text.contains("VT-Stop bis 31.12.2026"),
        "{text}"
    );
    // It calls the manager: the role's mention stands in the content and may ping.
    let role = h.settings().manager_role_id.0;
    assert!(
        text.starts_with(&format!("<@&{role}> ⚠️")) && text.contains("Backoffice: 9 von 10"),
        "{text}"
    );
    let sent = h
        .manager_posts()
        .into_iter()
        .find(|r| r.body["content"] == text)
        .expect("the alert's request");
    assert_eq!(
        sent.body["allowed_mentions"]["roles"],
        serde_json::json!([role.to_string()])
    );
    // Another change while below: no second alert.
    let absent = vec![
        ("from", "30.11.2026".into()),
        ("until", "02.12.2026".into()),
    ];
    h.profile("absent", absent, &h.vpa(6004)).await;
    h.settle().await;
    assert_eq!(
        alerts(&h, "⚠️ **Pool-Gesundheit"),
        2,
        "the empty start and this crossing"
    );
    // Across a restart: still no duplicate.
    let h = h.crash_and_restart().await;
    h.settle().await;
    assert_eq!(alerts(&h, "⚠️ **Pool-Gesundheit"), 2);
    assert_eq!(alerts(&h, "Erinnerung"), 0);
    // The next day: one reminder.
    h.advance(Duration::days(1)).await;
    wait_until(async || (alerts(&h, "Erinnerung") == 1).then_some(()))
        .await
        .expect("daily reminder");
    h.advance(Duration::hours(1)).await;
    assert_eq!(alerts(&h, "Erinnerung"), 1, "one reminder per day");
    // The absence ended (02.12.) and the VT-Stop is lifted: healthy again.
    h.advance(Duration::days(2)).await;
    h.profile("vt-stop", vt_stop("aus"), &h.vpa(6003)).await;
    wait_until(async || (alerts(&h, "Pool wieder gesund") == 2).then_some(()))
        .await
        .expect("recovery notice");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiet_hours_hold_back_the_role_ping_until_they_end() {
    // 13:00–15:00 Berlin; the BO window closes at 14:00 Berlin (the harness starts at 09:00).
    let h = Harness::start_with(|c| c.settings.survey.quiet_hours = "13:00-15:00".parse().unwrap())
        .await;
    surveying(&h).await;
    h.advance(Duration::hours(5)).await;
    let notice = h.wait_notices(1).await.remove(0);
    let role = format!("<@&{}>", h.settings().manager_role_id.0);
    assert!(!content(&notice).contains(&role), "no ping in quiet hours");
    // The task's pings (the pool-health alert of the empty pool at start pings too).
    let pings = |h: &Harness| {
        h.manager_messages()
            .into_iter()
            .filter(|m| content(m).starts_with(&role) && content(m).contains("Aufgabe #1"))
            .count()
    };
    // `advance` settled: the notice is out and the ping waits for the end of the quiet hours.
    assert_eq!(pings(&h), 0);
    // The pool drops below its minimum in the quiet hours: its alert (a role ping) waits too.
    let alerts = |h: &Harness| h.manager_messages_saying("nur 9 von mindestens 10").len();
    for vpa in 6001..6005 {
        h.profile("vt-stop", vec![("until", "31.12.2026".into())], &h.vpa(vpa))
            .await;
    }
    h.settle().await;
    assert_eq!(alerts(&h), 0, "no pool alert in quiet hours");
    // 15:01 Berlin: the held-back ping goes out as a reply to the notice, and the alert.
    h.advance(Duration::minutes(61)).await;
    wait_until(async || (pings(&h) == 1).then_some(()))
        .await
        .expect("the ping after the quiet hours");
    let alert = h
        .wait_manager_message("the alert after the quiet hours", |m| {
            says(m, "nur 9 von mindestens 10")
        })
        .await;
    assert!(content(&alert).starts_with(&role), "{}", content(&alert));
    h.stop().await;
}
