//! Task creation and status as the coordinator feels them, on pools of 1,000 and 10,000 VPAs
//! (3–8 competences each from the shipped catalog; the same 200 hold `research`, the task's
//! competence, in both), through the real serenity/poise client, the loopback Discord and a
//! real SQLite file:
//!
//! - `/task new` ×200: dispatch → the first edit of the deferred reply (the task id) and →
//!   the survey post's POST in the surveys channel; alone, and while 1,000 answers/s stream
//!   in on 20 earlier survey posts × 100 mentioned VPAs (⏳ taken back and given again in
//!   turn: each a change of the answer, none queuing a DM), with those answers' dispatch →
//!   commit latency;
//! - `/survey status` ×200 on a task with 100 surveyed VPAs: dispatch → the reply;
//! - the real binary (`vpa-desk serve`) on each pool: process start → commands registered
//!   (the PUT the loopback sees), and its VmRSS once ready.
//!
//! Every latency is taken on the loopback's clock: from just before the dispatch to the
//! arrival of the request that shows the result. Run with `cargo bench --bench tasks`.

mod common;

use std::collections::{HashMap, VecDeque};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{cpu_ticks, ms, proc_status_kb, quantile, steal_between, steal_text};
use vpa_desk::clock::SystemClock;
use vpa_desk::config::Config;
use vpa_desk::db::Db;
use vpa_desk::db::vpas::{ChangeSource, save_vpas};
use vpa_desk::domain::competence::{CompetenceId, Level};
use vpa_desk::domain::ids::{DiscordId, RoundId};
use vpa_desk::domain::task::TaskDraft;
use vpa_desk::domain::vpa::{HeldCompetence, Vpa};
use vpa_desk::loopback::fixtures::{self, FakeUser, Opt};
use vpa_desk::loopback::{LoopbackConfig, LoopbackDiscord, RecordedRequest};
use vpa_desk::service::desk::DeskEvent;
use vpa_desk::service::{Desk, tasks};

const POOLS: [usize; 2] = [1_000, 10_000];
const HOLDERS: u64 = 200;
const TASKS: usize = 200;
const STATUS_CALLS: usize = 200;
/// Earlier survey posts the answer stream reacts on, each mentioning `MENTIONS` VPAs.
const STREAM_POSTS: usize = 20;
const MENTIONS: usize = 100;
const ANSWERS_PER_SECOND: u64 = 1_000;
const STARTS: usize = 5;
const WAIT: Duration = Duration::from_secs(20);
const TOKEN: &str = "bench.tasks.token";
const COMPETENCE: &str = "research";

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?
        .block_on(run())
}

/// The figures of one pool.
struct PoolFigures {
    pool: usize,
    alone: Creation,
    streamed: Creation,
    answers: Answers,
    status: Latencies,
    start: Latencies,
    rss_kb: u64,
    hwm_kb: u64,
}

struct Latencies {
    sorted: Vec<Duration>,
    steal: Option<f64>,
}

impl Latencies {
    fn new(mut values: Vec<Duration>, steal: Option<f64>) -> Latencies {
        values.sort();
        Latencies {
            sorted: values,
            steal,
        }
    }
    fn p50(&self) -> Duration {
        quantile(&self.sorted, 0.50)
    }
    fn p99(&self) -> Duration {
        quantile(&self.sorted, 0.99)
    }
    fn max(&self) -> Duration {
        self.sorted.last().copied().unwrap_or_default()
    }
    fn line(&self) -> String {
        format!(
            "p50 {:>7.2} ms, p99 {:>7.2} ms, max {:>7.2} ms (n = {})",
            ms(self.p50()),
            ms(self.p99()),
            ms(self.max()),
            self.sorted.len()
        )
    }
}

struct Creation {
    deferred: Latencies,
    reply: Latencies,
    post: Latencies,
}

struct Answers {
    latencies: Latencies,
    dispatched: usize,
    rate: f64,
    /// Per answer, where its time went (see [`Stages`]), in the order of `latencies`' input.
    stages: Vec<Stages>,
}

/// One answer's latency split at the bot's stages: dispatch → the service got it (gateway,
/// serenity, poise, the handler's look-ups), → its batch started (waiting for the writer's
/// previous batch), → the batch had the write lock (behind other writers: task creation),
/// → its statements were done (the batch's own writes), → commit returned (the WAL sync).
#[derive(Clone, Copy)]
struct Stages {
    total: Duration,
    to_service: Duration,
    queued: Duration,
    lock: Duration,
    statements: Duration,
    commit: Duration,
}

impl Stages {
    const NAMES: [&str; 5] = [
        "dispatch → service",
        "service → batch start",
        "batch start → write lock",
        "write lock → statements done",
        "commit (WAL sync)",
    ];

    fn parts(&self) -> [Duration; 5] {
        [
            self.to_service,
            self.queued,
            self.lock,
            self.statements,
            self.commit,
        ]
    }
}

/// Where the answers' time goes: each stage's p50 / p99, and for the slowest 1 % the mean of
/// each stage (what their p99 is made of).
fn stage_lines(stages: &[Stages]) -> Vec<String> {
    if stages.is_empty() {
        return Vec::new();
    }
    let mut by_total: Vec<&Stages> = stages.iter().collect();
    by_total.sort_by_key(|s| s.total);
    let tail = &by_total[by_total.len() * 99 / 100..];
    let mut lines = Vec::new();
    for (n, name) in Stages::NAMES.iter().enumerate() {
        let mut values: Vec<Duration> = stages.iter().map(|s| s.parts()[n]).collect();
        values.sort();
        let tail_mean =
            tail.iter().map(|s| s.parts()[n]).sum::<Duration>() / tail.len().max(1) as u32;
        lines.push(format!(
            "    {name:<30} p50 {:>7.2}  p99 {:>7.2}  slowest 1 % mean {:>7.2} ms",
            ms(quantile(&values, 0.5)),
            ms(quantile(&values, 0.99)),
            ms(tail_mean)
        ));
    }
    lines
}

async fn run() -> anyhow::Result<()> {
    println!(
        "task creation and status: pools of {POOLS:?} VPAs, the same {HOLDERS} holding {COMPETENCE}; serenity 0.12.5 + poise 0.7.1 over the loopback, SQLite (WAL, synchronous=FULL)"
    );
    let mut figures = Vec::new();
    for pool in POOLS {
        figures.push(bench_pool(pool).await?);
    }
    println!();
    println!("summary (p50 / p99, ms; ratio = 10k / 1k)");
    let [small, large] = &figures[..] else {
        anyhow::bail!("two pools")
    };
    let row = |name: &str, a: &Latencies, b: &Latencies| {
        println!(
            "{name:<44} 1k {:>7.2} / {:>7.2}   10k {:>7.2} / {:>7.2}   ratio p50 {:.2}, p99 {:.2}   steal {} / {}",
            ms(a.p50()),
            ms(a.p99()),
            ms(b.p50()),
            ms(b.p99()),
            b.p50().as_secs_f64() / a.p50().as_secs_f64(),
            b.p99().as_secs_f64() / a.p99().as_secs_f64(),
            steal_text(a.steal),
            steal_text(b.steal),
        );
    };
    row(
        "/task new alone: defer",
        &small.alone.deferred,
        &large.alone.deferred,
    );
    row(
        "/task new alone: reply",
        &small.alone.reply,
        &large.alone.reply,
    );
    row(
        "/task new alone: survey post",
        &small.alone.post,
        &large.alone.post,
    );
    row(
        "/task new under answers: reply",
        &small.streamed.reply,
        &large.streamed.reply,
    );
    row(
        "/task new under answers: survey post",
        &small.streamed.post,
        &large.streamed.post,
    );
    row(
        "answers during the task stream",
        &small.answers.latencies,
        &large.answers.latencies,
    );
    row(
        "/survey status (100 surveyed)",
        &small.status,
        &large.status,
    );
    row(
        "binary start → commands registered",
        &small.start,
        &large.start,
    );
    for f in &figures {
        println!("answers during the task stream, by stage, pool {}:", f.pool);
        for line in stage_lines(&f.answers.stages) {
            println!("{line}");
        }
    }
    for f in &figures {
        println!(
            "binary with {:>6} VPAs: VmRSS when ready {:.1} MB (VmHWM {:.1} MB); answers streamed {} at {:.0}/s",
            f.pool,
            f.rss_kb as f64 / 1024.0,
            f.hwm_kb as f64 / 1024.0,
            f.answers.dispatched,
            f.answers.rate
        );
    }
    Ok(())
}

/// A small deterministic generator (xorshift64*), so both pools and every run are the same.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The pool: VPAs `10_001..` of whom the first 200 hold `research` (good) and 2–7 other
/// competences; the rest hold 3–8 competences other than `research`. Ready for work.
fn pool(config: &Config, size: usize) -> Vec<Vpa> {
    let research = config.catalog.by_key(COMPETENCE).expect("catalog").id;
    let others: Vec<CompetenceId> = config
        .catalog
        .all()
        .iter()
        .map(|c| c.id)
        .filter(|id| *id != research)
        .collect();
    let levels = [Level::Basic, Level::Good, Level::Expert];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (1..=size as u64)
        .map(|i| {
            let mut vpa = Vpa::new(DiscordId(10_000 + i), format!("VPA {i}"));
            vpa.weekly_hours = 40.0;
            vpa.wants_tasks = true;
            vpa.wants_new_clients = true;
            let holder = i <= HOLDERS;
            let count = 3 + rng.below(6) as usize - usize::from(holder);
            let mut held: Vec<CompetenceId> = Vec::new();
            while held.len() < count {
                let c = others[rng.below(others.len() as u64) as usize];
                if !held.contains(&c) {
                    held.push(c);
                }
            }
            vpa.competences = held
                .into_iter()
                .map(|competence| HeldCompetence {
                    competence,
                    level: levels[rng.below(3) as usize],
                })
                .collect();
            if holder {
                vpa.competences.push(HeldCompetence {
                    competence: research,
                    level: Level::Good,
                });
            }
            vpa
        })
        .collect()
}

/// A fresh SQLite file with the pool, saved in one write transaction (as the import does).
async fn seeded_db(config: &Config, url: &str, size: usize) -> anyhow::Result<Db> {
    let db = Db::connect(url).await?;
    let vpas = pool(config, size);
    let items: Vec<(Option<&Vpa>, &Vpa)> = vpas.iter().map(|v| (None, v)).collect();
    let mut tx = db.begin_write().await?;
    save_vpas(
        &mut tx,
        &config.catalog,
        &items,
        ChangeSource::Import,
        None,
        chrono::Utc::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(db)
}

fn deadline(desk: &Desk) -> String {
    (desk.today() + chrono::Duration::days(10))
        .format("%Y-%m-%d")
        .to_string()
}

async fn bench_pool(size: usize) -> anyhow::Result<PoolFigures> {
    println!();
    println!("== pool of {size} VPAs");
    let dir = std::env::temp_dir().join(format!(
        "vpa-desk-tasks-bench-{}-{size}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let mut config = Config::embedded();
    config.settings.discord.guild_id = DiscordId(fixtures::DEFAULT_GUILD_ID);
    // The status view is asked for a task with 100 surveyed VPAs, the answers stream on posts
    // of 100: every survey post mentions up to 100 (the shipped setting is 20).
    config.settings.survey.max_mentions = MENTIONS;
    let coordinator =
        FakeUser::new(900, "Koordina").with_roles(&[config.settings.discord.coordinator_role_id.0]);
    let vpa_role = config.settings.discord.vpa_role_id.0;
    let surveys = config.settings.discord.surveys_channel_id.0;
    let surveys_path = format!("/channels/{surveys}/messages");

    let url = format!("sqlite://{}/bench.db", dir.display());
    let seeding = Instant::now();
    let db = seeded_db(&config, &url, size).await?;
    println!(
        "seeded {size} VPAs in {:.0} ms (not measured)",
        ms(seeding.elapsed())
    );
    let sql = sqlx::SqlitePool::connect(&url).await?;
    let desk = Desk::new(db, config, Arc::new(SystemClock));
    let discord = LoopbackDiscord::start(LoopbackConfig::default()).await?;
    let bot_desk = desk.clone();
    let connection = vpa_desk::bot::Connection::Client(vpa_desk::loopback::discord_client(
        discord.api_tls_addr(),
    ));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let bot = tokio::spawn(async move {
        vpa_desk::cli::serve(bot_desk, TOKEN, &connection, async {
            let _ = stopped.await;
        })
        .await
    });
    anyhow::ensure!(discord.wait_ready(WAIT).await, "bot not ready");
    println!(
        "bench process VmRSS when ready (bot + loopback + bench): {:.1} MB",
        proc_status_kb("self", "VmRSS").unwrap_or(0) as f64 / 1024.0
    );

    // The posts the answer stream reacts on: 20 tasks, each surveying 100 of the 200 holders.
    let due = deadline(&desk);
    for i in 0..STREAM_POSTS {
        let draft = TaskDraft {
            client: format!("Stammkunde {i}"),
            competence: COMPETENCE.into(),
            hours: 2.0,
            deadline: due.clone(),
            ..TaskDraft::default()
        };
        tasks::create_task(&desk, &draft, &vpa_desk::service::Act::by(DiscordId(1))).await?;
    }
    let started = Instant::now();
    let posts = loop {
        let posts = discord.channel_messages(surveys);
        let mapped: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM survey_rounds WHERE message_id IS NOT NULL")
                .fetch_one(&sql)
                .await?;
        if posts.len() == STREAM_POSTS && mapped == STREAM_POSTS as i64 {
            break posts;
        }
        anyhow::ensure!(started.elapsed() < WAIT, "the stream's posts are not out");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let mut targets = Vec::new(); // (message, round, vpa)
    let mut status_task = None;
    for post in &posts {
        let message: u64 = post["id"].as_str().unwrap_or_default().parse()?;
        let round = desk
            .db
            .round_by_message(DiscordId(message))
            .await?
            .expect("round");
        status_task.get_or_insert(round.task_id);
        for vpa in desk.db.invitees(round.id).await? {
            targets.push((message, round.id, vpa));
        }
    }
    anyhow::ensure!(targets.len() == STREAM_POSTS * MENTIONS, "answer slots");
    let status_task = status_task.expect("a task");
    // Every slot answered once before (⏳), so the stream changes answers the bot knows.
    let warm = stream(
        &discord,
        &desk,
        &targets,
        vpa_role,
        surveys,
        None,
        &[(true, "⏳")],
    )
    .await?;
    println!(
        "warm-up: {} answers ⏳ recorded, p99 {:.2} ms",
        warm.latencies.sorted.len(),
        ms(warm.latencies.p99())
    );
    drain(&desk, &sql).await?;

    let draft = |phase: &str, i: usize| {
        fixtures::slash(
            "task",
            &["new"],
            vec![
                ("client", format!("Kunde {phase} {i}").into()),
                ("competence", COMPETENCE.into()),
                ("hours", 2.0.into()),
                ("deadline", due.clone().into()),
            ],
            &coordinator,
        )
    };

    // (a) /task new alone.
    let ticks = cpu_ticks();
    let mut defers = Vec::with_capacity(TASKS);
    let mut replies = Vec::with_capacity(TASKS);
    let mut delivered = Vec::with_capacity(TASKS);
    for i in 0..TASKS {
        let timed = new_task(&discord, &surveys_path, draft("a", i), true).await?;
        defers.push(timed.deferred);
        replies.push(timed.reply);
        delivered.push(timed.post);
    }
    let steal = steal_between(ticks, cpu_ticks());
    let alone = Creation {
        deferred: Latencies::new(defers, steal),
        reply: Latencies::new(replies, steal),
        post: Latencies::new(delivered, steal),
    };
    println!("/task new alone        defer: {}", alone.deferred.line());
    println!(
        "/task new alone        reply: {} | CPU steal {}",
        alone.reply.line(),
        steal_text(steal)
    );
    println!(
        "/task new alone  survey post: {} | CPU steal {}",
        alone.post.line(),
        steal_text(steal)
    );
    drain(&desk, &sql).await?;

    // (b) /task new while 1,000 answers/s stream in (⏳ withdrawn and given again in turn,
    // every one a change).
    let stop_stream = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let ticks = cpu_ticks();
    let creating = async {
        let created = async {
            // The stream runs a moment alone before the first task.
            tokio::time::sleep(Duration::from_millis(500)).await;
            let mut defers = Vec::with_capacity(TASKS);
            let mut replies = Vec::with_capacity(TASKS);
            let mut dispatched_at = Vec::with_capacity(TASKS);
            for i in 0..TASKS {
                // Back to back: the survey posts are matched to the tasks afterwards.
                let timed = new_task(&discord, &surveys_path, draft("b", i), false).await?;
                defers.push(timed.deferred);
                replies.push(timed.reply);
                dispatched_at.push(timed.post);
            }
            anyhow::Ok((defers, replies, dispatched_at))
        }
        .await;
        // Stopped also when a task fails, so the error is seen.
        stop_stream.store(true, std::sync::atomic::Ordering::SeqCst);
        created
    };
    let phase_from = discord.requests().len();
    vpa_desk::db::write_turns(); // counted afresh for this phase
    let phase_started = Instant::now();
    let cpu_before = common::process_cpu();
    let streaming = stream(
        &discord,
        &desk,
        &targets,
        vpa_role,
        surveys,
        Some((ANSWERS_PER_SECOND, stop_stream.clone())),
        &[(false, "⏳"), (true, "⏳")],
    );
    let (created, answers) = tokio::join!(creating, streaming);
    let phase_took = phase_started.elapsed();
    if let (Some(a), Some(b)) = (cpu_before, common::process_cpu()) {
        println!(
            "CPU during the stream phase (bot + loopback + load in this process): {:.2} of 2 cores",
            (b - a).as_secs_f64() / phase_took.as_secs_f64()
        );
    }
    // Which writes held the write turn meanwhile: what the answers waited behind.
    let turns = vpa_desk::db::write_turns();
    let held: Duration = turns.iter().map(|(_, t)| t.held).sum();
    println!(
        "write turn held {:.0} % of the stream phase ({:.1} s); by call site:",
        100.0 * held.as_secs_f64() / phase_took.as_secs_f64(),
        phase_took.as_secs_f64()
    );
    for (at, t) in turns.iter().take(8) {
        println!(
            "  {at:<40} {:>6}× total {:>7.0} ms, mean {:>6.2} ms, longest {:>6.2} ms",
            t.count,
            ms(t.held),
            ms(t.held) / t.count.max(1) as f64,
            ms(t.longest)
        );
    }
    let (defers, replies, dispatched_at) = created?;
    let mut answers = answers?;
    let steal = steal_between(ticks, cpu_ticks());
    // The i-th survey post of the phase is the i-th task's (the outbox posts in order).
    let waited = Instant::now();
    let posts = loop {
        let posts: Vec<RecordedRequest> = discord
            .requests()
            .into_iter()
            .skip(phase_from)
            .filter(|r| r.method == "POST" && r.path == surveys_path && r.status == 200)
            .collect();
        if posts.len() >= TASKS || waited.elapsed() > Duration::from_secs(120) {
            break posts;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    if posts.len() < TASKS {
        // Say why: the outbox's view of the posts that are not out, and what Discord answered.
        let stuck: Vec<(i64, String, i64, Option<String>, String)> = sqlx::query_as(
            "SELECT id, status, attempts, last_error, next_attempt_at FROM outbox \
             WHERE intent LIKE '%\"survey_post\"%' AND status != 'sent'",
        )
        .fetch_all(&sql)
        .await?;
        for row in &stuck {
            eprintln!("not out: {row:?}");
        }
        for r in discord.requests().into_iter().skip(phase_from) {
            if r.path == surveys_path && r.status != 200 {
                eprintln!("answered {} {} {}", r.status, r.method, r.path);
            }
        }
    }
    anyhow::ensure!(
        posts.len() >= TASKS,
        "only {} of {TASKS} survey posts out 120 s after the stream",
        posts.len()
    );
    let delivered: Vec<Duration> = posts
        .iter()
        .zip(&dispatched_at)
        .map(|(p, t0)| p.at.saturating_sub(*t0))
        .collect();
    let mut routes: HashMap<(String, String, u16), usize> = HashMap::new();
    for r in discord.requests().into_iter().skip(phase_from) {
        let route = r
            .path
            .split('/')
            .map(|p| {
                if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() {
                    "{id}"
                } else {
                    p
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let route = if route.contains("loopback-interaction") {
            "/interactions or webhooks".to_string()
        } else {
            route
        };
        *routes
            .entry((r.method.clone(), route, r.status))
            .or_default() += 1;
    }
    let mut routes: Vec<_> = routes.into_iter().collect();
    routes.sort();
    println!(
        "requests to the loopback during the stream phase (method, route, status): {routes:?}"
    );
    answers.latencies.steal = steal;
    let streamed = Creation {
        deferred: Latencies::new(defers, steal),
        reply: Latencies::new(replies, steal),
        post: Latencies::new(delivered, steal),
    };
    println!(
        "/task new under answers        defer: {}",
        streamed.deferred.line()
    );
    println!(
        "/task new under answers        reply: {} | CPU steal {}",
        streamed.reply.line(),
        steal_text(steal)
    );
    println!(
        "/task new under answers  survey post: {} | CPU steal {}",
        streamed.post.line(),
        steal_text(steal)
    );
    println!(
        "answers meanwhile ({} at {:.0}/s): dispatch→commit {} | CPU steal {}",
        answers.dispatched,
        answers.rate,
        answers.latencies.line(),
        steal_text(steal)
    );
    drain(&desk, &sql).await?;

    // /survey status on a task with 100 surveyed (all of whom answered).
    let ticks = cpu_ticks();
    let mut status = Vec::with_capacity(STATUS_CALLS);
    for _ in 0..STATUS_CALLS {
        let payload = fixtures::slash(
            "survey",
            &["status"],
            vec![("task", Opt::Int(status_task.0))],
            &coordinator,
        );
        let from = discord.requests().len();
        let t0 = discord.now();
        let handle = discord.interact(payload).await;
        let token = handle.token().to_string();
        let reply = discord
            .wait_for_after(from, WAIT, |r| is_reply(r, &token))
            .await
            .ok_or_else(|| anyhow::anyhow!("no reply to /survey status"))?;
        status.push(reply.at.saturating_sub(t0));
    }
    let status = Latencies::new(status, steal_between(ticks, cpu_ticks()));
    println!(
        "/survey status (100 surveyed): {} | CPU steal {}",
        status.line(),
        steal_text(status.steal)
    );
    // Where a status reply's time goes: the use case (its reads and figures) and the text with
    // its components, in process on the same task; the rest is the way through Discord.
    let lang = vpa_desk::present::default_lang(&desk.config);
    let (mut reads, mut text) = (Vec::new(), Vec::new());
    let ticks = cpu_ticks();
    for _ in 0..STATUS_CALLS {
        let began = Instant::now();
        let view = vpa_desk::service::survey::survey_status(&desk, status_task).await?;
        reads.push(began.elapsed());
        let began = Instant::now();
        std::hint::black_box(vpa_desk::present::surveys::status(
            lang,
            &desk.config,
            &view,
        ));
        text.push(began.elapsed());
    }
    let steal = steal_between(ticks, cpu_ticks());
    println!(
        "/survey status in process: the use case {} | the text {} | CPU steal {}",
        Latencies::new(reads, steal).line(),
        Latencies::new(text, steal).line(),
        steal_text(steal)
    );

    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), bot).await;
    discord.shutdown();
    desk.db.close().await;
    sql.close().await;

    let (start, rss_kb, hwm_kb) = binary(size, &dir).await?;
    println!(
        "binary start → commands registered: {} | CPU steal {}",
        start.line(),
        steal_text(start.steal)
    );
    println!(
        "binary VmRSS when ready: {:.1} MB (VmHWM {:.1} MB)",
        rss_kb as f64 / 1024.0,
        hwm_kb as f64 / 1024.0
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(PoolFigures {
        pool: size,
        alone,
        streamed,
        answers,
        status,
        start,
        rss_kb,
        hwm_kb,
    })
}

/// The bot's answer to an interaction the person sees: the callback with a message (type 4)
/// or the first edit of the deferred reply.
fn is_reply(r: &RecordedRequest, token: &str) -> bool {
    if !r.path.contains(token) || r.status >= 300 {
        return false;
    }
    match r.method.as_str() {
        "PATCH" => true,
        "POST" if r.path.ends_with("/callback") => r.body["type"].as_u64() == Some(4),
        _ => false,
    }
}

/// The times of one `/task new`, each from its dispatch.
struct Timed {
    /// The bot's defer ("thinking…") arrives: gateway, serenity and poise.
    deferred: Duration,
    /// The first edit with the task id: the task stored, ranked, its round opened.
    reply: Duration,
    /// The survey post's POST: the outbox worker's turn.
    post: Duration,
}

/// One `/task new`, then waits for the reply's last edit (the link to the post) before the
/// next.
async fn new_task(
    discord: &LoopbackDiscord,
    surveys_path: &str,
    payload: serde_json::Value,
    wait_post: bool,
) -> anyhow::Result<Timed> {
    let from = discord.requests().len();
    let t0 = discord.now();
    let handle = discord.interact(payload).await;
    let token = handle.token().to_string();
    let reply = discord
        .wait_for_after(from, WAIT, |r| is_reply(r, &token))
        .await
        .ok_or_else(|| anyhow::anyhow!("no reply to /task new"))?;
    anyhow::ensure!(
        reply.body.to_string().contains('#'),
        "unexpected reply: {}",
        reply.body
    );
    let deferred = discord
        .requests()
        .into_iter()
        .skip(from)
        .find(|r| r.method == "POST" && r.path.contains(&token) && r.path.ends_with("/callback"))
        .map_or(Duration::ZERO, |r| r.at.saturating_sub(t0));
    if !wait_post {
        return Ok(Timed {
            deferred,
            reply: reply.at.saturating_sub(t0),
            // Not waited for: the dispatch time, to match the post to afterwards.
            post: t0,
        });
    }
    let post = discord
        .wait_for_after(from, WAIT, |r| {
            r.method == "POST" && r.path == surveys_path && r.status == 200
        })
        .await
        .ok_or_else(|| anyhow::anyhow!("no survey post"))?;
    let linked = discord
        .wait_for_after(reply.seq + 1, WAIT, |r| {
            r.method == "PATCH" && r.path.contains(&token)
        })
        .await;
    anyhow::ensure!(
        linked.is_some(),
        "the reply was not completed with the link"
    );
    Ok(Timed {
        deferred,
        reply: reply.at.saturating_sub(t0),
        post: post.at.saturating_sub(t0),
    })
}

/// Reactions on the stream's posts: each slot once per (added or taken back, emoji) in
/// `emojis`, in turn; paced at
/// `rate` per second until told to stop (then the last pass is finished no further), or all at
/// once (`None`, one pass). Returns dispatch → commit of every answer.
async fn stream(
    discord: &LoopbackDiscord,
    desk: &Desk,
    targets: &[(u64, RoundId, DiscordId)],
    vpa_role: u64,
    channel: u64,
    paced: Option<(u64, Arc<std::sync::atomic::AtomicBool>)>,
    emojis: &[(bool, &str)],
) -> anyhow::Result<Answers> {
    let mut events = desk.events.subscribe();
    let users: Vec<FakeUser> = targets
        .iter()
        .map(|t| FakeUser::new(t.2.0, "vpa").with_roles(&[vpa_role]))
        .collect();
    let dispatched: Mutex<HashMap<(RoundId, DiscordId), VecDeque<Instant>>> =
        Mutex::new(HashMap::with_capacity(targets.len()));
    let sent = std::sync::atomic::AtomicUsize::new(0);
    let finished = std::sync::atomic::AtomicBool::new(false);
    let start = Instant::now();
    let sender = async {
        let mut i: u64 = 0;
        'passes: for pass in 0.. {
            if paced.is_none() && pass > 0 {
                break;
            }
            let (add, emoji) = emojis[pass % emojis.len()];
            for ((message, round, vpa), user) in targets.iter().zip(&users) {
                if let Some((rate, stop)) = &paced {
                    if stop.load(std::sync::atomic::Ordering::SeqCst) {
                        break 'passes;
                    }
                    let due = start + Duration::from_micros(i * 1_000_000 / rate);
                    tokio::time::sleep_until(due.into()).await;
                }
                i += 1;
                dispatched
                    .lock()
                    .unwrap()
                    .entry((*round, *vpa))
                    .or_default()
                    .push_back(Instant::now());
                sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let (event, data) = if add {
                    (
                        "MESSAGE_REACTION_ADD",
                        fixtures::reaction_add(user, channel, *message, emoji),
                    )
                } else {
                    (
                        "MESSAGE_REACTION_REMOVE",
                        fixtures::reaction_remove(user, channel, *message, emoji),
                    )
                };
                discord.dispatch(event, data).await;
            }
        }
        finished.store(true, std::sync::atomic::Ordering::SeqCst);
    };
    let collector = async {
        let mut latencies = Vec::new();
        let mut stages = Vec::new();
        let mut lagged = 0u64;
        loop {
            let all_sent = finished.load(std::sync::atomic::Ordering::SeqCst);
            if all_sent
                && latencies.len() as u64 + lagged
                    >= sent.load(std::sync::atomic::Ordering::SeqCst) as u64
            {
                break;
            }
            match tokio::time::timeout(Duration::from_secs(30), events.recv()).await {
                Ok(Ok(DeskEvent::AnswerRecorded {
                    round_id,
                    vpa,
                    at,
                    stages: s,
                })) => {
                    if let Some(t) = dispatched
                        .lock()
                        .unwrap()
                        .get_mut(&(round_id, vpa))
                        .and_then(|q| q.pop_front())
                    {
                        latencies.push(at.saturating_duration_since(t));
                        stages.push(Stages {
                            total: at.saturating_duration_since(t),
                            to_service: s.submitted.saturating_duration_since(t),
                            queued: s.batch_started.saturating_duration_since(s.submitted),
                            lock: s.locked.saturating_duration_since(s.batch_started),
                            statements: s.committing.saturating_duration_since(s.locked),
                            commit: at.saturating_duration_since(s.committing),
                        });
                    }
                }
                Ok(Ok(_)) => {}
                Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(n))) => {
                    lagged += n;
                    println!("(the bench's event listener lagged by {n} events)");
                }
                Ok(Err(e)) => anyhow::bail!("events closed: {e}"),
                Err(_) => anyhow::bail!(
                    "only {} of {} answers committed within 30 s",
                    latencies.len(),
                    sent.load(std::sync::atomic::Ordering::SeqCst)
                ),
            }
        }
        Ok((latencies, stages))
    };
    let ((), collected) = tokio::join!(sender, collector);
    let (latencies, stages) = collected?;
    let elapsed = start.elapsed().as_secs_f64();
    let dispatched = sent.load(std::sync::atomic::Ordering::SeqCst);
    Ok(Answers {
        latencies: Latencies::new(latencies, None),
        dispatched,
        rate: dispatched as f64 / elapsed,
        stages,
    })
}

/// Waits until the outbox has nothing due, so a phase does not measure the last one's tail.
async fn drain(desk: &Desk, sql: &sqlx::SqlitePool) -> anyhow::Result<()> {
    let started = Instant::now();
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= ?",
        )
        .bind(desk.now())
        .fetch_one(sql)
        .await?;
        if waiting == 0 {
            return Ok(());
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(300),
            "the outbox did not drain: {waiting} items left"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The real binary on a fresh file with the pool: process start → the PUT of its commands,
/// `STARTS` times; its VmRSS (and peak) a second after the first time it is ready.
async fn binary(size: usize, dir: &std::path::Path) -> anyhow::Result<(Latencies, u64, u64)> {
    let config = Config::embedded();
    let run_dir = dir.join("binary");
    std::fs::create_dir_all(&run_dir)?;
    let url = format!("sqlite://{}/desk.db", run_dir.display());
    seeded_db(&config, &url, size).await?.close().await;
    let discord = LoopbackDiscord::start(LoopbackConfig {
        guild_id: config.settings.discord.guild_id.0,
        ..LoopbackConfig::default()
    })
    .await?;
    let mut starts = Vec::with_capacity(STARTS);
    let (mut rss, mut hwm) = (0, 0);
    let ticks = cpu_ticks();
    for run in 0..STARTS {
        let from = discord.requests().len();
        let t0 = discord.now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_vpa-desk"))
            .arg("serve")
            .current_dir(&run_dir)
            .env("DATABASE_URL", &url)
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_API_BASE", discord.api_base())
            .env("RUST_LOG", "warn")
            .env_remove("LOG_FORMAT")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let registered = discord
            .wait_for_after(from, WAIT, |r| {
                r.method == "PUT" && r.path.contains("/commands") && r.status == 200
            })
            .await;
        let Some(registered) = registered else {
            let _ = child.kill();
            anyhow::bail!("the binary never registered its commands");
        };
        starts.push(registered.at.saturating_sub(t0));
        if run == 0 {
            tokio::time::sleep(Duration::from_secs(1)).await;
            let pid = child.id().to_string();
            rss = proc_status_kb(&pid, "VmRSS").unwrap_or(0);
            hwm = proc_status_kb(&pid, "VmHWM").unwrap_or(0);
        }
        let pid = child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let waiting = tokio::task::spawn_blocking(move || child.wait());
        anyhow::ensure!(
            tokio::time::timeout(Duration::from_secs(20), waiting)
                .await
                .is_ok(),
            "the binary did not stop"
        );
        discord.kick_gateway().await;
    }
    let steal = steal_between(ticks, cpu_ticks());
    discord.shutdown();
    Ok((Latencies::new(starts, steal), rss, hwm))
}
