//! The real bot (poise + serenity, in-process) against the loopback Discord on a fresh SQLite
//! file, with a hand-moved clock: starting it, crashing it, seeding its pool, and who is who.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tempfile::TempDir;
use tokio::sync::oneshot;
use vpa_desk::clock::ManualClock;
use vpa_desk::config::Config;
use vpa_desk::db::Db;
use vpa_desk::db::vpas::Saved;
use vpa_desk::domain::competence::Level;
use vpa_desk::domain::ids::{DiscordId, RoundId};
use vpa_desk::domain::vpa::Vpa;
use vpa_desk::loopback::fixtures::{self, FakeUser};
use vpa_desk::loopback::{LoopbackConfig, LoopbackDiscord};
use vpa_desk::service::Desk;

use super::db::{Sql, ready_vpa, save_vpas};
use super::wait::{WAIT, wait_until};

/// Starting a bot (connect, identify, register) on a loaded 2-core CI machine.
const BOOT_WAIT: Duration = Duration::from_secs(30);
pub const TOKEN: &str = "loopback.bot.token";
/// Monday 30 November 2026, 09:00 in Berlin.
pub const START: &str = "2026-11-30T08:00:00Z";

/// The bot under test and everything around it.
pub struct Harness {
    pub discord: LoopbackDiscord,
    pub desk: Desk,
    /// The same SQLite file, opened by the test itself.
    pub sql: Sql,
    pub clock: Arc<ManualClock>,
    pub db_url: String,
    _dir: Arc<TempDir>,
    /// How long the bot's writes wait for another process's lock.
    busy_bound: std::time::Duration,
    bot: Option<BotProcess>,
    /// The bot's events from before it started (what it does at READY comes before a test
    /// could subscribe); taken by [`Harness::events_since_boot`].
    boot_events: Option<tokio::sync::broadcast::Receiver<vpa_desk::service::DeskEvent>>,
}

/// The bot on a runtime of its own, as in a process of its own: a crash drops that runtime and
/// with it every task the bot started (gateway shards, outbox, timers), as the end of a process
/// would — nothing of the old bot answers afterwards.
struct BotProcess {
    stop: oneshot::Sender<()>,
    crash: oneshot::Sender<()>,
    thread: std::thread::JoinHandle<anyhow::Result<()>>,
}

impl BotProcess {
    fn start(desk: Desk, tls: std::net::SocketAddr) -> BotProcess {
        let (stop, stopped) = oneshot::channel::<()>();
        let (crash, crashed) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("the bot's runtime");
            let ended = runtime.block_on(async move {
                // serenity's ratelimiter on, as in production: the loopback answers as discord.com.
                let connection =
                    vpa_desk::bot::Connection::Client(vpa_desk::loopback::discord_client(tls));
                let serve = vpa_desk::cli::serve(desk, TOKEN, &connection, async {
                    let _ = stopped.await;
                });
                tokio::select! {
                    result = serve => Some(result),
                    _ = crashed => None,
                }
            });
            match ended {
                Some(result) => {
                    runtime.shutdown_timeout(WAIT);
                    result
                }
                None => {
                    runtime.shutdown_background();
                    Ok(())
                }
            }
        });
        BotProcess {
            stop,
            crash,
            thread,
        }
    }

    async fn join(self, crash: bool) -> anyhow::Result<()> {
        let _ = if crash {
            self.crash.send(())
        } else {
            self.stop.send(())
        };
        let thread = self.thread;
        tokio::time::timeout(WAIT, tokio::task::spawn_blocking(move || thread.join()))
            .await
            .expect("the bot stops in time")
            .expect("joining the bot's thread")
            .expect("the bot's thread does not panic")
    }
}

/// The test configuration: the shipped one, placed in the loopback guild.
pub fn test_config() -> Config {
    let mut config = Config::embedded();
    config.settings.discord.guild_id = DiscordId(fixtures::DEFAULT_GUILD_ID);
    config
}

impl Harness {
    /// A fresh loopback Discord, database and bot, ready (commands registered).
    pub async fn start() -> Harness {
        Harness::start_with(|_| {}).await
    }

    /// Like [`Harness::start`], on a copy of an SQLite file (one made by an older version: the
    /// bot's migrations then upgrade it at start).
    pub async fn start_from_file(file: &std::path::Path) -> Harness {
        Harness::start_prepared(|_| {}, Some(file)).await
    }

    /// Like [`Harness::start`], with a changed configuration.
    pub async fn start_with(change: impl FnOnce(&mut Config)) -> Harness {
        Harness::start_prepared(change, None).await
    }

    /// Like [`Harness::start`], with the bot's writes waiting at most `busy_bound` for another
    /// process's lock (to see what happens beyond it without waiting half a minute).
    pub async fn start_waiting(busy_bound: std::time::Duration) -> Harness {
        Harness::start_full(|_| {}, None, busy_bound).await
    }

    async fn start_prepared(
        change: impl FnOnce(&mut Config),
        file: Option<&std::path::Path>,
    ) -> Harness {
        Harness::start_full(change, file, vpa_desk::service::BUSY_BOUND).await
    }

    async fn start_full(
        change: impl FnOnce(&mut Config),
        file: Option<&std::path::Path>,
        busy_bound: std::time::Duration,
    ) -> Harness {
        // TEST_LOG=vpa_desk=debug shows the bot's logs for a failing test.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_env("TEST_LOG"))
            .with_test_writer()
            .try_init();
        let discord = LoopbackDiscord::start(LoopbackConfig::default())
            .await
            .expect("loopback starts");
        let dir = Arc::new(TempDir::new().expect("temp dir"));
        let db_url = format!("sqlite://{}/desk.db", dir.path().display());
        if let Some(file) = file {
            std::fs::copy(file, dir.path().join("desk.db")).expect("the database file copies");
        }
        let clock = ManualClock::running(START.parse::<DateTime<Utc>>().unwrap());
        let mut config = test_config();
        change(&mut config);
        Harness::boot(discord, db_url, dir, clock, config, busy_bound).await
    }

    async fn boot(
        discord: LoopbackDiscord,
        db_url: String,
        dir: Arc<TempDir>,
        clock: Arc<ManualClock>,
        config: Config,
        busy_bound: std::time::Duration,
    ) -> Harness {
        let db = Db::connect_waiting(&db_url, busy_bound)
            .await
            .expect("database opens");
        let sql = Sql::open(&db_url).await;
        let desk = Desk::new(db, config, clock.clone());
        let boot_events = Some(desk.events.subscribe());
        // Counted before the bot starts, so its registration cannot slip in before we look.
        let started = discord.requests().len();
        let bot = BotProcess::start(desk.clone(), discord.api_tls_addr());
        let ready = discord
            .wait_for_after(started, BOOT_WAIT, |r| {
                r.method == "PUT" && r.path.contains("/commands") && r.status == 200
            })
            .await;
        assert!(ready.is_some(), "the bot registered its commands");
        Harness {
            discord,
            desk,
            sql,
            clock,
            db_url,
            _dir: dir,
            busy_bound,
            bot: Some(bot),
            boot_events,
        }
    }

    /// Stops the bot cleanly, lets `while_down` change Discord while no bot is connected (e.g.
    /// reactions without gateway events) and starts a new one on the same database.
    pub async fn restart_after(self, while_down: impl FnOnce(&LoopbackDiscord)) -> Harness {
        self.restart(false, while_down).await
    }

    /// Ends the bot (`crash`: the hard way), lets `while_down` change Discord, then boots a new
    /// bot on the same database, loopback Discord and clock.
    async fn restart(mut self, crash: bool, while_down: impl FnOnce(&LoopbackDiscord)) -> Harness {
        if let Some(bot) = self.bot.take() {
            let ending = if crash {
                "a crash ends the bot"
            } else {
                "the bot ends without error"
            };
            bot.join(crash).await.expect(ending);
        }
        self.discord.kick_gateway().await;
        self.desk.db.close().await;
        self.sql.close().await;
        while_down(&self.discord);
        let config = (*self.desk.config).clone();
        let Harness {
            discord,
            db_url,
            _dir,
            clock,
            busy_bound,
            ..
        } = self;
        Harness::boot(discord, db_url, _dir, clock, config, busy_bound).await
    }

    /// The bot's events since before this bot started (once per start).
    pub fn events_since_boot(
        &mut self,
    ) -> tokio::sync::broadcast::Receiver<vpa_desk::service::DeskEvent> {
        self.boot_events
            .take()
            .expect("the events since boot are taken once")
    }

    /// Kills the bot the hard way (no clean shutdown) and starts a new one on the same database
    /// and loopback Discord, as after a crash.
    pub async fn crash_and_restart(self) -> Harness {
        self.restart(true, |_| {}).await
    }

    /// Stops the bot cleanly.
    pub async fn stop(mut self) {
        if let Some(bot) = self.bot.take() {
            bot.join(false).await.expect("the bot ends without error");
        }
        self.discord.shutdown();
    }

    /// A bot with `vpas` research VPAs (ids from 1000) and a research task of `hours` whose
    /// survey post is out.
    pub async fn with_survey(vpas: u64, hours: f64) -> (Harness, serde_json::Value) {
        let h = Harness::start().await;
        h.seed_vpas(1000, vpas, "research").await;
        h.research_task(hours).await;
        let post = h.wait_survey_post(1).await;
        (h, post)
    }

    /// Saves VPAs into the bot's pool, as the import does (without telling the watch).
    pub async fn save_vpas(&self, vpas: &[Vpa]) -> Vec<Saved> {
        save_vpas(
            &self.desk.db,
            &self.desk.config.catalog,
            vpas,
            self.desk.now(),
        )
        .await
    }

    /// A VPA ready for work (see [`ready_vpa`]) in the bot's catalog.
    pub fn ready_vpa(&self, id: u64, competences: &[(&str, Level)]) -> Vpa {
        ready_vpa(&self.desk.config, id, competences)
    }

    /// Adds VPAs ready for work who hold `competence` (good) to the pool: ids `first..first+n`.
    pub async fn seed_vpas(&self, first: u64, n: u64, competence: &str) -> Vec<DiscordId> {
        let vpas: Vec<Vpa> = (first..first + n)
            .map(|id| self.ready_vpa(id, &[(competence, Level::Good)]))
            .collect();
        self.save_vpas(&vpas).await;
        // Members of the server with the VPA role, as Discord tells the bot when it asks (DMs).
        for vpa in &vpas {
            self.discord.add_member(&self.vpa(vpa.discord_id.0));
        }
        vpas.iter().map(|v| v.discord_id).collect()
    }

    pub fn settings(&self) -> &vpa_desk::config::DiscordSettings {
        &self.desk.config.settings.discord
    }

    pub fn coordinator(&self) -> FakeUser {
        FakeUser::new(900, "Koordina").with_roles(&[self.settings().coordinator_role_id.0])
    }

    pub fn manager(&self) -> FakeUser {
        FakeUser::new(901, "Managerin").with_roles(&[self.settings().manager_role_id.0])
    }

    pub fn vpa(&self, id: u64) -> FakeUser {
        FakeUser::new(id, &format!("vpa{id}")).with_roles(&[self.settings().vpa_role_id.0])
    }

    /// A member without any of the bot's roles.
    pub fn guest(&self) -> FakeUser {
        FakeUser::new(777, "gast")
    }

    /// How many rows a table has.
    pub async fn count(&self, table: &str) -> i64 {
        self.sql.count(table).await
    }

    /// The current answer kinds of a round: (vpa, kind).
    pub async fn answers(&self, round_id: RoundId) -> Vec<(u64, String)> {
        self.sql
            .rows::<(i64, String)>(format!(
                "SELECT vpa_id, answer FROM survey_answers WHERE round_id = {round_id} ORDER BY vpa_id"
            ))
            .await
            .into_iter()
            .map(|(v, a)| (v as u64, a))
            .collect()
    }

    /// Waits until the answers of a round equal `expected`.
    pub async fn wait_answers(&self, round_id: RoundId, expected: &[(u64, &str)]) {
        let expected: Vec<(u64, String)> =
            expected.iter().map(|(v, a)| (*v, a.to_string())).collect();
        let reached = wait_until(async || (self.answers(round_id).await == expected).then_some(()))
            .await
            .is_some();
        if !reached {
            assert_eq!(
                self.answers(round_id).await,
                expected,
                "answers of round {round_id}"
            );
        }
    }
}
