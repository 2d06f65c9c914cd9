//! Survey windows, escalations to the VPA manager and the pool-health watch, driven by the
//! injectable clock through the real bot and the loopback Discord.

use chrono::Duration;
use serde_json::Value;
use vpa_desk::loopback::fixtures;

use crate::bot_harness::{Harness, wait_until};
#[allow(unused_imports)]
use crate::bot_harness::{
    PlaybookButton, SurveyAction, de, pb, playbook_button, round_of, survey_button, sv,
};
#[allow(unused_imports)]
use vpa_desk::domain::ids::{RoundId, TaskId};

impl Harness {
    fn manager_messages(&self) -> Vec<Value> {
        self.discord
            .channel_messages(self.settings().manager_channel_id.0)
    }

    fn notices(&self) -> Vec<Value> {
        self.manager_messages()
            .into_iter()
            .filter(|m| {
                m["content"]
                    .as_str()
                    .is_some_and(|c| c.contains("Bedarf nicht gedeckt"))
            })
            .collect()
    }

    /// Moves the clock and lets the timers run.
    async fn advance(&self, by: Duration) {
        self.clock.advance(by);
        self.desk.ring_timers();
    }

    async fn wait_notices(&self, n: usize) -> Vec<Value> {
        let h = self;
        wait_until(|| {
            let notices = h.notices();
            (notices.len() >= n).then_some(notices)
        })
        .await
        .unwrap_or_else(|| panic!("expected {n} notices, have {:?}", h.notices()))
    }

    async fn create(&self, competence: &str, hours: f64) {
        let reply = self
            .task_new(
                &self.coordinator(),
                vec![
                    ("client", "Kanzlei Berger".into()),
                    ("competence", competence.into()),
                    ("hours", hours.into()),
                    ("deadline", "31.12.2026".into()),
                ],
            )
            .await;
        self.final_text(&reply).await;
    }

    /// Requests that posted to the manager channel.
    fn manager_posts(&self) -> Vec<vpa_desk::loopback::RecordedRequest> {
        let path = format!(
            "/channels/{}/messages",
            self.settings().manager_channel_id.0
        );
        self.discord
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path == path && r.status == 200)
            .collect()
    }
}

/// A healthy pool (so the watch stays quiet) that fits research, newsletter and wordpress tasks.
async fn healthy(h: &Harness) {
    h.seed_vpas(6001, 10, "research", 20.0).await;
    h.seed_vpas(6101, 2, "newsletter", 20.0).await;
    h.seed_vpas(6201, 1, "wordpress", 20.0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn windows_close_per_area_and_escalate_once_with_the_right_urgency() {
    let h = Harness::start().await;
    healthy(&h).await;
    h.create("research", 4.0).await; // BO: 4 h window
    h.create("newsletter", 4.0).await; // marketing: 24 h
    h.create("wordpress", 4.0).await; // software: 48 h
    h.wait_survey_post(3).await;
    h.advance(Duration::hours(3)).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(h.notices().is_empty(), "nothing before the window ends");

    h.advance(Duration::hours(2)).await; // 5 h: BO closed
    let notices = h.wait_notices(1).await;
    let bo = notices[0]["content"].as_str().unwrap();
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
    let marketing = notices[1]["content"].as_str().unwrap();
    assert!(
        marketing.contains("Aufgabe #2")
            && marketing.contains("einige Tage warten")
            && !marketing.contains("<@&"),
        "{marketing}"
    );

    h.advance(Duration::hours(24)).await; // 49 h: software closed
    let notices = h.wait_notices(3).await;
    let software = notices[2]["content"].as_str().unwrap();
    assert!(
        software.contains("Aufgabe #3")
            && software.contains("evtl. nicht abdeckbar")
            && !software.contains("<@&"),
        "{software}"
    );

    // More passes of the timers change nothing: one notice per task.
    h.advance(Duration::hours(1)).await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(h.notices().len(), 3);
    let status: String = sqlx::query_scalar("SELECT status FROM tasks WHERE id = 1")
        .fetch_one(&h.sql)
        .await
        .unwrap();
    assert_eq!(status, "escalated");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_fits_goes_to_the_manager_at_once() {
    let h = Harness::start().await;
    healthy(&h).await;
    h.create("excel-vba", 3.0).await;
    let notices = h.wait_notices(1).await;
    let text = notices[0]["content"].as_str().unwrap();
    assert!(
        text.contains("beim Anlegen passte kein VPA") && text.contains("evtl. nicht abdeckbar"),
        "{text}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepted_but_unassigned_asks_the_coordinator_first_then_the_manager() {
    let h = Harness::start().await;
    healthy(&h).await;
    h.create("research", 4.0).await;
    let post = h.wait_survey_post(1).await;
    h.react(&post, &h.vpa(6001), "✅", true).await;
    h.wait_answers(RoundId(1), &[(6001, "accept")]).await;
    h.advance(Duration::hours(5)).await;
    let discord = h.discord.clone();
    let dm = wait_until(|| {
        discord.dm_messages(900).into_iter().find(|m| {
            m["content"]
                .as_str()
                .is_some_and(|c| c.contains("noch nicht vergeben"))
        })
    })
    .await
    .expect("the coordinator is asked first");
    assert!(
        dm["content"]
            .as_str()
            .unwrap()
            .contains("/survey status task:1")
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(h.notices().is_empty(), "the manager is not bothered yet");
    h.advance(Duration::hours(4)).await;
    let notices = h.wait_notices(1).await;
    assert!(
        notices[0]["content"]
            .as_str()
            .unwrap()
            .contains("nach einem weiteren Fenster nicht vergeben")
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_assignment_in_time_keeps_the_manager_out_of_it() {
    let h = Harness::start().await;
    healthy(&h).await;
    h.create("research", 4.0).await;
    let post = h.wait_survey_post(1).await;
    h.react(&post, &h.vpa(6001), "✅", true).await;
    h.wait_answers(RoundId(1), &[(6001, "accept")]).await;
    h.advance(Duration::hours(5)).await;
    let assign = h
        .discord
        .interact(fixtures::slash(
            "task",
            &["assign"],
            vec![("id", 1i64.into()), ("vpa", (&h.vpa(6001)).into())],
            &h.coordinator(),
        ))
        .await;
    h.final_text(&assign).await;
    h.advance(Duration::hours(5)).await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert!(h.notices().is_empty());
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manual_reports_late_answers_and_a_second_failed_round() {
    let h = Harness::start().await;
    healthy(&h).await;
    h.create("research", 4.0).await;
    let post = h.wait_survey_post(1).await;
    // Bad inputs and roles.
    let refused = h
        .discord
        .interact(fixtures::slash(
            "demand",
            &["report"],
            vec![("task", 1i64.into())],
            &h.vpa(6001),
        ))
        .await;
    assert!(
        h.final_text(&refused)
            .await
            .contains("nur Koordinator:innen")
    );
    let unknown = h
        .discord
        .interact(fixtures::slash(
            "demand",
            &["report"],
            vec![("task", 42i64.into())],
            &h.coordinator(),
        ))
        .await;
    assert!(h.final_text(&unknown).await.contains("gibt es nicht"));
    let long = h
        .discord
        .interact(fixtures::slash(
            "demand",
            &["report"],
            vec![("task", 1i64.into()), ("note", "x".repeat(501).into())],
            &h.coordinator(),
        ))
        .await;
    assert!(h.final_text(&long).await.contains("höchstens 500 Zeichen"));
    assert!(h.notices().is_empty());
    // A report by hand.
    let report = h
        .discord
        .interact(fixtures::slash(
            "demand",
            &["report"],
            vec![("task", 1i64.into()), ("note", "Kunde drängt".into())],
            &h.coordinator(),
        ))
        .await;
    assert!(
        h.final_text(&report)
            .await
            .contains("an den VPA Manager gemeldet")
    );
    let notice = h.wait_notices(1).await.remove(0);
    assert!(
        notice["content"]
            .as_str()
            .unwrap()
            .contains("„Kunde drängt“")
    );
    let notice_id = notice["id"].as_str().unwrap().to_string();
    // A late answer edits the same notice.
    h.react(&post, &h.vpa(6002), "⏳", true).await;
    let manager = h.settings().manager_channel_id.0;
    let discord = h.discord.clone();
    wait_until(|| {
        discord.channel_messages(manager).into_iter().find(|m| {
            m["id"] == notice_id.as_str()
                && m["content"]
                    .as_str()
                    .is_some_and(|c| c.contains("⏳ 1 später"))
        })
    })
    .await
    .expect("the notice shows the late answer");
    // The first round fails: the notice is updated and the manager re-pinged once, in a reply.
    h.advance(Duration::hours(5)).await;
    let reply = wait_until(|| {
        discord.channel_messages(manager).into_iter().find(|m| {
            m["content"]
                .as_str()
                .is_some_and(|c| c.contains("nächste Umfrage endete ohne Zusage"))
        })
    })
    .await
    .expect("a re-ping");
    let ping_request = h
        .manager_posts()
        .into_iter()
        .find(|r| r.body["message_reference"]["message_id"] == notice_id.as_str())
        .expect("a reply to the notice");
    assert!(
        reply["content"]
            .as_str()
            .unwrap()
            .starts_with(&format!("<@&{}>", h.settings().manager_role_id.0))
    );
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
    let pings = || {
        discord
            .channel_messages(manager)
            .into_iter()
            .filter(|m| {
                m["content"]
                    .as_str()
                    .is_some_and(|c| c.contains("ohne Zusage."))
            })
            .count()
    };
    wait_until(|| (pings() == 2).then_some(()))
        .await
        .expect("second re-ping");
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(pings(), 2, "round {round} re-pinged once");
    assert_eq!(h.notices().len(), 1, "never two notices for one task");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_round_that_fell_due_while_the_bot_was_down_closes_once_after_restart() {
    let h = Harness::start().await;
    healthy(&h).await;
    h.create("research", 4.0).await;
    h.wait_survey_post(1).await;
    let clock = h.clock.clone();
    let h = {
        // Crash first, then the window passes while nobody runs.
        let restarted_later = h;
        clock.advance(Duration::hours(6));
        restarted_later.crash_and_restart().await
    };
    let notices = h.wait_notices(1).await;
    assert!(
        notices[0]["content"]
            .as_str()
            .unwrap()
            .contains("Umfrage ohne Zusage beendet")
    );
    let h = h.crash_and_restart().await;
    h.advance(Duration::minutes(5)).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(h.notices().len(), 1);
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM escalation_events")
        .fetch_one(&h.sql)
        .await
        .unwrap();
    assert_eq!(events, 1);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pool_health_alert_reminder_recovery_without_duplicates_across_restarts() {
    let h = Harness::start().await;
    h.seed_vpas(6001, 10, "research", 20.0).await;
    h.desk.pool_changed();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let alerts = |h: &Harness, needle: &str| {
        h.manager_messages()
            .into_iter()
            .filter(|m| m["content"].as_str().is_some_and(|c| c.contains(needle)))
            .count()
    };
    // The harness starts with an empty pool: that first alert is expected; recovery follows.
    wait_until(|| (alerts(&h, "Pool wieder gesund") == 1).then_some(()))
        .await
        .expect("recovered to 10");
    // One VPA takes a VT-Stop: 9 of 10 → one alert naming them and why.
    let vt = h
        .discord
        .interact(fixtures::slash(
            "profile",
            &["vt-stop"],
            vec![("until", "31.12.2026".into())],
            &h.vpa(6003),
        ))
        .await;
    h.final_text(&vt).await;
    let alert = wait_until(|| {
        h.manager_messages().into_iter().find(|m| {
            m["content"]
                .as_str()
                .is_some_and(|c| c.contains("nur 9 von mindestens 10"))
        })
    })
    .await
    .expect("alert");
    let text = alert["content"].as_str().unwrap();
    assert!(
        text.contains("<@6003>") && text.contains("VT-Stop bis 31.12.2026"),
        "{text}"
    );
    assert!(
        text.starts_with("⚠️") && text.contains("Backoffice: 9 von 10"),
        "{text}"
    );
    // Another change while below: no second alert.
    let absent = h
        .discord
        .interact(fixtures::slash(
            "profile",
            &["absent"],
            vec![
                ("from", "30.11.2026".into()),
                ("until", "02.12.2026".into()),
            ],
            &h.vpa(6004),
        ))
        .await;
    h.final_text(&absent).await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(
        alerts(&h, "⚠️ **Pool-Gesundheit"),
        2,
        "the empty start and this crossing"
    );
    // Across a restart: still no duplicate.
    let h = h.crash_and_restart().await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(alerts(&h, "⚠️ **Pool-Gesundheit"), 2);
    assert_eq!(alerts(&h, "Erinnerung"), 0);
    // The next day: one reminder.
    h.advance(Duration::days(1)).await;
    wait_until(|| (alerts(&h, "Erinnerung") == 1).then_some(()))
        .await
        .expect("daily reminder");
    h.advance(Duration::hours(1)).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(alerts(&h, "Erinnerung"), 1, "one reminder per day");
    // The absence ended (02.12.) and the VT-Stop is lifted: healthy again.
    h.advance(Duration::days(2)).await;
    let lift = h
        .discord
        .interact(fixtures::slash(
            "profile",
            &["vt-stop"],
            vec![("until", "aus".into())],
            &h.vpa(6003),
        ))
        .await;
    h.final_text(&lift).await;
    wait_until(|| (alerts(&h, "Pool wieder gesund") == 2).then_some(()))
        .await
        .expect("recovery notice");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiet_hours_hold_back_the_role_ping_until_they_end() {
    // 13:00–15:00 Berlin; the BO window closes at 14:00 Berlin (the harness starts at 09:00).
    let h = Harness::start_with(|c| c.settings.survey.quiet_hours = "13:00-15:00".parse().unwrap())
        .await;
    healthy(&h).await;
    h.create("research", 4.0).await;
    h.wait_survey_post(1).await;
    h.advance(Duration::hours(5)).await;
    let notice = h.wait_notices(1).await.remove(0);
    let role = format!("<@&{}>", h.settings().manager_role_id.0);
    assert!(
        !notice["content"].as_str().unwrap().contains(&role),
        "no ping in quiet hours"
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let pings = |h: &Harness| {
        h.manager_messages()
            .into_iter()
            .filter(|m| m["content"].as_str().is_some_and(|c| c.starts_with(&role)))
            .count()
    };
    assert_eq!(pings(&h), 0);
    // 15:01 Berlin: the held-back ping goes out as a reply to the notice.
    h.clock.advance(Duration::minutes(61));
    h.desk.ring_outbox();
    wait_until(|| (pings(&h) == 1).then_some(()))
        .await
        .expect("the ping after the quiet hours");
    h.stop().await;
}
