//! Runs the real bot (poise + serenity, in-process) against the loopback Discord on a fresh
//! SQLite file, with a hand-moved clock.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use vpa_desk::clock::ManualClock;
use vpa_desk::config::Config;
use vpa_desk::db::Db;
use vpa_desk::db::vpas::{ChangeSource, save_vpa};
use vpa_desk::domain::competence::Level;
use vpa_desk::domain::ids::DiscordId;
use vpa_desk::domain::vpa::{HeldCompetence, Vpa};
use vpa_desk::loopback::fixtures::{self, FakeUser, Opt};
use vpa_desk::loopback::{InteractionHandle, LoopbackConfig, LoopbackDiscord, RecordedRequest};
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
    pub clock: Arc<ManualClock>,
    pub db_url: String,
    _dir: Arc<TempDir>,
    stop: Option<oneshot::Sender<()>>,
    bot: Option<JoinHandle<anyhow::Result<()>>>,
}

/// The test configuration: the shipped one, placed in the loopback guild.
pub fn test_config() -> Config {
    let mut config = Config::embedded();
    config.settings.discord.guild_id = fixtures::DEFAULT_GUILD_ID;
    config
}

impl Harness {
    /// A fresh loopback Discord, database and bot, ready (commands registered).
    pub async fn start() -> Harness {
        Harness::start_with(|_| {}).await
    }

    /// Like [`Harness::start`], with a changed configuration.
    pub async fn start_with(change: impl FnOnce(&mut Config)) -> Harness {
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
        let desk = Desk::new(db, config, clock.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let api_base = discord.api_base();
        let bot_desk = desk.clone();
        // Counted before the bot starts, so its registration cannot slip in before we look.
        let started = discord.requests().len();
        let bot = tokio::spawn(async move {
            vpa_desk::bot::run(bot_desk, TOKEN, Some(&api_base), async {
                let _ = stopped.await;
            })
            .await
        });
        let ready = discord
            .wait_for_after(started, BOOT_WAIT, |r| {
                r.method == "PUT" && r.path.contains("/commands") && r.status == 200
            })
            .await;
        assert!(ready.is_some(), "the bot registered its commands");
        Harness {
            discord,
            desk,
            clock,
            db_url,
            _dir: dir,
            stop: Some(stop),
            bot: Some(bot),
        }
    }

    /// Kills the bot the hard way (no clean shutdown) and starts a new one on the same database
    /// and loopback Discord, as after a crash.
    pub async fn crash_and_restart(mut self) -> Harness {
        if let Some(bot) = self.bot.take() {
            bot.abort();
            let _ = bot.await;
        }
        self.discord.kick_gateway().await;
        self.desk.db.pool.close().await;
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
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(bot) = self.bot.take() {
            let result = tokio::time::timeout(WAIT, bot)
                .await
                .expect("bot stops in time");
            result.expect("bot task").expect("bot ends without error");
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
        FakeUser::new(900, "Koordina").with_roles(&[self.settings().coordinator_role_id])
    }

    pub fn manager(&self) -> FakeUser {
        FakeUser::new(901, "Managerin").with_roles(&[self.settings().manager_role_id])
    }

    pub fn vpa(&self, id: u64) -> FakeUser {
        FakeUser::new(id, &format!("vpa{id}")).with_roles(&[self.settings().vpa_role_id])
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
            .channel_messages(self.settings().surveys_channel_id)
    }

    /// Waits until the surveys channel has `n` posts and returns the last.
    pub async fn wait_survey_post(&self, n: usize) -> Value {
        let surveys = self.settings().surveys_channel_id;
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
        let surveys = self.settings().surveys_channel_id;
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
    pub async fn answers(&self, round_id: i64) -> Vec<(u64, String)> {
        sqlx::query_as::<_, (i64, String)>(
            "SELECT vpa_id, answer FROM survey_answers WHERE round_id = ? ORDER BY vpa_id",
        )
        .bind(round_id)
        .fetch_all(&self.desk.db.pool)
        .await
        .unwrap()
        .into_iter()
        .map(|(v, a)| (v as u64, a))
        .collect()
    }

    /// Waits until the answers of a round equal `expected`.
    pub async fn wait_answers(&self, round_id: i64, expected: &[(u64, &str)]) {
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
            .fetch_one(&self.desk.db.pool)
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

/// The custom id of the first button of a message whose id starts with `prefix`.
pub fn button_id(message: &Value, prefix: &str) -> String {
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["custom_id"].as_str().map(str::to_string))
        .find(|id| id.starts_with(prefix))
        .unwrap_or_else(|| panic!("no component {prefix}… in {message}"))
}
