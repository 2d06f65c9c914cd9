//! `/report` of each kind on a pool of 10,000 VPAs with a year of history (18,250 tasks with
//! their rounds, answers, assignments and escalations; 365 daily snapshots): the use case's
//! reads and figures plus the text and the PNG chart, as the command runs them, on a real
//! SQLite file. Run with `cargo bench --bench reports`.

mod common;

use std::time::{Duration, Instant};

use common::{cpu_ticks, ms, quantile, steal_between, steal_text};
use vpa_desk::clock::ManualClock;
use vpa_desk::config::Config;
use vpa_desk::db::Db;
use vpa_desk::db::vpas::{ChangeSource, save_vpas};
use vpa_desk::domain::competence::Level;
use vpa_desk::domain::ids::DiscordId;
use vpa_desk::domain::report::{Period, ReportKind};
use vpa_desk::domain::vpa::{HeldCompetence, Vpa};
use vpa_desk::present::{self, Lang};
use vpa_desk::service::{Desk, reports};

const VPAS: u64 = 10_000;
const DAYS: i64 = 365;
const TASKS_PER_DAY: i64 = 50;
const RUNS: usize = 40;

/// A `WITH` clause numbering `from` to `to` as `s(value)` (the bundled SQLite has no
/// `generate_series`).
fn series(from: i64, to: i64) -> String {
    format!(
        "WITH RECURSIVE s(value) AS (SELECT {from} UNION ALL SELECT value + 1 FROM s WHERE value < {to})"
    )
}

async fn seed(db: &Db, config: &Config) {
    let keys: Vec<_> = config.catalog.all().iter().map(|c| c.id).collect();
    let vpas: Vec<Vpa> = (0..VPAS)
        .map(|i| {
            let mut v = Vpa::new(DiscordId(100_000_000_000_000_000 + i), format!("VPA {i}"));
            v.weekly_hours = 10.0 + (i % 30) as f64;
            v.wants_tasks = true;
            v.wants_new_clients = i % 3 != 0;
            v.competences = (0..(3 + i % 6))
                .map(|k| HeldCompetence {
                    competence: keys[((i * 7 + k * 13) as usize) % keys.len()],
                    level: Level::Good,
                })
                .collect();
            v
        })
        .collect();
    let items: Vec<_> = vpas.iter().map(|v| (None, v)).collect();
    let mut tx = db.begin_write().await.unwrap();
    save_vpas(
        &mut tx,
        &config.catalog,
        &items,
        ChangeSource::Import,
        None,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let areas = [
        "backoffice",
        "backoffice",
        "backoffice",
        "secretarial",
        "marketing",
        "sales",
        "software",
    ];
    let n = DAYS * TASKS_PER_DAY;
    for sql in [
        format!("INSERT INTO clients (id, name, created_at) \
         {} SELECT value, 'Kunde ' || value, '2025-01-01T00:00:00Z' FROM s", series(1, 200))
        ,
        format!(
            "{} INSERT INTO tasks (id, client_id, competence, area, hours, recurring, deadline, new_client, \
             status, created_by, created_at, updated_at) \
             SELECT value, 1 + value % 200, 'research', \
               json_extract('{areas}', '$[' || (value % 7) || ']'), 1 + value % 15, 0, \
               date('2026-12-01', '-' || ((({n} - value) / {TASKS_PER_DAY})) || ' days', '+5 days'), \
               value % 2, CASE WHEN value % 10 < 7 THEN 'done' WHEN value % 10 = 7 THEN 'cancelled' \
               WHEN value % 10 = 8 THEN 'external' ELSE 'open' END, 900, \
               strftime('%Y-%m-%dT%H:%M:%SZ', '2026-12-01', '-' || (({n} - value) / {TASKS_PER_DAY}) || ' days', \
                 '+' || (value % 600) || ' minutes'), '2026-12-01T00:00:00Z' \
             FROM s",
            series(1, n),
            areas = serde_json::to_string(&areas).unwrap()
        ),
        "INSERT INTO survey_rounds (task_id, kind, competence, opened_at, closes_at, closed_at, outcome) \
         SELECT id, 'first', 'research', created_at, \
           strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+4 hours'), \
           strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+4 hours'), 'closed' FROM tasks"
            .to_string(),
        format!(
            "INSERT INTO survey_answer_history (round_id, vpa_id, answer, via, answered_at) \
             SELECT r.id, 100000000000000000 + (r.task_id * 37) % {VPAS}, 'accept', 'button', \
               strftime('%Y-%m-%dT%H:%M:%SZ', r.opened_at, '+' || (r.task_id % 9) || ' hours') \
             FROM survey_rounds r WHERE r.task_id % 10 < 7"
        ),
        format!(
            "INSERT INTO assignments (task_id, vpa_id, client_id, hours, recurring, assigned_on, deadline, \
             ended_on, created_at) \
             SELECT t.id, 100000000000000000 + (t.id * 37) % {VPAS}, t.client_id, t.hours, 0, \
               date(t.created_at), t.deadline, \
               CASE WHEN t.created_at < '2026-11-20' THEN t.deadline END, \
               strftime('%Y-%m-%dT%H:%M:%SZ', t.created_at, '+' || (t.id % 9) || ' hours') \
             FROM tasks t WHERE t.id % 10 < 7"
        ),
        "INSERT INTO escalations (task_id, cause, created_at, updated_at) \
         SELECT id, 'round_failed', created_at, created_at FROM tasks WHERE id % 10 >= 8"
            .to_string(),
        format!(
            "{} INSERT INTO pool_snapshots (day, area, available, minimum, taken_at) \
             SELECT date('2026-12-01', '-' || d.value || ' days'), a.value, 5 + (d.value * 7) % 20, \
               CASE a.value WHEN '' THEN 10 END, '2026-12-01T00:00:00Z' \
             FROM s d, json_each('[\"\",\"backoffice\",\"secretarial\",\"marketing\",\"sales\",\"software\"]') a",
            series(0, DAYS - 1)
        ),
    ] {
        sqlx::query(&sql).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("reports: bench");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // KEEP_DB=FILE keeps the seeded database there, to look at its query plans afterwards.
    let url = match std::env::var("KEEP_DB") {
        Ok(file) => format!("sqlite://{file}"),
        Err(_) => format!("sqlite://{}/reports.db", dir.path().display()),
    };
    let db = Db::connect(&url).await.unwrap();
    let config = Config::embedded();
    let started = Instant::now();
    seed(&db, &config).await;
    println!(
        "seeded {VPAS} VPAs, {} tasks, {DAYS} days of snapshots in {:.1} s",
        DAYS * TASKS_PER_DAY,
        started.elapsed().as_secs_f64()
    );
    let clock = ManualClock::running("2026-12-01T10:00:00Z".parse().unwrap());
    let desk = Desk::new(db, config, clock);
    let lang = Lang::from_tag("de").unwrap();
    let today = desk.today();
    for (kind, weeks) in ReportKind::ALL.iter().flat_map(|k| [(*k, 4), (*k, 52)]) {
        let period = Period::last_weeks(today, weeks);
        let before = cpu_ticks();
        let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
        let mut bytes = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let view = reports::report(&desk, kind, period).await.unwrap();
            let message = present::report::message(lang, &view);
            times.push(t.elapsed());
            bytes = message.files.iter().map(|f| f.bytes.len()).sum::<usize>();
        }
        times.sort();
        println!(
            "/report {:<11} {:>2} weeks: p50 {:7.2} ms  p99 {:7.2} ms  (chart {} KB){}",
            kind.key(),
            weeks,
            ms(quantile(&times, 0.5)),
            ms(quantile(&times, 0.99)),
            bytes / 1024,
            steal_text(steal_between(before, cpu_ticks()))
        );
    }
}
