//! Import benchmark: `vpa-desk import-vpas` of a 20,000-row CSV into a real SQLite file, the way
//! an operator runs it next to the bot.
//!
//! Two figures per case, because they matter to different people:
//! - the whole import (criterion's time): what the operator waits for;
//! - how long it held the database's write lock (printed after the run, median and range): what
//!   the bot's answers wait for meanwhile.
//!
//! Cases: into an empty pool (20,000 created) and the same file changed in every row (20,000
//! updated). Rows have 3–8 competences of the shipped catalog, drawn by a fixed generator.
//! Run with `cargo bench --bench import`.

mod common;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use vpa_desk::config::Config;
use vpa_desk::db::Db;
use vpa_desk::service::import::{COLUMNS, import_vpas};

const ROWS: u64 = 20_000;

/// The pool as a CSV file; `hours_shift` changes every row's weekly hours (a re-import).
fn csv(config: &Config, hours_shift: u64) -> Vec<u8> {
    let keys: Vec<&str> = config
        .catalog
        .all()
        .iter()
        .map(|c| c.key.as_str())
        .collect();
    let mut rng = common::rng::SplitMix64(7);
    let mut out = COLUMNS.join(",");
    out.push('\n');
    for i in 0..ROWS {
        let held = 3 + rng.below(6) as usize;
        let first = rng.below(keys.len() as u64) as usize;
        let competences: Vec<String> = (0..held)
            .map(|k| {
                let level = ["basic", "good", "expert"][rng.below(3) as usize];
                format!("{}:{level}", keys[(first + k) % keys.len()])
            })
            .collect();
        out.push_str(&format!(
            "{},VPA {i},{},ja,{},,,nein,2025-0{}-15,{}\n",
            300_000_000_000_000_000u64 + i,
            10 + (rng.below(30) + hours_shift) % 30,
            if rng.below(4) == 0 { "nein" } else { "ja" },
            1 + rng.below(9),
            competences.join(";")
        ));
    }
    out.into_bytes()
}

fn median(mut figures: Vec<Duration>) -> (Duration, Duration, Duration) {
    figures.sort();
    (
        figures[0],
        figures[figures.len() / 2],
        figures[figures.len() - 1],
    )
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let config = Config::embedded();
    let first = csv(&config, 0);
    let changed = csv(&config, 1);
    let now = Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    let held: Mutex<Vec<(&str, Duration)>> = Mutex::new(Vec::new());
    let mut file = 0;
    let mut fresh_db = || {
        file += 1;
        let url = format!("sqlite://{}/import-{file}.db", dir.path().display());
        runtime.block_on(Db::connect(&url)).expect("database")
    };

    group.bench_function("20k_rows_into_an_empty_pool", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let db = fresh_db();
                let started = Instant::now();
                let report = runtime
                    .block_on(import_vpas(&db, &config, &first, now))
                    .map_err(|e| format!("{e}"))
                    .expect("import");
                total += started.elapsed();
                assert_eq!(report.created, ROWS as usize);
                held.lock().unwrap().push(("empty", report.write_lock_held));
                runtime.block_on(db.close());
            }
            total
        })
    });

    group.bench_function("20k_rows_all_changed", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let db = fresh_db();
                runtime
                    .block_on(import_vpas(&db, &config, &first, now))
                    .map_err(|e| format!("{e}"))
                    .expect("first import");
                let started = Instant::now();
                let report = runtime
                    .block_on(import_vpas(&db, &config, &changed, now))
                    .map_err(|e| format!("{e}"))
                    .expect("import");
                total += started.elapsed();
                assert_eq!(report.created, 0);
                held.lock()
                    .unwrap()
                    .push(("changed", report.write_lock_held));
                runtime.block_on(db.close());
            }
            total
        })
    });
    group.finish();

    let held = held.into_inner().unwrap();
    for case in ["empty", "changed"] {
        let figures: Vec<Duration> = held
            .iter()
            .filter(|(c, _)| *c == case)
            .map(|(_, d)| *d)
            .collect();
        let (low, mid, high) = median(figures.clone());
        println!(
            "import/{case}: write lock held median {mid:.1?} (range {low:.1?}–{high:.1?}, {} imports)",
            figures.len()
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
