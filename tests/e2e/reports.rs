//! `/report` through the loopback: each kind answers with its figures and a PNG chart that
//! decodes to 1,200 × 600 and is not blank; the daily snapshot is taken once a day (a restart
//! the same day adds none, a day the bot was down stays a gap); a bad period gets a German
//! message with what is accepted; only coordinators and the manager may ask.

use vpa_desk::loopback::fixtures::{self, Opt};

use crate::support::{Harness, SurveyAction, round_of, sv};

async fn report(h: &Harness, kind: &str, period: Option<&str>) -> (String, Vec<(String, Vec<u8>)>) {
    // Discord sends a choice as its index.
    let index = ["pool", "demand", "fill", "utilization"]
        .iter()
        .position(|k| *k == kind)
        .expect("a kind") as i64;
    let mut options: Vec<(&str, Opt)> = vec![("kind", index.into())];
    if let Some(p) = period {
        options.push(("period", p.into()));
    }
    let reply = h
        .reply(fixtures::slash("report", &[], options, &h.manager()))
        .await;
    (reply.text(), reply.handle.original_attachments())
}

fn assert_chart(files: &[(String, Vec<u8>)], name: &str) {
    assert_eq!(files.len(), 1, "one chart");
    assert_eq!(files[0].0, name);
    let image = image::load_from_memory_with_format(&files[0].1, image::ImageFormat::Png)
        .expect("the chart is a PNG")
        .to_rgb8();
    assert_eq!((image.width(), image.height()), (1200, 600));
    let white = image.pixels().filter(|p| p.0 == [255, 255, 255]).count();
    assert!(white < 1200 * 600 * 99 / 100, "the chart is not blank");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_report_answers_with_its_figures_and_a_chart() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 12, "research").await;
    h.settle().await;
    // Task 1 is filled within its window, an hour after it was created.
    h.research_task(2.0).await;
    let post = h.wait_survey_post(1).await;
    let round = round_of(&post);
    h.advance(chrono::Duration::minutes(30)).await;
    h.press(&post, &sv(SurveyAction::Accept, round), &h.vpa(1000))
        .await;
    h.advance(chrono::Duration::minutes(30)).await;
    assert!(h.assign(1, &h.vpa(1000)).await.contains("vergeben"));
    // The next day (a snapshot of its own), task 2 stays open.
    h.advance(chrono::Duration::days(1)).await;
    h.research_task(3.0).await;
    h.wait_survey_post(2).await;
    h.settle().await;

    let (text, files) = report(&h, "pool", None).await;
    assert!(
        text.starts_with("📊 Pool-Gesundheit vom 04.11.2026 bis 01.12.2026"),
        "{text}"
    );
    assert!(
        text.contains("Gesamt: zuletzt 12 verfügbar (Minimum 10), Tiefstwert 12 am 30.11.2026; 26 Tage ohne Messung"),
        "two days measured of 28: {text}"
    );
    assert!(text.contains("Backoffice: zuletzt 12"), "{text}");
    assert!(
        !text.contains("Vertrieb"),
        "an empty area says nothing: {text}"
    );
    assert_chart(&files, "pool.png");

    let (text, files) = report(&h, "demand", Some("2")).await;
    assert!(
        text.contains("Backoffice: 2 Aufgaben (1 im ersten Fenster besetzt, 1 noch offen)"),
        "{text}"
    );
    assert_chart(&files, "demand.png");

    let (text, files) = report(&h, "fill", Some("2 Wochen")).await;
    assert!(
        text.contains("Backoffice: 1 Besetzung, Median 1 h, 90 % innerhalb 1 h"),
        "{text}"
    );
    assert!(
        text.contains("im ersten Fenster besetzt: 1 von 2 (50 %)"),
        "{text}"
    );
    assert_chart(&files, "fill.png");

    let (text, files) = report(&h, "utilization", None).await;
    assert!(
        text.contains("12 aktive VPAs mit Wochenstunden") && text.contains("11 ohne Aufgabe"),
        "{text}"
    );
    assert_chart(&files, "utilization.png");

    // Snapshots: one per day, whatever the number of evaluations.
    let days: Vec<(String, i64)> = h
        .sql
        .rows("SELECT day, COUNT(*) FROM pool_snapshots GROUP BY day ORDER BY day")
        .await;
    assert_eq!(
        days,
        vec![("2026-11-30".into(), 6), ("2026-12-01".into(), 6)],
        "the whole pool and five areas, once a day"
    );
    facts_agree(&h).await;
    h.stop().await;
}

async fn days(h: &Harness) -> Vec<(String,)> {
    h.sql
        .rows("SELECT DISTINCT day FROM pool_snapshots ORDER BY day")
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_the_same_day_adds_no_snapshot_and_downtime_stays_a_gap() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 3, "research").await;
    h.settle().await;
    let h = h.restart_after(|_| {}).await;
    h.settle().await;
    assert_eq!(days(&h).await, vec![("2026-11-30".to_string(),)]);
    // Down for two days: no rows are made up for them.
    let h = h.restart_after(|_| {}).await;
    h.clock.advance(chrono::Duration::days(3));
    h.settle().await;
    assert_eq!(
        days(&h).await,
        vec![("2026-11-30".to_string(),), ("2026-12-03".to_string(),)]
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_period_is_refused_in_german_and_vpas_may_not_ask() {
    let h = Harness::start().await;
    for (period, expected) in [
        (
            "letzten Monat",
            "„letzten Monat“ ist kein Zeitraum. Erlaubt: eine Zahl von Wochen",
        ),
        ("31.10.2026-01.10.2026", "liegt das Ende vor dem Anfang"),
        ("0", "mindestens 1 Woche, höchstens 2 Jahre"),
        ("500 Wochen", "mindestens 1 Woche, höchstens 2 Jahre"),
    ] {
        let (text, files) = report(&h, "pool", Some(period)).await;
        assert!(text.contains(expected), "{period}: {text}");
        assert!(files.is_empty());
    }
    let vpa = h
        .slash("report", &[], vec![("kind", 0i64.into())], &h.vpa(1000))
        .await;
    assert!(vpa.contains("Das dürfen nur Koordinator:innen"), "{vpa}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tasks_export_has_a_row_per_task_with_its_times() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 3, "research").await;
    h.research_task(2.0).await;
    let post = h.wait_survey_post(1).await;
    let round = round_of(&post);
    h.advance(chrono::Duration::minutes(90)).await;
    h.press(&post, &sv(SurveyAction::Accept, round), &h.vpa(1000))
        .await;
    assert!(h.assign(1, &h.vpa(1000)).await.contains("vergeben"));
    h.research_task(1.0).await;
    h.wait_survey_post(2).await;
    let env = crate::support::CliEnv::new();
    let file = env.dir.path().join("tasks.csv");
    let out = crate::support::cli::run(
        env.cmd()
            .env("DATABASE_URL", &h.db_url)
            .args(["export", "tasks"])
            .arg(&file),
    );
    assert!(
        out.status.success(),
        "{}",
        crate::support::cli::stderr(&out)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("id,area,competence,hours,recurring,deadline,status,created_at"));
    assert!(
        lines[1].starts_with("1,backoffice,research,2,false,2026-12-04,assigned,2026-11-30T08:00:00Z,2026-11-30T12:00:00Z,2026-11-30T09:30:00Z,2026-11-30T09:30:00Z,,,,1.50,false,false"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("2,backoffice,research,1,false"),
        "{}",
        lines[2]
    );
    assert!(
        !text.contains("Kanzlei Berger"),
        "no client names in the export"
    );
    facts_agree(&h).await;
    h.stop().await;
}

fn digests(h: &Harness) -> Vec<serde_json::Value> {
    h.manager_messages_saying("Wochenbericht")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_weekly_digest_comes_once_a_week_across_restarts_and_late_after_downtime() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 3, "research").await;
    h.research_task(2.0).await;
    h.wait_survey_post(1).await;
    h.settle().await;
    // Started after this Monday's 08:00: nothing for a week the bot never saw.
    assert!(digests(&h).is_empty());
    // Monday 7 December 07:59 Berlin, then a restart right before its time.
    h.advance(chrono::Duration::days(7) - chrono::Duration::minutes(61))
        .await;
    assert!(digests(&h).is_empty(), "not before its time");
    let h = h.restart_after(|_| {}).await;
    h.advance(chrono::Duration::minutes(2)).await;
    let posted = digests(&h);
    assert_eq!(posted.len(), 1, "one digest at 08:01");
    let text = crate::support::content(&posted[0]).to_string();
    assert!(
        text.starts_with("🗓️ Wochenbericht 30.11.2026 – 06.12.2026\n"),
        "{text}"
    );
    assert!(
        text.contains("Backoffice: 1 Aufgabe (1 noch offen)"),
        "{text}"
    );
    assert!(
        text.contains("Offene Nachfrage jetzt: Backoffice 1 (älteste 7 Tage)"),
        "{text}"
    );
    assert!(!text.contains("verspätet"), "{text}");
    let files = h.discord.attachments(
        crate::support::channel_id(&posted[0]).0,
        crate::support::message_id(&posted[0]).0,
    );
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["pool.png", "demand.png", "fill.png"]);
    let post = h.manager_posts().pop().unwrap();
    let roles = &post.body["allowed_mentions"]["roles"];
    assert!(
        roles.is_null() || roles == &serde_json::json!([]),
        "pings nobody"
    );
    // A restart right after its time adds none.
    let h = h.restart_after(|_| {}).await;
    h.advance(chrono::Duration::minutes(5)).await;
    assert_eq!(digests(&h).len(), 1);

    // Down over next Monday's 08:00 until 11:00: one late digest for that week.
    let clock = h.clock.clone();
    let h = h
        .restart_after(move |_| {
            clock.advance(chrono::Duration::days(7) + chrono::Duration::hours(3))
        })
        .await;
    h.settle().await;
    let posted = digests(&h);
    assert_eq!(posted.len(), 2, "one late digest");
    let late = crate::support::content(&posted[1]).to_string();
    assert!(
        late.starts_with("🗓️ Wochenbericht 07.12.2026 – 13.12.2026 (verspätet"),
        "{late}"
    );
    h.advance(chrono::Duration::hours(1)).await;
    assert_eq!(digests(&h).len(), 2, "not again");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_manager_gets_the_csv_attached_to_a_report_and_coordinators_do_not() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 4, "research").await;
    h.research_task(2.0).await;
    h.wait_survey_post(1).await;
    h.research_task(3.0).await;
    h.wait_survey_post(2).await;
    h.settle().await;
    let ask = |kind: i64, user: fixtures::FakeUser| {
        fixtures::slash(
            "report",
            &[],
            vec![("kind", kind.into()), ("csv", true.into())],
            &user,
        )
    };
    // Demand: the period's tasks with their times.
    let reply = h.reply(ask(1, h.manager())).await;
    assert!(
        reply.text().contains("📎 tasks.csv angehängt (2 Zeilen)."),
        "{}",
        reply.text()
    );
    let files = reply.handle.original_attachments();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["demand.png", "tasks.csv"]);
    let csv = String::from_utf8(files[1].1.clone()).unwrap();
    assert_eq!(csv.lines().count(), 3, "a header and two tasks: {csv}");
    // Pool health: the pool in the import format, which the import takes back.
    let reply = h.reply(ask(0, h.manager())).await;
    let files = reply.handle.original_attachments();
    let pool = &files
        .iter()
        .find(|(n, _)| n == "pool.csv")
        .expect("pool.csv")
        .1;
    let pool = String::from_utf8(pool.clone()).unwrap();
    assert_eq!(pool.lines().count(), 5, "{pool}");
    assert!(
        pool.lines().next().unwrap().starts_with("discord_id"),
        "{pool}"
    );
    // A coordinator gets the reports, not the files.
    let refused = h.reply(ask(1, h.coordinator())).await;
    assert!(
        refused.text().contains("Das darf nur der VPA Manager."),
        "{}",
        refused.text()
    );
    assert!(refused.handle.original_attachments().is_empty());
    h.stop().await;
}

/// The times the triggers keep per task (`task_facts`) are what the source tables say, derived
/// afresh for every task.
pub(crate) async fn facts_agree(h: &Harness) {
    type Facts = (
        i64,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        bool,
        bool,
    );
    let kept: Vec<Facts> = h
        .sql
        .rows(
            "SELECT t.id, f.first_window_end, f.first_accepted_at, f.first_assigned_at, \
             f.handed_on_at, f.refilled_at, f.closed_at, f.escalated, f.has_parts \
             FROM tasks t LEFT JOIN task_facts f ON f.task_id = t.id ORDER BY t.id",
        )
        .await;
    let derived: Vec<Facts> = h
        .sql
        .rows(
            "SELECT t.id, \
               (SELECT MIN(r.closes_at) FROM survey_rounds r WHERE r.task_id = t.id), \
               (SELECT MIN(x.answered_at) FROM survey_rounds r JOIN survey_answer_history x \
                  ON x.round_id = r.id WHERE r.task_id = t.id AND x.answer = 'accept'), \
               (SELECT MIN(a.created_at) FROM assignments a WHERE a.task_id = t.id), \
               (SELECT MIN(o.created_at) FROM hand_overs o WHERE o.task_id = t.id), \
               (SELECT MIN(a.created_at) FROM assignments a WHERE a.task_id = t.id AND \
                  a.created_at > (SELECT MIN(o.created_at) FROM hand_overs o \
                                  WHERE o.task_id = t.id)), \
               (SELECT MIN(x.changed_at) FROM task_status_history x WHERE x.task_id = t.id \
                  AND x.to_status IN ('done', 'cancelled', 'external', 'split')), \
               EXISTS (SELECT 1 FROM escalations e WHERE e.task_id = t.id), \
               EXISTS (SELECT 1 FROM tasks c WHERE c.parent_task_id = t.id) \
             FROM tasks t ORDER BY t.id",
        )
        .await;
    assert!(!derived.is_empty(), "a history to compare");
    assert_eq!(kept, derived);
}
