//! Exactly once across stops of the real binary (`vpa-desk serve` against a loopback Discord
//! started by the test, through `DISCORD_API_BASE`).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use vpa_desk::config::Config;
use vpa_desk::db::outbox::{self, Intent};
use vpa_desk::domain::outbox::DirectMessage;
use vpa_desk::domain::{DiscordId, TaskId};
use vpa_desk::loopback::{FailRule, Failure, LoopbackConfig, LoopbackDiscord, RecordedRequest};

use crate::support::{CliEnv, Sql, wait_until_for};

const TOKEN: &str = "exactly.once.token";
/// Starting the binary (connect, identify, register) on a loaded 2-core machine.
const BOOT_WAIT: Duration = Duration::from_secs(30);
/// The coordinator the DMs go to.
const COORDINATOR: u64 = 900;

/// The loopback Discord in the guild of the built-in configuration, so the binary runs
/// without a config folder.
async fn loopback() -> LoopbackDiscord {
    LoopbackDiscord::start(LoopbackConfig {
        guild_id: Config::embedded().settings.discord.guild_id.0,
        ..LoopbackConfig::default()
    })
    .await
    .expect("loopback starts")
}

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
    async fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        let child = &mut self.child;
        let status = child.wait().expect("the bot ends");
        assert!(!status.success(), "killed: {status}");
    }

    /// Sends SIGTERM (what `docker stop` sends) and waits for the end; how long it took.
    async fn terminate(mut self) -> (std::process::ExitStatus, Duration, String) {
        let pid = self.child.id().to_string();
        let begun = Instant::now();
        let term = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        assert!(term.success());
        let status = tokio::task::spawn_blocking(move || {
            let status = self.child.wait();
            (status, self)
        })
        .await
        .unwrap();
        let took = begun.elapsed();
        let (status, served) = status;
        (status.expect("the bot ends"), took, served.log())
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

/// The case: a SIGKILL in the middle of 100 deliveries, with one DM handed to Discord
/// but its answer not back, then a restart after longer than Discord's nonce window (the
/// loopback then posts a repeated nonce again, as Discord does). The item in flight at the kill
/// is looked for in its channel before anything is sent again; every DM arrives exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigkill_mid_delivery_and_a_restart_after_the_nonce_window_deliver_each_dm_once() {
    let discord = loopback().await;
    let env = CliEnv::new();
    queue_acceptances(&env, 100).await;
    let dm = discord.dm_channel_id(COORDINATOR);
    let path = format!("/channels/{dm}/messages");
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
    first.kill().await;

    // Longer than Discord's nonce window: a repeated nonce would post a second message now.
    discord.advance_clock(discord.config().nonce_window + Duration::from_secs(60));
    let restarted = discord.requests().len();
    let second = Served::start(&env, &discord, "second").await;
    wait_all_sent(&sql, 100, &second).await;
    assert_each_dm_once(&discord, &sql, 100).await;
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
    let (status, _, log) = second.terminate().await;
    assert!(status.success(), "{status}: {log}");
    discord.shutdown();
}
