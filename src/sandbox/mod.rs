//! `vpa-desk sandbox`: the real bot against the built-in loopback Discord with a demo pool, so
//! anybody can watch it work without a Discord account. A coordinator creates a task, VPAs
//! answer by button, reaction and modal, and the transcript shows what Discord would show.

mod show;

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use serde_json::Value;

use crate::clock::SystemClock;
use crate::config::Config;
use crate::db::Db;
use crate::loopback::fixtures::{self, FakeUser, Opt};
use crate::loopback::{LoopbackConfig, LoopbackDiscord};
use crate::present::catalog::t;
use crate::present::custom_id::{CustomId, SurveyAction};
use crate::present::{self, format};
use crate::service::{self, Desk};

/// The demo pool imported into the sandbox database.
pub const DEMO_POOL: &str = include_str!("demo-pool.csv");

const TOKEN: &str = "sandbox.token";
const WAIT: Duration = Duration::from_secs(15);

/// Runs the demo on a fresh temporary database, removed afterwards.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let temp = tempfile_dir()?;
    let result = run_in(config, &format!("sqlite://{}/sandbox.db", temp.display())).await;
    if let Err(e) = std::fs::remove_dir_all(&temp) {
        tracing::warn!(error = %e, dir = %temp.display(), "cannot remove the sandbox folder");
    }
    result
}

async fn run_in(config: Config, url: &str) -> anyhow::Result<()> {
    let discord = LoopbackDiscord::start(LoopbackConfig {
        guild_id: config.settings.discord.guild_id.0,
        ..LoopbackConfig::default()
    })
    .await
    .context("cannot start the loopback Discord")?;
    let lang = present::default_lang(&config);
    println!("{}", t!(lang, "sandbox-start", api = discord.api_base()));
    println!("{}\n", t!(lang, "sandbox-database", url = url));
    let db = Db::connect(url).await?;
    let desk = Desk::new(db, config, Arc::new(SystemClock));
    let report = service::import::import_vpas(
        &desk.db,
        &desk.config.catalog,
        DEMO_POOL.as_bytes(),
        desk.now(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("demo pool import failed: {e}"))?;
    let count = report.created + report.updated + report.unchanged;
    println!("{}", t!(lang, "sandbox-pool-imported", count = count));
    let health = service::pool::pool_health(&desk.db, &desk.config, desk.today()).await?;
    println!("{}", present::pool::table(lang, &health));

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
    println!("{}\n", t!(lang, "sandbox-connected", commands = commands));
    let names = names(&discord, &desk).await?;
    let result = scenario(&discord, &desk, &names).await;
    let _ = stop_tx.send(());
    let _ = tokio::time::timeout(WAIT, bot).await;
    discord.shutdown();
    result
}

fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("vpa-desk-sandbox-{}", std::process::id()));
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

/// The names Discord shows for the demo's members, roles and channels.
async fn names(discord: &LoopbackDiscord, desk: &Desk) -> anyhow::Result<show::Names> {
    let mut names = show::Names::default();
    for vpa in desk.db.load_pool(&desk.config.catalog).await? {
        names
            .users
            .insert(vpa.discord_id.0, vpa.name.as_str().to_string());
    }
    names.users.insert(
        COORDINATOR,
        t!(present::default_lang(&desk.config), "sandbox-coordinator"),
    );
    for role in discord.guild().roles {
        names.roles.insert(role.id, role.name);
    }
    for channel in discord.guild().channels {
        names.channels.insert(channel.id, channel.name);
    }
    Ok(names)
}

/// The demo coordinator's user id.
const COORDINATOR: u64 = 300_000_000_000_000_001;

async fn scenario(
    discord: &LoopbackDiscord,
    desk: &Desk,
    names: &show::Names,
) -> anyhow::Result<()> {
    let show = |m: &Value| show::message(names, m);
    let settings = &desk.config.settings.discord;
    let lang = present::default_lang(&desk.config);
    let coordinator =
        FakeUser::new(COORDINATOR, "koordination").with_roles(&[settings.coordinator_role_id.0]);
    let vpa = |id: u64, name: &str| FakeUser::new(id, name).with_roles(&[settings.vpa_role_id.0]);
    let deadline = format::date(lang, desk.today() + chrono::Duration::days(7));
    println!(
        "{}",
        t!(
            lang,
            "sandbox-coordinator-creates",
            deadline = deadline.as_str()
        )
    );
    let reply = discord
        .interact(fixtures::slash(
            "task",
            &["new"],
            vec![
                ("client", Opt::from("Kanzlei Berger")),
                ("competence", Opt::from("research")),
                ("hours", Opt::from(8.0)),
                ("deadline", Opt::from(deadline.as_str())),
                (
                    "description",
                    Opt::from(t!(lang, "sandbox-demo-description")),
                ),
            ],
            &coordinator,
        ))
        .await;
    let surveys = settings.surveys_channel_id.0;
    let post = wait(|| discord.channel_messages(surveys).first().cloned())
        .await
        .context("no survey post")?;
    let text = wait(|| {
        reply
            .original()
            .and_then(|o| o["content"].as_str().map(str::to_string))
            .filter(|t| t.contains("http"))
    })
    .await
    .unwrap_or_default();
    let private = |who: &str, text: &str| t!(lang, "sandbox-private-to", who = who, text = text);
    println!("{}\n", private(&t!(lang, "sandbox-coordinator"), &text));
    println!("{}\n{}", t!(lang, "sandbox-post"), show(&post));

    let round = match post["components"][0]["components"][0]["custom_id"]
        .as_str()
        .and_then(CustomId::parse)
    {
        Some(CustomId::Survey { round, .. }) => round,
        _ => bail!("the survey post has no answer buttons"),
    };
    let button = |action| CustomId::survey(action, round).encode();
    let anna = vpa(200_000_000_000_000_001, "anna");
    println!("{}", t!(lang, "sandbox-anna-accepts"));
    let click = discord
        .interact(fixtures::component(
            &button(SurveyAction::Accept),
            2,
            &[],
            post.clone(),
            &anna,
        ))
        .await;
    println!("{}\n", private("Anna", &final_text(lang, &click).await));

    let ben = vpa(200_000_000_000_000_002, "ben");
    println!("{}", t!(lang, "sandbox-ben-reacts"));
    let channel: u64 = post["channel_id"]
        .as_str()
        .unwrap_or_default()
        .parse()
        .unwrap_or_default();
    let message: u64 = post["id"]
        .as_str()
        .unwrap_or_default()
        .parse()
        .unwrap_or_default();
    discord
        .dispatch(
            "MESSAGE_REACTION_ADD",
            fixtures::reaction_add(&ben, channel, message, "❌"),
        )
        .await;
    let dm = wait(|| discord.dm_messages(ben.id).first().cloned())
        .await
        .context("no DM to Ben")?;
    println!("{}\n{}", t!(lang, "sandbox-dm-to", who = "Ben"), show(&dm));

    let cem = vpa(200_000_000_000_000_003, "cem");
    let later = format::date(lang, desk.today() + chrono::Duration::days(3));
    println!("{}", t!(lang, "sandbox-cem-later", day = later.as_str()));
    let modal = discord
        .interact(fixtures::component(
            &button(SurveyAction::Later),
            2,
            &[],
            post.clone(),
            &cem,
        ))
        .await;
    let _ = modal.response(WAIT).await;
    let submit = discord
        .interact(fixtures::modal_submit(
            &button(SurveyAction::LaterModal),
            &[(crate::present::custom_id::FROM_INPUT, later.as_str())],
            &cem,
        ))
        .await;
    println!("{}\n", private("Cem", &final_text(lang, &submit).await));

    let post_id = post["id"].clone();
    let updated = wait(|| {
        discord.channel_messages(surveys).into_iter().find(|m| {
            m["id"] == post_id
                && m["embeds"][0]["footer"]["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("⏳ 1"))
        })
    })
    .await
    .context("the post was not updated")?;
    println!("{}\n{}", t!(lang, "sandbox-post-live"), show(&updated));
    let coordinator_dm = wait(|| discord.dm_messages(coordinator.id).first().cloned())
        .await
        .context("no DM to the coordinator")?;
    println!(
        "{}\n{}",
        t!(lang, "sandbox-coordinator-dm"),
        show(&coordinator_dm)
    );
    println!("{}", t!(lang, "sandbox-done"));
    Ok(())
}

async fn wait<T>(mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(v) = probe() {
            return Some(v);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn final_text(lang: present::Lang, handle: &crate::loopback::InteractionHandle) -> String {
    handle
        .wait_final(WAIT)
        .await
        .and_then(|m| {
            m["content"]
                .as_str()
                .or_else(|| m["data"]["content"].as_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| t!(lang, "sandbox-no-answer"))
}
