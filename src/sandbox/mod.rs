//! `vpa-desk sandbox`: the real bot against the built-in loopback Discord with a demo pool, so
//! anybody can watch it work without a Discord account: a scripted story of an agency's
//! morning (the default), or a prompt to act as any member and move the clock (`--play`).
//! The sandbox runs on its own clock, starting at nine on a working day.

mod play;
mod script;
mod show;
mod slash;
mod stage;
mod story;

use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::{DateTime, Datelike, NaiveTime, TimeZone, Utc, Weekday};

use crate::clock::ManualClock;
use crate::config::Config;
use crate::db::Db;
use crate::loopback::fixtures::FakeUser;
use crate::loopback::{LoopbackConfig, LoopbackDiscord};
use crate::present;
use crate::present::catalog::t;
use crate::service::{self, Desk};
use stage::{Member, Stage, WAIT};

/// The demo pool imported into the sandbox database.
pub const DEMO_POOL: &str = include_str!("demo-pool.csv");

const TOKEN: &str = "sandbox.token";
/// The demo coordinator's and the demo manager's user ids.
const COORDINATOR: u64 = 300_000_000_000_000_001;
const MANAGER: u64 = 300_000_000_000_000_002;
/// Manage messages: what `/report` asks of a member, which coordinator and manager have.
const MANAGE_MESSAGES: u64 = 1 << 13;

/// What the sandbox does: the story or the prompt, and where files go.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub play: bool,
    /// Where a report's chart is saved; none: a new temporary folder (kept, its path printed).
    pub out: Option<PathBuf>,
}

/// Runs the demo on a fresh temporary database, removed afterwards.
pub async fn run(config: Config, options: Options) -> anyhow::Result<()> {
    let temp = tempfile_dir("sandbox")?;
    let out = match options.out.clone() {
        Some(dir) => dir,
        None => tempfile_dir("sandbox-files")?,
    };
    let url = format!("sqlite://{}/sandbox.db", temp.display());
    let result = run_in(config, &url, out, options.play).await;
    if let Err(e) = std::fs::remove_dir_all(&temp) {
        tracing::warn!(error = %e, dir = %temp.display(), "cannot remove the sandbox folder");
    }
    result
}

/// Nine o'clock agency time today, or on the next Monday at a weekend.
fn start_of_day(config: &Config) -> DateTime<Utc> {
    let tz = config.timezone;
    let mut day = Utc::now().with_timezone(&tz).date_naive();
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day = day.succ_opt().unwrap_or(day);
    }
    let nine = day.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default());
    tz.from_local_datetime(&nine)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now)
}

async fn run_in(config: Config, url: &str, out: PathBuf, play: bool) -> anyhow::Result<()> {
    let discord = LoopbackDiscord::start(LoopbackConfig {
        guild_id: config.settings.discord.guild_id.0,
        ..LoopbackConfig::default()
    })
    .await
    .context("cannot start the loopback Discord")?;
    let lang = present::default_lang(&config);
    println!("{}", t!(lang, "sandbox-start", api = discord.api_base()));
    println!("{}", t!(lang, "sandbox-database", url = url));
    let clock = ManualClock::running(start_of_day(&config));
    let db = Db::connect(url).await?;
    let desk = Desk::new(db, config, clock.clone());
    let report =
        service::import::import_vpas(&desk.db, &desk.config, DEMO_POOL.as_bytes(), desk.now())
            .await
            .map_err(|e| anyhow::anyhow!("demo pool import failed: {e}"))?;
    let count = report.created + report.updated + report.unchanged;
    println!("\n{}", t!(lang, "sandbox-pool-imported", count = count));
    let health = service::pool::pool_health(&desk.db, &desk.config, desk.today()).await?;
    println!("{}", present::pool::table(lang, &health));

    let members = members(&desk).await?;
    for m in &members {
        discord.add_member(&m.user);
    }
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let bot_desk = desk.clone();
    // The ratelimiter runs as in production: the loopback answers as discord.com over TLS.
    let connection =
        crate::bot::Connection::Client(crate::loopback::discord_client(discord.api_tls_addr()));
    let bot = tokio::spawn(async move {
        crate::cli::serve(bot_desk, TOKEN, &connection, async {
            let _ = stop_rx.await;
        })
        .await
    });
    if !discord.wait_ready(WAIT).await {
        bail!("the bot did not connect to the loopback Discord");
    }
    let commands = command_names(&discord).join(", ");
    println!("{}", t!(lang, "sandbox-connected", commands = commands));
    let mut stage = Stage::new(discord, desk, clock, lang, members, out);
    stage.settle().await;
    stage.skip_to_now();
    let result = if play {
        play::run(&mut stage).await
    } else {
        story::play(&mut stage).await;
        println!("\n{}", t!(lang, "sandbox-done"));
        Ok(())
    };
    let _ = stop_tx.send(());
    let _ = tokio::time::timeout(WAIT, bot).await;
    stage.discord.shutdown();
    result
}

fn tempfile_dir(kind: &str) -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("vpa-desk-{kind}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

fn command_names(discord: &LoopbackDiscord) -> Vec<String> {
    discord
        .registered_commands()
        .iter()
        .filter_map(|c| c["name"].as_str().map(|n| format!("/{n}")))
        .collect()
}

/// The demo's members: the pool's VPAs, the coordinator and the manager.
async fn members(desk: &Desk) -> anyhow::Result<Vec<Member>> {
    let settings = &desk.config.settings.discord;
    let lang = present::default_lang(&desk.config);
    let mut members = Vec::new();
    let staff = [
        (
            COORDINATOR,
            t!(lang, "sandbox-coordinator-key"),
            t!(lang, "sandbox-coordinator"),
            t!(lang, "sandbox-role-coordinator"),
            settings.coordinator_role_id.0,
        ),
        (
            MANAGER,
            t!(lang, "sandbox-manager-key"),
            t!(lang, "sandbox-manager"),
            t!(lang, "sandbox-role-manager"),
            settings.manager_role_id.0,
        ),
    ];
    for (id, key, name, role, role_id) in staff {
        let mut user = FakeUser::new(id, &key).with_roles(&[role_id]);
        user.permissions |= MANAGE_MESSAGES;
        members.push(Member {
            key,
            name,
            role,
            user,
        });
    }
    for vpa in desk.db.load_pool(&desk.config.catalog).await? {
        let name = vpa.name.as_str().to_string();
        let key = name.split(' ').next().unwrap_or_default().to_lowercase();
        let user = FakeUser::new(vpa.discord_id.0, &key).with_roles(&[settings.vpa_role_id.0]);
        members.push(Member {
            key,
            name,
            role: t!(lang, "sandbox-role-vpa"),
            user,
        });
    }
    Ok(members)
}
