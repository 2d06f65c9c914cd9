//! Answer ingest: 2,000 reaction answers through the real serenity/poise client and the
//! loopback gateway into SQLite — answers/s and dispatch→commit latency, none lost.
//!
//! Two phases on 20 survey posts × 100 mentioned VPAs: a burst (all 2,000 ✅ dispatched at once:
//! throughput) and a steady stream at 1,000 answers/s (❌ changes every answer: latency).
//! Run with `cargo bench --bench answers`.

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use vpa_desk::clock::SystemClock;
use vpa_desk::config::Config;
use vpa_desk::db::Db;
use vpa_desk::db::vpas::{ChangeSource, save_vpa};
use vpa_desk::domain::competence::Level;
use vpa_desk::domain::ids::{DiscordId, RoundId};
use vpa_desk::domain::task::TaskDraft;
use vpa_desk::domain::vpa::{HeldCompetence, Vpa};
use vpa_desk::loopback::fixtures::{self, FakeUser};
use vpa_desk::loopback::{LoopbackConfig, LoopbackDiscord};
use vpa_desk::service::desk::DeskEvent;
use vpa_desk::service::{Desk, tasks};

const ROUNDS: usize = 20;
const PER_ROUND: usize = 100;
const PACED_PER_SECOND: u64 = 1_000;

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("vpa-desk-answers-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut config = Config::embedded();
    config.settings.discord.guild_id = DiscordId(fixtures::DEFAULT_GUILD_ID);
    config.settings.survey.max_mentions = PER_ROUND;
    let vpa_role = config.settings.discord.vpa_role_id.0;
    let surveys = config.settings.discord.surveys_channel_id.0;
    let discord = LoopbackDiscord::start(LoopbackConfig::default()).await?;
    let url = format!("sqlite://{}/bench.db", dir.display());
    let db = Db::connect(&url).await?;
    // The bench's own view of the file, to count what the bot wrote.
    let sql = sqlx::SqlitePool::connect(&url).await?;
    let desk = Desk::new(db, config, Arc::new(SystemClock));

    // The pool: 100 VPAs who fit a research task.
    let research = desk.config.catalog.by_key("research").expect("catalog").id;
    let mut tx = desk.db.begin_write().await?;
    for id in 1..=PER_ROUND as u64 {
        let mut vpa = Vpa::new(DiscordId(10_000 + id), format!("VPA {id}"));
        vpa.weekly_hours = 40.0;
        vpa.wants_tasks = true;
        vpa.wants_new_clients = true;
        vpa.competences = vec![HeldCompetence {
            competence: research,
            level: Level::Good,
        }];
        save_vpa(
            &mut tx,
            &desk.config.catalog,
            &vpa,
            ChangeSource::Import,
            None,
            desk.now(),
        )
        .await?;
    }
    tx.commit().await?;

    let bot_desk = desk.clone();
    let connection = vpa_desk::bot::Connection::Client(vpa_desk::loopback::discord_client(
        discord.api_tls_addr(),
    ));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let bot = tokio::spawn(async move {
        vpa_desk::cli::serve(bot_desk, "bench", &connection, async {
            let _ = stopped.await;
        })
        .await
    });
    anyhow::ensure!(
        discord.wait_ready(Duration::from_secs(30)).await,
        "bot not ready"
    );

    // 20 tasks, each posted with 100 mentions.
    let deadline = (desk.today() + chrono::Duration::days(10))
        .format("%Y-%m-%d")
        .to_string();
    for i in 0..ROUNDS {
        let draft = TaskDraft {
            client: format!("Kunde {i}"),
            competence: "research".into(),
            hours: 0.25,
            deadline: deadline.clone(),
            ..TaskDraft::default()
        };
        tasks::create_task(&desk, &draft, &vpa_desk::service::Act::by(DiscordId(1))).await?;
    }
    let posts = loop {
        let posts = discord.channel_messages(surveys);
        let mapped: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM survey_rounds WHERE message_id IS NOT NULL")
                .fetch_one(&sql)
                .await?;
        if posts.len() == ROUNDS && mapped == ROUNDS as i64 {
            break posts;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let mut targets = Vec::new(); // (channel, message, round, vpa)
    for post in &posts {
        let message: u64 = post["id"].as_str().unwrap_or_default().parse()?;
        let round = desk
            .db
            .round_by_message(DiscordId(message))
            .await?
            .expect("round")
            .id;
        for vpa in desk.db.invitees(round).await? {
            targets.push((surveys, message, round, vpa));
        }
    }
    anyhow::ensure!(
        targets.len() == ROUNDS * PER_ROUND,
        "expected {} answer slots, got {}",
        ROUNDS * PER_ROUND,
        targets.len()
    );

    println!(
        "answer ingest: {} reactions through serenity 0.12.5 + poise 0.7.1 over the loopback gateway into SQLite (WAL, synchronous=FULL)",
        targets.len()
    );
    let burst = phase(&discord, &desk, &targets, vpa_role, "✅", None).await?;
    report("burst (all dispatched at once)", &burst);
    // The burst leaves a DM to the coordinator per acceptance in the outbox; the steady phase
    // starts once those are out, so it measures its own load and not the burst's tail.
    let drained = Instant::now();
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= ?",
        )
        .bind(desk.now())
        .fetch_one(&sql)
        .await?;
        if waiting == 0 {
            break;
        }
        anyhow::ensure!(
            drained.elapsed() < Duration::from_secs(120),
            "the outbox did not drain: {waiting} items left"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!(
        "outbox drained {:.1} s after the burst",
        drained.elapsed().as_secs_f64()
    );
    let paced = phase(
        &discord,
        &desk,
        &targets,
        vpa_role,
        "❌",
        Some(PACED_PER_SECOND),
    )
    .await?;
    report(&format!("steady {PACED_PER_SECOND} answers/s"), &paced);

    let accepted: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM survey_answers WHERE answer = 'decline'")
            .fetch_one(&sql)
            .await?;
    let history: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM survey_answer_history")
        .fetch_one(&sql)
        .await?;
    println!(
        "stored: {accepted} current answers (all changed to ❌), {history} history rows (expected {})",
        2 * targets.len()
    );
    anyhow::ensure!(
        accepted as usize == targets.len() && history as usize == 2 * targets.len(),
        "answers were lost"
    );
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), bot).await;
    discord.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

struct Phase {
    answers: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
    /// Share of CPU time the hypervisor gave to other guests during the phase (Linux only).
    steal: Option<f64>,
}

async fn phase(
    discord: &LoopbackDiscord,
    desk: &Desk,
    targets: &[(u64, u64, RoundId, DiscordId)],
    vpa_role: u64,
    emoji: &str,
    per_second: Option<u64>,
) -> anyhow::Result<Phase> {
    let mut events = desk.events.subscribe();
    let users: Vec<FakeUser> = targets
        .iter()
        .map(|t| FakeUser::new(t.3.0, "vpa").with_roles(&[vpa_role]))
        .collect();
    let mut dispatched: HashMap<(RoundId, DiscordId), Instant> =
        HashMap::with_capacity(targets.len());
    let ticks_before = common::cpu_ticks();
    let start = Instant::now();
    let collector = async {
        let mut committed: HashMap<(RoundId, DiscordId), Instant> =
            HashMap::with_capacity(targets.len());
        while committed.len() < targets.len() {
            match tokio::time::timeout(Duration::from_secs(30), events.recv()).await {
                Ok(Ok(DeskEvent::AnswerRecorded {
                    round_id, vpa, at, ..
                })) => {
                    committed.insert((round_id, vpa), at);
                }
                Ok(Ok(_)) => {}
                Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(n))) => {
                    anyhow::bail!("event listener lagged by {n}")
                }
                Ok(Err(e)) => anyhow::bail!("events closed: {e}"),
                Err(_) => anyhow::bail!(
                    "only {} of {} answers committed within 30 s",
                    committed.len(),
                    targets.len()
                ),
            }
        }
        Ok(committed)
    };
    let sender = async {
        for (i, ((channel, message, round, vpa), user)) in targets.iter().zip(&users).enumerate() {
            if let Some(rate) = per_second {
                let due = start + Duration::from_micros(i as u64 * 1_000_000 / rate);
                tokio::time::sleep_until(due.into()).await;
            }
            dispatched.insert((*round, *vpa), Instant::now());
            discord
                .dispatch(
                    "MESSAGE_REACTION_ADD",
                    fixtures::reaction_add(user, *channel, *message, emoji),
                )
                .await;
        }
    };
    let ((), committed) = tokio::join!(sender, collector);
    let committed = committed?;
    let steal = common::steal_between(ticks_before, common::cpu_ticks());
    let last = committed.values().max().copied().unwrap_or(start);
    let mut latencies: Vec<Duration> = committed
        .iter()
        .map(|(k, at)| at.saturating_duration_since(dispatched[k]))
        .collect();
    latencies.sort();
    Ok(Phase {
        answers: committed.len(),
        elapsed: last - start,
        latencies,
        steal,
    })
}

fn report(name: &str, p: &Phase) {
    let pct = |q: f64| common::quantile(&p.latencies, q);
    println!(
        "{name:<34} {:>5} answers in {:>7.1} ms = {:>7.0} answers/s | dispatch→commit p50 {:>6.2} ms, p99 {:>6.2} ms, max {:>6.2} ms | CPU steal {}",
        p.answers,
        p.elapsed.as_secs_f64() * 1000.0,
        p.answers as f64 / p.elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        p.latencies
            .last()
            .copied()
            .unwrap_or_default()
            .as_secs_f64()
            * 1000.0,
        common::steal_text(p.steal)
    );
}
