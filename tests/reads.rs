//! What a use case reads follows its task, not the pool: `/task new` (the service behind it)
//! on a pool where 3 of 2,000 VPAs hold the competence reads those 3; `/survey status` reads the
//! surveyed; and the indexed path ranks exactly as the whole pool would, on randomized pools.
//!
//! A test binary of its own: the count of VPA rows read is per process (`db::vpas::vpas_read`),
//! so nothing else may read VPAs while it runs.

#[path = "../benches/common/rng.rs"]
mod rng;

use chrono::{DateTime, NaiveDate, Utc};
use vpa_desk::clock::ManualClock;
use vpa_desk::config::Config;
use vpa_desk::db::Db;
use vpa_desk::db::vpas::{ChangeSource, Selection, save_vpas, vpas_read};
use vpa_desk::domain::competence::{CompetenceId, Level};
use vpa_desk::domain::ids::DiscordId;
use vpa_desk::domain::ranking::rank;
use vpa_desk::domain::task::{Offer, TaskDraft};
use vpa_desk::domain::vpa::{HeldCompetence, Vpa};
use vpa_desk::service::{Act, Desk, survey, tasks};

use rng::SplitMix64;

const START: &str = "2026-11-30T08:00:00Z";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A pool of `n` VPAs with 3–8 competences from the catalog, some on VT-Stop, absent, full,
/// unwilling, with commitments — every exclusion reason occurs.
fn random_pool(config: &Config, n: u64, rng: &mut SplitMix64) -> Vec<Vpa> {
    let all: Vec<CompetenceId> = config.catalog.all().iter().map(|c| c.id).collect();
    (0..n)
        .map(|i| {
            let mut vpa = Vpa::new(DiscordId(100_000 + i), format!("VPA {i}"));
            vpa.weekly_hours = [0.0, 10.0, 20.0, 40.0][rng.below(4) as usize];
            vpa.wants_tasks = rng.below(10) > 0;
            vpa.wants_new_clients = rng.below(4) > 0;
            vpa.active = rng.below(20) > 0;
            if rng.below(10) == 0 {
                vpa.vt_stop_until = Some(day("2026-12-20"));
            }
            if rng.below(12) == 0 {
                vpa.absent_from = Some(day("2026-11-28"));
                vpa.absent_until = Some(day("2026-12-05"));
            }
            let count = 3 + rng.below(6) as usize;
            let mut held: Vec<CompetenceId> = Vec::new();
            while held.len() < count.min(all.len()) {
                let c = all[rng.below(all.len() as u64) as usize];
                if !held.contains(&c) {
                    held.push(c);
                }
            }
            vpa.competences = held
                .into_iter()
                .map(|competence| HeldCompetence {
                    competence,
                    level: [Level::Basic, Level::Good, Level::Expert][rng.below(3) as usize],
                })
                .collect();
            vpa
        })
        .collect()
}

async fn fresh() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&format!("sqlite://{}/reads.db", dir.path().display()))
        .await
        .unwrap();
    (dir, db)
}

async fn store(db: &Db, config: &Config, vpas: &[Vpa], at: DateTime<Utc>) {
    let mut tx = db.begin_write().await.unwrap();
    let items: Vec<(Option<&Vpa>, &Vpa)> = vpas.iter().map(|v| (None, v)).collect();
    save_vpas(
        &mut tx,
        &config.catalog,
        &items,
        ChangeSource::Import,
        None,
        at,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_follow_the_task_and_rank_as_the_whole_pool_would() {
    let config = Config::embedded();
    let at: DateTime<Utc> = START.parse().unwrap();
    let today = day("2026-11-30");

    // 2,000 VPAs, of whom exactly 3 hold WordPress.
    let wordpress = config.catalog.by_key("wordpress").unwrap().id;
    let mut rng = SplitMix64(7);
    let mut pool = random_pool(&config, 2_000, &mut rng);
    for vpa in &mut pool {
        vpa.competences.retain(|c| c.competence != wordpress);
    }
    for vpa in pool.iter_mut().take(3) {
        vpa.active = true;
        vpa.wants_tasks = true;
        vpa.wants_new_clients = true;
        vpa.vt_stop_until = None;
        vpa.absent_from = None;
        vpa.absent_until = None;
        vpa.weekly_hours = 20.0;
        vpa.competences.push(HeldCompetence {
            competence: wordpress,
            level: Level::Good,
        });
    }
    let (_dir, db) = fresh().await;
    store(&db, &config, &pool, at).await;
    let desk = Desk::new(db, config.clone(), ManualClock::running(at));
    let draft = TaskDraft {
        client: "Kanzlei Berger".into(),
        competence: "wordpress".into(),
        hours: 4.0,
        deadline: "18.12.2026".into(),
        ..TaskDraft::default()
    };
    let before = vpas_read();
    let created = tasks::create_task(&desk, &draft, &Act::by(DiscordId(900)))
        .await
        .unwrap();
    assert_eq!(
        vpas_read() - before,
        3,
        "/task new read the three holders only"
    );
    assert_eq!(created.surveyed, 3);
    let before = vpas_read();
    let status = survey::survey_status(&desk, created.task_id).await.unwrap();
    assert_eq!(status.no_answer.len(), 3);
    assert_eq!(
        vpas_read() - before,
        3,
        "/survey status read the surveyed (here also the holders) only"
    );

    // Randomized pools (with commitments): the holders' ranking equals the whole pool's —
    // the same fitting VPAs in the same order, the same reasons for every holder left out,
    // and every other VPA left out for lacking the competence.
    for seed in 1..=5u64 {
        let mut rng = SplitMix64(seed);
        let pool = random_pool(&config, 1_500, &mut rng);
        let (_dir, db) = fresh().await;
        store(&db, &config, &pool, at).await;
        // Commitments as the bot writes them: tasks, and assignments of random VPAs to them.
        let desk = Desk::new(db.clone(), config.clone(), ManualClock::running(at));
        let mut made = Vec::new();
        for (i, key) in ["research", "newsletter", "wordpress"].iter().enumerate() {
            let draft = TaskDraft {
                client: format!("Kunde {i}"),
                competence: (*key).into(),
                hours: 4.0,
                deadline: "11.12.2026".into(),
                ..TaskDraft::default()
            };
            let created = tasks::create_task(&desk, &draft, &Act::by(DiscordId(900)))
                .await
                .unwrap();
            made.push(
                db.get_task(&config.catalog, created.task_id)
                    .await
                    .unwrap()
                    .unwrap(),
            );
        }
        let mut tx = db.begin_write().await.unwrap();
        for vpa in &pool {
            if rng.below(3) != 0 {
                continue;
            }
            let task = &made[rng.below(made.len() as u64) as usize];
            let hours = 1.0 + rng.below(30) as f64;
            vpa_desk::db::tasks::insert_assignment(
                &mut tx,
                task,
                vpa.discord_id,
                hours,
                today,
                None,
                at,
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        for competence in config.catalog.all().iter().map(|c| c.id) {
            let offer = Offer {
                competence,
                hours: 6.0,
                recurring: rng.below(4) == 0,
                deadline: day("2026-12-18"),
                client_id: (rng.below(2) == 0).then_some(made[0].client_id),
                new_client: false,
            };
            let whole = db.load_pool(&config.catalog).await.unwrap();
            let holders = db
                .load_selected(&config.catalog, &Selection::holders(competence))
                .await
                .unwrap();
            let (a, b) = (rank(&whole, &offer, today), rank(&holders, &offer, today));
            assert_eq!(a.fitting, b.fitting, "seed {seed}, {competence:?}");
            let held: std::collections::HashSet<_> = holders.iter().map(|v| v.discord_id).collect();
            let holders_left_out: Vec<_> =
                a.excluded().filter(|(id, _)| held.contains(id)).collect();
            let left_out: Vec<_> = b.excluded().collect();
            assert_eq!(holders_left_out, left_out, "seed {seed}, {competence:?}");
            assert!(
                a.excluded()
                    .filter(|(id, _)| !held.contains(id))
                    .all(|(_, why)| {
                        why.contains(&vpa_desk::domain::eligibility::Exclusion::NoCompetence)
                    }),
                "seed {seed}: the others lack the competence"
            );
        }
    }
}
