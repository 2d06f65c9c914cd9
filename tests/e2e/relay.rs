//! The bot with `discord.api_base`: through the relay (`loopback::relay`) to the loopback's
//! plain-HTTP API, with serenity's ratelimiter on as in production. The real binary with
//! `DISCORD_API_BASE`; the bot in-process meeting a 429 that serenity (not the outbox) waits
//! out for `Retry-After`; serenity's multipart uploads through the relay; and an unreachable
//! `api_base` as a transient failure.

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use chrono::{Days, Utc};
use poise::serenity_prelude as serenity;
use serde_json::Value;
use vpa_desk::clock::SystemClock;
use vpa_desk::config::Config;
use vpa_desk::db::Db;
use vpa_desk::db::vpas::{ChangeSource, save_vpa};
use vpa_desk::domain::Level;
use vpa_desk::loopback::fixtures::{self, FakeUser};
use vpa_desk::loopback::relay::Relay;
use vpa_desk::loopback::{FailRule, Failure, LoopbackConfig, LoopbackDiscord, RecordedRequest};
use vpa_desk::service::Desk;

use crate::support::cli::loopback;
use crate::support::cli::stderr;
use crate::support::{CliEnv, Sql, ready_vpa};

const TOKEN: &str = "relay.bot.token";
const WAIT: Duration = Duration::from_secs(10);
/// Starting a bot (connect, identify, register) on a loaded 2-core machine.
const BOOT_WAIT: Duration = Duration::from_secs(30);

/// Three VPAs who do research, so `/task new` for research has somebody to survey.
async fn seed_vpas(db: &Db, config: &Config) {
    let mut tx = db.begin_write().await.unwrap();
    for id in 1000..1003 {
        let vpa = ready_vpa(config, id, &[("research", Level::Good)]);
        save_vpa(
            &mut tx,
            &config.catalog,
            &vpa,
            ChangeSource::Import,
            None,
            Utc::now(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// The same three VPAs in the binary's database file, closed again for the binary to open.
async fn seed_file(env: &CliEnv, config: &Config) {
    let db = env.db().await;
    seed_vpas(&db, config).await;
    db.close().await;
}

/// `vpa-desk serve` on the binary's database, told only the loopback's plain-HTTP base (so
/// whatever reaches the loopback came through the relay); its log on a pipe.
fn serve(env: &CliEnv, discord: &LoopbackDiscord) -> std::process::Command {
    let mut command = env.bare();
    command
        .arg("serve")
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_API_BASE", discord.api_base())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// `/task new` for research, due in a week (the bot runs on the system clock here).
async fn research_task(discord: &LoopbackDiscord, config: &Config) {
    let settings = &config.settings.discord;
    let coordinator = FakeUser::new(900, "Koordina").with_roles(&[settings.coordinator_role_id.0]);
    let deadline = Utc::now()
        .with_timezone(&config.timezone)
        .date_naive()
        .checked_add_days(Days::new(7))
        .unwrap()
        .format("%d.%m.%Y")
        .to_string();
    let options = vec![
        ("client", "Kanzlei Berger".into()),
        ("competence", "research".into()),
        ("hours", 8.0.into()),
        ("deadline", deadline.into()),
        ("description", "Marktrecherche zu Lieferanten".into()),
    ];
    discord
        .interact(fixtures::slash("task", &["new"], options, &coordinator))
        .await;
}

fn surveys_path(config: &Config) -> String {
    format!(
        "/channels/{}/messages",
        config.settings.discord.surveys_channel_id.0
    )
}

/// Waits until the surveys channel has a post.
async fn wait_survey_post(discord: &LoopbackDiscord, config: &Config) -> Vec<Value> {
    let channel = config.settings.discord.surveys_channel_id.0;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let posts = discord.channel_messages(channel);
        if !posts.is_empty() || tokio::time::Instant::now() >= deadline {
            return posts;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_with_discord_api_base_posts_a_survey_and_stops_cleanly() {
    let discord = loopback().await;
    let config = Config::embedded();
    let env = CliEnv::new();
    seed_file(&env, &config).await;
    // The binary knows only the plain-HTTP base: whatever reaches the loopback came through
    // the relay.
    let mut bot = serve(&env, &discord)
        .spawn()
        .expect("vpa-desk serve starts");
    let ready = discord.wait_ready(BOOT_WAIT).await;
    if !ready {
        let _ = bot.kill();
        let out = bot.wait_with_output().unwrap();
        panic!("the bot never became ready: {}", stderr(&out));
    }
    // serenity asked for the gateway URL through the relay (0.12.5 asks `GET /gateway`) and
    // connected to the loopback's websocket as answered.
    assert!(
        discord
            .requests()
            .iter()
            .any(|r| r.is("GET", "/gateway") && r.status == 200)
    );
    research_task(&discord, &config).await;
    let posts = wait_survey_post(&discord, &config).await;
    assert_eq!(posts.len(), 1, "one survey post");
    assert!(
        posts[0]["content"].as_str().unwrap().contains("<@1000>"),
        "{}",
        posts[0]
    );

    // SIGTERM, as `docker stop` sends: the bot, its workers and the relay stop, the process
    // ends with success.
    let pid = bot.id().to_string();
    let term = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(term.success());
    let out = tokio::task::spawn_blocking(move || bot.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(out.status.success(), "{:?}: {}", out.status, stderr(&out));
    discord.shutdown();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binarys_log_names_ids_never_what_a_message_says() {
    let discord = loopback().await;
    let config = Config::embedded();
    let env = CliEnv::new();
    seed_file(&env, &config).await;
    // The default log level, as an operator runs it.
    let bot = serve(&env, &discord)
        .env_remove("RUST_LOG")
        .spawn()
        .expect("vpa-desk serve starts");
    assert!(discord.wait_ready(BOOT_WAIT).await, "the bot became ready");
    // The survey post is refused twice (as sent, and shortened): given up, logged at ERROR.
    discord.fail_next(
        FailRule::new(Failure::Status(400))
            .method("POST")
            .path_prefix(&surveys_path(&config))
            .times(2),
    );
    research_task(&discord, &config).await;
    let manager = config.settings.discord.manager_channel_id.0;
    let deadline = tokio::time::Instant::now() + WAIT;
    while !discord.channel_messages(manager).iter().any(|m| {
        m["content"]
            .as_str()
            .is_some_and(|c| c.contains("nicht zugestellt"))
    }) {
        assert!(tokio::time::Instant::now() < deadline, "no delivery notice");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let pid = bot.id().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    let out = tokio::task::spawn_blocking(move || bot.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let log = stderr(&out);
    assert!(log.contains("permanent failure"), "{log}");
    assert!(
        log.contains("\"survey_post\""),
        "the item's kind is named: {log}"
    );
    for private in ["Kanzlei Berger", "Marktrecherche", "body", "Request {"] {
        assert!(!log.contains(private), "{private:?} in the log: {log}");
    }
    discord.shutdown();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_through_the_relay_is_waited_out_for_retry_after_before_the_post_goes_again() {
    let discord = loopback().await;
    let config = Config::embedded();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/desk.db", dir.path().display());
    let db = Db::connect(&url).await.unwrap();
    seed_vpas(&db, &config).await;
    let sql = Sql::open(&url).await;
    let desk = Desk::new(db, config.clone(), Arc::new(SystemClock));
    let mut events = desk.events.subscribe();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let api_base = discord.api_base();
    let bot = tokio::spawn(async move {
        vpa_desk::cli::serve_through_relay(desk, TOKEN, &api_base, async {
            let _ = stopped.await;
        })
        .await
    });
    assert!(discord.wait_ready(BOOT_WAIT).await, "the bot is ready");

    // Longer than the outbox's first back-offs (1 s, 2 s): a post sent again before 3 s did
    // not wait for Discord's word.
    let path = surveys_path(&config);
    discord.fail_next(
        FailRule::new(Failure::RateLimited {
            retry_after_secs: 2.5,
        })
        .method("POST")
        .path_prefix(&path),
    );
    research_task(&discord, &config).await;
    let posts = wait_survey_post(&discord, &config).await;
    assert_eq!(posts.len(), 1, "the survey post arrived");

    let sent: Vec<RecordedRequest> = discord
        .requests()
        .into_iter()
        .filter(|r| r.is("POST", &path))
        .collect();
    assert_eq!(
        sent.iter().map(|r| r.status).collect::<Vec<_>>(),
        [429, 200],
        "{sent:#?}"
    );
    let refused = &sent[0];
    assert_eq!(refused.response["retry_after"], 2.5);
    let retry_after: f64 = refused
        .response_header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    let waited = sent[1].at - refused.at;
    assert!(
        waited >= Duration::from_secs_f64(retry_after),
        "sent again after {waited:?}, Retry-After was {retry_after} s"
    );
    // serenity's ratelimiter handled it: the outbox saw one attempt, and it succeeded. (The
    // outbox records the item just after Discord answered: wait for that.)
    let message_id: i64 = posts[0]["id"].as_str().unwrap().parse().unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    let row = loop {
        let rows: Vec<(String, i64, Option<String>)> = sql
            .rows(format!(
                "SELECT status, attempts, last_error FROM outbox WHERE produced_message_id = {message_id}"
            ))
            .await;
        match rows.into_iter().next() {
            Some(row) => break row,
            None if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            None => panic!("the outbox never recorded the survey post"),
        }
    };
    assert_eq!(row, ("sent".to_owned(), 1, None));
    // Exactly once: nothing posted it again by the time the outbox has nothing left to do.
    tokio::time::timeout(WAIT, async {
        while events.recv().await.ok() != Some(vpa_desk::service::DeskEvent::OutboxIdle) {}
    })
    .await
    .expect("the outbox goes idle");
    assert_eq!(
        discord
            .channel_messages(config.settings.discord.surveys_channel_id.0)
            .len(),
        1
    );

    let _ = stop.send(());
    tokio::time::timeout(WAIT, bot)
        .await
        .expect("the bot stops in time")
        .unwrap()
        .expect("the bot ends without error");
    discord.shutdown();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serenity_uploads_attachments_through_the_relay_byte_for_byte() {
    let discord = LoopbackDiscord::start(LoopbackConfig::default())
        .await
        .unwrap();
    let relay = Relay::start(&discord.api_base()).await.unwrap();
    // The ratelimiter on, as the bot has it.
    let http = serenity::HttpBuilder::new(TOKEN)
        .client(relay.client())
        .build();
    let bytes: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
    let message = serenity::ChannelId::new(fixtures::DEFAULT_CHANNEL_ID)
        .send_message(
            &http,
            serenity::CreateMessage::new().content("Bericht").add_file(
                serenity::CreateAttachment::bytes(bytes.clone(), "bericht.bin"),
            ),
        )
        .await
        .expect("posted through the relay");
    assert_eq!(message.content, "Bericht");
    assert_eq!(
        discord.attachments(fixtures::DEFAULT_CHANNEL_ID, message.id.get()),
        [("bericht.bin".to_owned(), bytes)]
    );
    let post = discord
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    assert_eq!(post.body["content"], "Bericht", "payload_json arrived");
    assert!(post.response_header("x-ratelimit-bucket").is_some());
    relay.shutdown().await;
    discord.shutdown();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_api_base_is_a_transient_failure_for_the_outbox() {
    let gone = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", gone.local_addr().unwrap());
    drop(gone);
    let relay = Relay::start(&base).await.unwrap();
    let http = serenity::HttpBuilder::new(TOKEN)
        .client(relay.client())
        .build();
    let e = serenity::ChannelId::new(fixtures::DEFAULT_CHANNEL_ID)
        .say(&http, "nobody there")
        .await
        .expect_err("no upstream");
    assert_eq!(
        vpa_desk::worker::outbox::classify(&e),
        vpa_desk::worker::outbox::Failure::Transient {
            rate_limited: false
        },
        "{e:?}"
    );
    relay.shutdown().await;
}
