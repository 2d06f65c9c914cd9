//! Exactly once across stops of the real binary (`vpa-desk serve` against a loopback Discord
//! started by the test, through `DISCORD_API_BASE`), with 100 DMs queued through the crate's
//! own outbox functions: a SIGKILL with a DM in flight and a restart after longer than
//! Discord's nonce window; a SIGTERM while a delivery waits in serenity's ratelimiter (given
//! back, looked for at the next start) and while one is answered slowly (finished and
//! recorded). Every DM arrives once, every row ends `sent` with the message it produced.
//!
//! `sigterm_timings` (ignored) measures how long the binary takes from SIGTERM to its end.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use vpa_desk::db::outbox::{self, Intent};
use vpa_desk::domain::outbox::DirectMessage;
use vpa_desk::domain::{DiscordId, TaskId};
use vpa_desk::loopback::{FailRule, Failure, LoopbackDiscord, RateLimitRule, RecordedRequest};

use crate::support::cli::loopback;
use crate::support::{CliEnv, Sql, wait_until_for};

const TOKEN: &str = "exactly.once.token";
/// Starting the binary (connect, identify, register) on a loaded 2-core machine.
const BOOT_WAIT: Duration = Duration::from_secs(30);
/// The coordinator the DMs go to.
const COORDINATOR: u64 = 900;

/// `vpa-desk serve` running, its log in a file beside its database.
struct Served {
    child: Child,
    log: std::path::PathBuf,
}

impl Served {
    async fn start(env: &CliEnv, discord: &LoopbackDiscord, run: &str) -> Served {
        let log = env.dir.path().join(format!("{run}.log"));
        let file = std::fs::File::create(&log).expect("log file");
        let started = discord.requests().len();
        let mut cmd = env.bare();
        let child = cmd
            .arg("serve")
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_API_BASE", discord.api_base())
            .env("RUST_LOG", "vpa_desk=info,warn")
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .expect("vpa-desk serve starts");
        let mut served = Served { child, log };
        let registered = discord
            .wait_for_after(started, BOOT_WAIT, |r| {
                r.method == "PUT" && r.path.contains("/commands") && r.status == 200
            })
            .await;
        if registered.is_none() {
            let _ = served.child.kill();
            panic!("the bot never became ready: {}", served.log());
        }
        served
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: the process ends at once, whatever it was doing.
    fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        let status = self.child.wait().expect("the bot ends");
        assert!(!status.success(), "killed: {status}");
    }

    /// Sends SIGTERM (what `docker stop` sends) and waits for the end: how it ended, how long
    /// that took, and its log.
    async fn terminate(self) -> (std::process::ExitStatus, Duration, String) {
        let Served { mut child, log } = self;
        let pid = child.id().to_string();
        let begun = Instant::now();
        let term = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        assert!(term.success());
        let waiting = tokio::task::spawn_blocking(move || child.wait());
        let Ok(status) = tokio::time::timeout(BOOT_WAIT, waiting).await else {
            let _ = Command::new("kill").args(["-KILL", &pid]).status();
            panic!("no end {BOOT_WAIT:?} after SIGTERM");
        };
        let took = begun.elapsed();
        let status = status.unwrap().expect("the bot ends");
        (
            status,
            took,
            std::fs::read_to_string(&log).unwrap_or_default(),
        )
    }
}

/// Queues `n` DMs to the coordinator, each telling that another VPA accepted task 1 (what
/// the answer writer queues for every ✅), through the crate's own outbox functions.
async fn queue_acceptances(env: &CliEnv, n: u32) {
    let db = env.db().await;
    let now = Utc::now();
    let items: Vec<outbox::NewItem> = (0..n)
        .map(|i| {
            outbox::once(
                Intent::Direct {
                    to: DiscordId(COORDINATOR),
                    message: DirectMessage::AcceptedForCoordinator {
                        task_id: TaskId(1),
                        vpa: DiscordId(2000 + u64::from(i)),
                        name: format!("VPA {i:03}"),
                        surveyed: true,
                    },
                },
                now,
            )
        })
        .collect();
    let mut tx = db.begin_write().await.unwrap();
    outbox::enqueue_many(&mut tx, &items, now).await.unwrap();
    tx.commit().await.unwrap();
    db.close().await;
}

/// The DMs' outbox rows by status.
async fn dm_statuses(sql: &Sql) -> Vec<(String, i64)> {
    sql.rows(
        "SELECT status, COUNT(*) FROM outbox WHERE json_extract(intent, '$.type') = 'direct' \
         GROUP BY status ORDER BY status",
    )
    .await
}

/// Waits until every DM is recorded as sent.
async fn wait_all_sent(sql: &Sql, n: i64, served: &Served) {
    let done = wait_until_for(BOOT_WAIT, async || {
        (dm_statuses(sql).await == [("sent".to_string(), n)]).then_some(())
    })
    .await;
    if done.is_none() {
        panic!(
            "not all delivered: {:?}\n{}",
            dm_statuses(sql).await,
            served.log()
        );
    }
}

/// Checks that the coordinator got every DM exactly once, and that the outbox recorded each
/// with the one message it produced.
async fn assert_each_dm_once(discord: &LoopbackDiscord, sql: &Sql, n: u32) {
    let dms = discord.dm_messages(COORDINATOR);
    let contents: Vec<&str> = dms
        .iter()
        .map(|m| m["content"].as_str().unwrap_or_default())
        .collect();
    let times: Vec<usize> = (0..n)
        .map(|i| {
            let name = format!("VPA {i:03}");
            contents.iter().filter(|c| c.contains(&name)).count()
        })
        .collect();
    assert!(
        times.iter().all(|&t| t == 1) && dms.len() == n as usize,
        "every DM exactly once: {} DMs, per VPA {times:?}",
        dms.len()
    );
    let mut posted: Vec<i64> = dms
        .iter()
        .map(|m| m["id"].as_str().unwrap().parse().unwrap())
        .collect();
    posted.sort_unstable();
    let recorded: Vec<i64> = sql
        .column(
            "SELECT produced_message_id FROM outbox WHERE json_extract(intent, '$.type') = 'direct' \
             ORDER BY produced_message_id",
        )
        .await;
    assert_eq!(
        recorded, posted,
        "each item records the message it produced"
    );
}

/// The posts to a channel the loopback saw, in order.
fn posts(discord: &LoopbackDiscord, path: &str) -> Vec<RecordedRequest> {
    discord
        .requests()
        .into_iter()
        .filter(|r| r.is("POST", path))
        .collect()
}

/// A loopback Discord, a database with `n` acceptance DMs queued for the coordinator, and the
/// path their posts go to.
async fn dms_queued(n: u32) -> (LoopbackDiscord, CliEnv, String) {
    let discord = loopback().await;
    let env = CliEnv::new();
    queue_acceptances(&env, n).await;
    let dm = discord.dm_channel_id(COORDINATOR);
    (discord, env, format!("/channels/{dm}/messages"))
}

/// Starts the bot again and waits until all 100 DMs are out, each once; with the number of
/// requests before the restart.
async fn restart_and_deliver_all(
    env: &CliEnv,
    discord: &LoopbackDiscord,
    sql: &Sql,
) -> (Served, usize) {
    let restarted = discord.requests().len();
    let second = Served::start(env, discord, "second").await;
    wait_all_sent(sql, 100, &second).await;
    assert_each_dm_once(discord, sql, 100).await;
    (second, restarted)
}

/// SIGTERM ends the bot with success; then the loopback stops.
async fn ends_cleanly(served: Served, discord: LoopbackDiscord) {
    let (status, _, log) = served.terminate().await;
    assert!(status.success(), "{status}: {log}");
    discord.shutdown();
}

/// The case: a SIGKILL in the middle of 100 deliveries, with one DM handed to Discord
/// but its answer not back, then a restart after longer than Discord's nonce window (the
/// loopback then posts a repeated nonce again, as Discord does). The item in flight at the kill
/// is looked for in its channel before anything is sent again; every DM arrives exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigkill_mid_delivery_and_a_restart_after_the_nonce_window_deliver_each_dm_once() {
    let (discord, env, path) = dms_queued(100).await;
    // The first 50 DMs are answered at once; the 51st is posted, but its answer held back: the
    // kill comes while it is in flight.
    discord.fail_next(
        FailRule::new(Failure::SlowResponse(Duration::from_secs(60)))
            .method("POST")
            .path_prefix(&path)
            .after(50),
    );
    let mut first = Served::start(&env, &discord, "first").await;
    let held = wait_until_for(BOOT_WAIT, async || posts(&discord, &path).get(50).cloned())
        .await
        .unwrap_or_else(|| panic!("51 posts: {}", first.log()));
    assert_eq!(held.status, 200, "Discord posted it");
    let sql = env.sql().await;
    // Each answered DM was recorded at once; the held one is the one item in flight.
    assert_eq!(
        sql.one::<i64>(
            "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND json_extract(intent, '$.type') = 'direct'"
        )
        .await,
        50
    );
    let in_flight: Vec<(i64, String)> = sql
        .rows("SELECT id, status FROM outbox WHERE in_flight_since IS NOT NULL")
        .await;
    assert_eq!(in_flight, [(51, "sending".to_string())]);
    first.kill();

    // Longer than Discord's nonce window: a repeated nonce would post a second message now.
    discord.advance_clock(discord.config().nonce_window + Duration::from_secs(60));
    let (second, restarted) = restart_and_deliver_all(&env, &discord, &sql).await;
    let held_id: i64 = held.response["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        sql.one::<i64>("SELECT produced_message_id FROM outbox WHERE id = 51")
            .await,
        held_id,
        "the item in flight at the kill found its post"
    );
    let all_posts = posts(&discord, &path);
    assert_eq!(all_posts.len(), 100, "no DM was posted twice");
    // Only the item in flight at the kill was looked for.
    let looked: Vec<RecordedRequest> = discord.requests()[restarted..]
        .iter()
        .filter(|r| r.is("GET", &path))
        .cloned()
        .collect();
    assert_eq!(looked.len(), 1, "{looked:#?}");
    assert!(looked[0].query.contains("after="), "{}", looked[0].query);
    ends_cleanly(second, discord).await;
}

/// The rows marked in flight: (id, status).
async fn in_flight(sql: &Sql) -> Vec<(i64, String)> {
    sql.rows("SELECT id, status FROM outbox WHERE in_flight_since IS NOT NULL ORDER BY id")
        .await
}

/// The history reads of a channel since request `from`: how the bot looks for a post.
fn looks(discord: &LoopbackDiscord, path: &str, from: usize) -> usize {
    discord.requests()[from..]
        .iter()
        .filter(|r| r.is("GET", path))
        .count()
}

/// serenity's log line when Discord did not answer its close frame.
const UNANSWERED_CLOSE: &str = "error awaiting close frame";

/// A DM waits in serenity's ratelimiter (Discord's 5 posts per 5 s in a channel) when SIGTERM
/// comes: the stop does not wait the bucket out — the delivery is dropped after the grace and
/// given back, marked in flight (it was handed to serenity), so the next start looks for it
/// (not there) and posts it once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigterm_while_a_dm_waits_for_the_rate_limit_gives_it_back_and_loses_nothing() {
    let (discord, env, path) = dms_queued(100).await;
    discord.set_rate_limit(RateLimitRule::new(&path, 5, Duration::from_secs(5)).method("POST"));
    let first = Served::start(&env, &discord, "first").await;
    let sql = env.sql().await;
    // Five are out; the sixth is handed to serenity, which waits for the bucket to reset.
    let waiting = wait_until_for(BOOT_WAIT, async || {
        // The fifth post recorded as sent (so the one marked is the sixth, not the fifth
        // between Discord's answer and its record).
        let marked = in_flight(&sql).await;
        let sent = dm_statuses(&sql).await.contains(&("sent".to_string(), 5));
        (posts(&discord, &path).len() == 5 && sent && marked.len() == 1).then_some(marked)
    })
    .await
    .expect("a DM waiting for the bucket to reset");
    let (status, took, log) = first.terminate().await;
    eprintln!("SIGTERM with a DM in serenity's ratelimiter: ended after {took:?}");
    assert!(status.success(), "{status}: {log}");
    assert!(!log.contains(UNANSWERED_CLOSE), "{log}");
    assert_eq!(
        posts(&discord, &path).len(),
        5,
        "the waiting DM did not go out"
    );
    assert_eq!(
        dm_statuses(&sql).await,
        [("pending".to_string(), 95), ("sent".to_string(), 5)],
        "nothing left half done"
    );
    assert_eq!(
        in_flight(&sql).await,
        [(waiting[0].0, "pending".to_string())],
        "given back, still marked: it may have gone out"
    );

    discord.clear_rate_limits();
    let (second, restarted) = restart_and_deliver_all(&env, &discord, &sql).await;
    assert_eq!(
        looks(&discord, &path, restarted),
        1,
        "the marked DM was looked for"
    );
    assert!(in_flight(&sql).await.is_empty());
    ends_cleanly(second, discord).await;
}

/// Every DM is answered slowly (300 ms) when SIGTERM comes: the delivery under way finishes and
/// is recorded before the process ends, the rest wait unmarked; after a restart nothing is
/// looked for and every DM arrives once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigterm_during_a_slow_answer_records_that_dm_and_the_restart_sends_the_rest_once() {
    let (discord, env, path) = dms_queued(100).await;
    discord.fail_next(
        FailRule::new(Failure::SlowResponse(Duration::from_millis(300)))
            .method("POST")
            .path_prefix(&path)
            .times(1000),
    );
    let first = Served::start(&env, &discord, "first").await;
    let sql = env.sql().await;
    // The tenth is posted; its answer takes 300 ms.
    wait_until_for(BOOT_WAIT, async || {
        (posts(&discord, &path).len() >= 10).then_some(())
    })
    .await
    .expect("ten DMs posted");
    let (status, took, log) = first.terminate().await;
    eprintln!("SIGTERM during a slow answer: ended after {took:?}");
    assert!(status.success(), "{status}: {log}");
    assert!(!log.contains(UNANSWERED_CLOSE), "{log}");
    let out = posts(&discord, &path).len() as i64;
    assert!(out >= 10);
    assert_eq!(
        dm_statuses(&sql).await,
        [
            ("pending".to_string(), 100 - out),
            ("sent".to_string(), out)
        ],
        "every DM that went out is recorded, the others wait"
    );
    assert!(in_flight(&sql).await.is_empty(), "nothing left in flight");

    discord.clear_failures();
    let (second, restarted) = restart_and_deliver_all(&env, &discord, &sql).await;
    assert_eq!(looks(&discord, &path, restarted), 0, "nothing to look for");
    ends_cleanly(second, discord).await;
}

/// How long `vpa-desk serve` takes from SIGTERM to its end, five runs each: connected and idle;
/// delivering as fast as the loopback answers; with a DM waiting in serenity's ratelimiter
/// (Discord's 5 posts per 5 s in a channel); with every answer taking 300 ms. Prints the
/// figures (`-- --ignored --nocapture`); asserts only a clean end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run it by name"]
async fn sigterm_timings() {
    for case in ["idle", "busy", "rate-limited", "slow answers"] {
        let mut took = Vec::new();
        for _ in 0..5 {
            let (discord, env, path) = dms_queued(if case == "idle" { 0 } else { 3000 }).await;
            match case {
                "rate-limited" => discord.set_rate_limit(
                    RateLimitRule::new(&path, 5, Duration::from_secs(5)).method("POST"),
                ),
                "slow answers" => discord.fail_next(
                    FailRule::new(Failure::SlowResponse(Duration::from_millis(300)))
                        .method("POST")
                        .path_prefix(&path)
                        .times(10_000),
                ),
                _ => {}
            }
            let served = Served::start(&env, &discord, "timed").await;
            let sql = env.sql().await;
            let under_way = match case {
                // The start's own work (READY catch-up, the first timers pass) is done.
                "idle" => {
                    wait_until_for(BOOT_WAIT, async || {
                        (sql.count("outbox").await > 0).then_some(())
                    })
                    .await
                }
                // Five are out and recorded: the sixth waits for the bucket to reset.
                "rate-limited" => {
                    wait_until_for(BOOT_WAIT, async || {
                        let sent = dm_statuses(&sql).await;
                        (posts(&discord, &path).len() == 5 && sent.contains(&("sent".into(), 5)))
                            .then_some(())
                    })
                    .await
                }
                _ => {
                    wait_until_for(BOOT_WAIT, async || {
                        (posts(&discord, &path).len() >= 10).then_some(())
                    })
                    .await
                }
            };
            under_way.expect("the case's state");
            let (status, time, log) = served.terminate().await;
            assert!(status.success(), "{status}: {log}");
            took.push(time);
            discord.shutdown();
        }
        let ms: Vec<u128> = took.iter().map(|t| t.as_millis()).collect();
        eprintln!("SIGTERM to exit, {case}: {ms:?} ms");
    }
}
