//! Runs the real bot (poise + serenity, in-process) against the loopback Discord on a fresh
//! SQLite file, with a hand-moved clock.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;
use tempfile::TempDir;
use tokio::sync::oneshot;
use vpa_desk::clock::ManualClock;
use vpa_desk::config::Config;
use vpa_desk::db::Db;
use vpa_desk::db::vpas::{ChangeSource, save_vpa};
use vpa_desk::domain::competence::Level;
use vpa_desk::domain::ids::DiscordId;
use vpa_desk::domain::ids::{RoundId, TaskId};
use vpa_desk::domain::vpa::{HeldCompetence, Vpa};
use vpa_desk::loopback::fixtures::{self, FakeUser, Opt};
use vpa_desk::loopback::{InteractionHandle, LoopbackConfig, LoopbackDiscord, RecordedRequest};
pub use vpa_desk::present::custom_id::{CustomId, PlaybookButton, SurveyAction};
use vpa_desk::service::Desk;

pub const WAIT: Duration = Duration::from_secs(10);
/// Starting a bot (connect, identify, register) on a loaded 2-core CI machine.
const BOOT_WAIT: Duration = Duration::from_secs(30);
pub const TOKEN: &str = "loopback.bot.token";
/// Monday 30 November 2026, 09:00 in Berlin.
pub const START: &str = "2026-11-30T08:00:00Z";

/// The bot under test and everything around it.
pub struct Harness {
    pub discord: LoopbackDiscord,
    pub desk: Desk,
    /// The same SQLite file, opened by the test itself: to look at what the bot wrote (and to
    /// inject faults) with plain SQL, beside the bot's own connections.
    pub sql: sqlx::SqlitePool,
    pub clock: Arc<ManualClock>,
    pub db_url: String,
    _dir: Arc<TempDir>,
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

    async fn start_prepared(
        change: impl FnOnce(&mut Config),
        file: Option<&std::path::Path>,
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
        Harness::boot(discord, db_url, dir, clock, config).await
    }

    async fn boot(
        discord: LoopbackDiscord,
        db_url: String,
        dir: Arc<TempDir>,
        clock: Arc<ManualClock>,
        config: Config,
    ) -> Harness {
        let db = Db::connect(&db_url).await.expect("database opens");
        let sql = crate::helpers::open_sql(&db_url).await;
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
            bot: Some(bot),
            boot_events,
        }
    }

    /// Stops the bot cleanly, lets `while_down` change Discord while no bot is connected (e.g.
    /// reactions without gateway events) and starts a new one on the same database.
    pub async fn restart_after(mut self, while_down: impl FnOnce(&LoopbackDiscord)) -> Harness {
        if let Some(bot) = self.bot.take() {
            bot.join(false).await.expect("the bot ends without error");
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
            ..
        } = self;
        Harness::boot(discord, db_url, _dir, clock, config).await
    }

    /// Kills the bot the hard way (no clean shutdown) and starts a new one on the same database
    /// and loopback Discord, as after a crash.
    pub async fn crash_and_restart(mut self) -> Harness {
        if let Some(bot) = self.bot.take() {
            bot.join(true).await.expect("a crash ends the bot");
        }
        self.discord.kick_gateway().await;
        self.desk.db.close().await;
        self.sql.close().await;
        let config = (*self.desk.config).clone();
        let Harness {
            discord,
            db_url,
            _dir,
            clock,
            ..
        } = self;
        Harness::boot(discord, db_url, _dir, clock, config).await
    }

    /// Stops the bot cleanly.
    pub async fn stop(mut self) {
        if let Some(bot) = self.bot.take() {
            bot.join(false).await.expect("the bot ends without error");
        }
        self.discord.shutdown();
    }

    /// Adds VPAs who fit `competence` to the pool: ids `first..first+n`.
    pub async fn seed_vpas(
        &self,
        first: u64,
        n: u64,
        competence: &str,
        weekly_hours: f64,
    ) -> Vec<DiscordId> {
        let catalog = &self.desk.config.catalog;
        let competence = catalog
            .by_key(competence)
            .expect("competence in catalog")
            .id;
        let mut tx = self.desk.db.begin_write().await.unwrap();
        let mut ids = Vec::new();
        for id in first..first + n {
            let mut vpa = Vpa::new(DiscordId(id), format!("VPA {id}"));
            vpa.weekly_hours = weekly_hours;
            vpa.wants_tasks = true;
            vpa.wants_new_clients = true;
            vpa.competences = vec![HeldCompetence {
                competence,
                level: Level::Good,
            }];
            save_vpa(
                &mut tx,
                catalog,
                &vpa,
                ChangeSource::Import,
                None,
                self.desk.now(),
            )
            .await
            .unwrap();
            ids.push(DiscordId(id));
        }
        tx.commit().await.unwrap();
        ids
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

    /// `/task new` with the given options.
    pub async fn task_new(&self, user: &FakeUser, options: Vec<(&str, Opt)>) -> InteractionHandle {
        self.discord
            .interact(fixtures::slash("task", &["new"], options, user))
            .await
    }

    /// `/task new` for a back-office research task of `hours` due 4 December 2026.
    pub async fn research_task(&self, hours: f64) -> InteractionHandle {
        self.task_new(
            &self.coordinator(),
            vec![
                ("client", "Kanzlei Berger".into()),
                ("competence", "research".into()),
                ("hours", hours.into()),
                ("deadline", "04.12.2026".into()),
                ("description", "Marktrecherche zu Lieferanten".into()),
            ],
        )
        .await
    }

    /// The final private text of an interaction.
    pub async fn final_text(&self, handle: &InteractionHandle) -> String {
        let message = handle.wait_final(WAIT).await.expect("the bot answered");
        message["content"]
            .as_str()
            .or_else(|| message["data"]["content"].as_str())
            .unwrap_or_default()
            .to_string()
    }

    /// Messages in the surveys channel.
    pub fn survey_posts(&self) -> Vec<Value> {
        self.discord
            .channel_messages(self.settings().surveys_channel_id.0)
    }

    /// Waits until the surveys channel has `n` posts and returns the last.
    pub async fn wait_survey_post(&self, n: usize) -> Value {
        let surveys = self.settings().surveys_channel_id.0;
        let discord = self.discord.clone();
        // The bot's own reactions follow once the post is recorded in the database, so from
        // then on reactions and buttons on it are understood.
        wait_until(|| {
            let posts = discord.channel_messages(surveys);
            let post = posts.get(n - 1)?;
            let id: u64 = post["id"].as_str()?.parse().ok()?;
            (discord.bot_reactions(surveys, id).len() == 3).then(|| post.clone())
        })
        .await
        .expect("the survey post appeared")
    }

    /// Waits until the message with this id satisfies `check`.
    pub async fn wait_post_matching(
        &self,
        message_id: &str,
        check: impl Fn(&Value) -> bool,
    ) -> Value {
        let discord = self.discord.clone();
        let surveys = self.settings().surveys_channel_id.0;
        wait_until(|| {
            discord
                .channel_messages(surveys)
                .into_iter()
                .find(|m| m["id"] == message_id && check(m))
        })
        .await
        .unwrap_or_else(|| {
            panic!(
                "post {message_id} never matched; now: {:?}",
                discord
                    .channel_messages(surveys)
                    .into_iter()
                    .find(|m| m["id"] == message_id)
            )
        })
    }

    /// Clicks a component of a bot message.
    pub async fn click(
        &self,
        message: &Value,
        custom_id: &str,
        user: &FakeUser,
    ) -> InteractionHandle {
        self.discord
            .interact(fixtures::component(
                custom_id,
                2,
                &[],
                message.clone(),
                user,
            ))
            .await
    }

    /// Chooses values of a select on a message.
    pub async fn choose(
        &self,
        message: &Value,
        custom_id: &str,
        values: &[&str],
        user: &FakeUser,
    ) -> InteractionHandle {
        self.discord
            .interact(fixtures::component(
                custom_id,
                3,
                values,
                message.clone(),
                user,
            ))
            .await
    }

    /// Reacts to a survey post.
    pub async fn react(&self, message: &Value, user: &FakeUser, emoji: &str, add: bool) {
        let channel: u64 = message["channel_id"].as_str().unwrap().parse().unwrap();
        let id: u64 = message["id"].as_str().unwrap().parse().unwrap();
        let (event, data) = if add {
            (
                "MESSAGE_REACTION_ADD",
                fixtures::reaction_add(user, channel, id, emoji),
            )
        } else {
            (
                "MESSAGE_REACTION_REMOVE",
                fixtures::reaction_remove(user, channel, id, emoji),
            )
        };
        self.discord.dispatch(event, data).await;
    }

    /// The current answer kinds of a round: (vpa, kind).
    pub async fn answers(&self, round_id: RoundId) -> Vec<(u64, String)> {
        sqlx::query_as::<_, (i64, String)>(
            "SELECT vpa_id, answer FROM survey_answers WHERE round_id = ? ORDER BY vpa_id",
        )
        .bind(round_id.0)
        .fetch_all(&self.sql)
        .await
        .unwrap()
        .into_iter()
        .map(|(v, a)| (v as u64, a))
        .collect()
    }

    /// Waits until the answers of a round equal `expected`.
    pub async fn wait_answers(&self, round_id: RoundId, expected: &[(u64, &str)]) {
        let expected: Vec<(u64, String)> =
            expected.iter().map(|(v, a)| (*v, a.to_string())).collect();
        for _ in 0..200 {
            if self.answers(round_id).await == expected {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert_eq!(
            self.answers(round_id).await,
            expected,
            "answers of round {round_id}"
        );
    }

    /// Requests recorded since `from` matching `pred`.
    pub fn requests_since(
        &self,
        from: usize,
        pred: impl Fn(&RecordedRequest) -> bool,
    ) -> Vec<RecordedRequest> {
        self.discord
            .requests()
            .into_iter()
            .skip(from)
            .filter(|r| pred(r))
            .collect()
    }

    /// How many rows a table has.
    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.sql)
            .await
            .unwrap()
    }
}

/// Polls `probe` until it yields, for up to [`WAIT`].
pub async fn wait_until<T>(probe: impl FnMut() -> Option<T>) -> Option<T> {
    wait_until_for(WAIT, probe).await
}

/// Polls `probe` until it yields, for up to `timeout`.
pub async fn wait_until_for<T>(
    timeout: Duration,
    mut probe: impl FnMut() -> Option<T>,
) -> Option<T> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(v) = probe() {
            return Some(v);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The custom id of a survey component (the protocol's own builder, as the bot renders it).
pub fn sv(action: SurveyAction, round: RoundId) -> String {
    CustomId::survey(action, round).encode()
}

/// The custom id of a playbook button on the task's notice.
pub fn pb(task: u64, button: PlaybookButton) -> String {
    CustomId::Playbook {
        task: TaskId(task as i64),
        button,
    }
    .encode()
}

/// Every component custom id of a message, parsed.
pub fn custom_ids(message: &Value) -> Vec<CustomId> {
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["custom_id"].as_str().and_then(CustomId::parse))
        .collect()
}

/// The round a survey post (or a DM about it) is for.
pub fn round_of(message: &Value) -> RoundId {
    custom_ids(message)
        .into_iter()
        .find_map(|id| match id {
            CustomId::Survey { round, .. } => Some(round),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no survey component in {message}"))
}

/// The custom id of the message's survey component for `action`.
pub fn survey_button(message: &Value, action: SurveyAction) -> String {
    custom_ids(message)
        .into_iter()
        .find(|id| matches!(id, CustomId::Survey { action: a, .. } if *a == action))
        .map(|id| id.encode())
        .unwrap_or_else(|| panic!("no {action:?} component in {message}"))
}

/// The custom id of the notice's playbook button of this kind (`Related` matches any key).
pub fn playbook_button(notice: &Value, wanted: &PlaybookButton) -> String {
    custom_ids(notice)
        .into_iter()
        .find(|id| match (id, wanted) {
            (CustomId::Playbook { button: PlaybookButton::Related(_), .. }, PlaybookButton::Related(k)) => {
                k.is_empty() || matches!(id, CustomId::Playbook { button: PlaybookButton::Related(key), .. } if key == k)
            }
            (CustomId::Playbook { button, .. }, wanted) => button == wanted,
            _ => false,
        })
        .map(|id| id.encode())
        .unwrap_or_else(|| panic!("no {wanted:?} button in {notice}"))
}

/// A German text of the catalog, as the bot renders it for a German client.
pub fn de() -> vpa_desk::present::Lang {
    vpa_desk::present::Lang::from_tag("de").expect("German is in the catalog")
}

impl Harness {
    /// The bot's stream of what it handled; take it before the event that should show up.
    pub fn events(&self) -> tokio::sync::broadcast::Receiver<vpa_desk::service::DeskEvent> {
        self.desk.events.subscribe()
    }

    /// The bot's stream since before this bot started (once per start).
    pub fn events_since_boot(
        &mut self,
    ) -> tokio::sync::broadcast::Receiver<vpa_desk::service::DeskEvent> {
        self.boot_events
            .take()
            .expect("the events since boot are taken once")
    }
}

/// Waits until the bot says it handled an event matching `wanted`; its outcome.
pub async fn handled(
    events: &mut tokio::sync::broadcast::Receiver<vpa_desk::service::DeskEvent>,
    wanted: impl Fn(&vpa_desk::service::HandledEvent) -> bool,
) -> vpa_desk::service::HandledOutcome {
    use vpa_desk::service::DeskEvent;
    let wait = async {
        loop {
            match events.recv().await {
                Ok(DeskEvent::Handled { event, outcome }) if wanted(&event) => return outcome,
                Ok(_) => {}
                Err(e) => panic!("the bot's events ended: {e}"),
            }
        }
    };
    tokio::time::timeout(WAIT, wait)
        .await
        .expect("the bot handled the event")
}

/// Matches the interaction with this id.
pub fn interaction(id: u64) -> impl Fn(&vpa_desk::service::HandledEvent) -> bool {
    move |e| *e == vpa_desk::service::HandledEvent::Interaction(id)
}
