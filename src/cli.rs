//! The command line: `import-vpas`, `pool`, `serve`. Parses arguments, wires config, database and
//! services, prints results. Exit codes: 0 ok, 1 error, 2 bad input (e.g. a bad CSV row).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use std::sync::Arc;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::db::Db;
use crate::domain::dates::parse_date;
use crate::loopback::relay::Relay;
use crate::present::catalog::t;
use crate::present::{self, Lang};
use crate::service::Desk;
use crate::{bot, service, worker};

/// vpa-desk — keeps client demand covered by the pool of virtual personal assistants.
#[derive(Debug, Parser)]
#[command(name = "vpa-desk", version, about)]
pub struct Cli {
    /// Folder with default.toml and competences.toml (without it: ./config, else the built-in defaults).
    #[arg(long, global = true, value_name = "DIR")]
    pub config: Option<PathBuf>,
    /// The SQLite database; created if missing.
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        default_value = "sqlite://vpa-desk.db"
    )]
    pub database_url: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import or update VPAs from a CSV file (all rows or none).
    ImportVpas {
        /// The CSV file (header: discord_id,name,weekly_hours,...).
        file: PathBuf,
    },
    /// Show pool health: VPAs available for new clients, in total and per work area.
    Pool {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Evaluate as of this day (YYYY-MM-DD or DD.MM.YYYY); default today.
        #[arg(long, value_parser = parse_day)]
        date: Option<NaiveDate>,
    },
    /// Run the Discord bot.
    Serve,
    /// Try the bot without a Discord account: the real bot against a built-in Discord-compatible
    /// server on loopback, with a demo pool and a scripted survey.
    Sandbox,
}

fn parse_day(text: &str) -> Result<NaiveDate, String> {
    parse_date(text).ok_or_else(|| {
        // Arguments are read before the configuration: the shipped language speaks.
        let lang = present::default_lang(&Config::embedded());
        t!(lang, "cli-not-a-day", input = text)
    })
}

/// Loads the configuration: an explicit `--config` must exist; otherwise `./config` if present,
/// else the defaults built into the binary. The language must be one of the catalog's.
pub fn load_config(dir: Option<&Path>) -> anyhow::Result<Config> {
    let config = match dir {
        Some(dir) => Config::load(dir)?,
        None if Path::new("config/default.toml").exists() => Config::load(Path::new("config"))?,
        None => {
            tracing::info!("no ./config folder: using the built-in defaults");
            Config::embedded()
        }
    };
    check_locale(&config)?;
    Ok(config)
}

/// Refuses a `locale` the message catalog has no folder for.
pub fn check_locale(config: &Config) -> anyhow::Result<()> {
    if Lang::from_tag(&config.settings.locale).is_none() {
        let known: Vec<&str> = Lang::all().map(Lang::tag).collect();
        anyhow::bail!(
            "default.toml: key `locale`: no messages for {:?} (available: {})",
            config.settings.locale,
            known.join(", ")
        );
    }
    Ok(())
}

/// Runs the bot with its workers (outbox delivery, timers) until `shutdown` completes.
pub async fn serve(
    desk: Desk,
    token: &str,
    connection: &bot::Connection,
    shutdown: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    let client = bot::client(desk.clone(), token, connection).await?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let outbox = tokio::spawn(worker::outbox::run(
        desk.clone(),
        Arc::clone(&client.http),
        stop_rx.clone(),
    ));
    let timers = tokio::spawn(worker::timers::run(desk.clone(), stop_rx));
    let result = bot::run(client, shutdown).await;
    let _ = stop_tx.send(true);
    let _ = outbox.await;
    let _ = timers.await;
    result
}

/// Runs the bot like [`serve`] against the Discord-compatible server at `api_base`, through the
/// relay (`loopback::relay`) so serenity's ratelimiter stays on; the relay stops after the bot
/// and its workers.
pub async fn serve_through_relay(
    desk: Desk,
    token: &str,
    api_base: &str,
    shutdown: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    let relay = Relay::start(api_base)
        .await
        .with_context(|| format!("cannot start the relay to {api_base}"))?;
    let connection = bot::Connection::Client(relay.client());
    let result = serve(desk, token, &connection, shutdown).await;
    relay.shutdown().await;
    result
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = load_config(cli.config.as_deref())?;
    let lang = present::default_lang(&config);
    let clock = SystemClock;
    match cli.command {
        Command::ImportVpas { file } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let db = Db::connect(&cli.database_url).await?;
            match service::import::import_vpas(&db, &config.catalog, &bytes, clock.now()).await {
                Ok(report) => {
                    println!("{}", present::import::done(lang, &report));
                    Ok(ExitCode::SUCCESS)
                }
                Err(service::import::ImportError::Rows(errors)) => {
                    eprintln!("{}", present::import::refused(lang, errors.len()));
                    for e in &errors {
                        eprintln!("  {}", present::import::row_error(lang, e));
                    }
                    Ok(ExitCode::from(2))
                }
                Err(service::import::ImportError::Db(e)) => Err(e),
            }
        }
        Command::Pool { json, date } => {
            let db = Db::connect(&cli.database_url).await?;
            let day = date.unwrap_or_else(|| clock.today(config.timezone));
            let health = service::pool::pool_health(&db, &config, day).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&health)?);
            } else {
                print!("{}", present::pool::table(lang, &health));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Sandbox => {
            // Never the configured DATABASE_URL: the demo must not touch real data.
            crate::sandbox::run(config).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve => {
            let db = Db::connect(&cli.database_url).await?;
            let token = std::env::var("DISCORD_TOKEN").unwrap_or_default();
            if token.trim().is_empty() {
                anyhow::bail!(
                    "DISCORD_TOKEN is not set. Put the bot token into .env (see .env.example) or the environment; \
                     to try the bot without a Discord account, run `vpa-desk sandbox`."
                );
            }
            let api_base = std::env::var("DISCORD_API_BASE")
                .ok()
                .filter(|b| !b.trim().is_empty())
                .or_else(|| {
                    Some(config.settings.discord.api_base.clone()).filter(|b| !b.trim().is_empty())
                });
            let desk = Desk::new(db, config, Arc::new(SystemClock));
            match api_base {
                Some(base) => {
                    serve_through_relay(desk, token.trim(), base.trim(), shutdown_signal()).await?;
                }
                None => {
                    let connection = bot::Connection::Discord;
                    serve(desk, token.trim(), &connection, shutdown_signal()).await?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// How a failure of the command line reads (in the shipped language: the configuration that
/// names another may be what failed).
pub fn error_line(error: &anyhow::Error) -> String {
    let lang = present::default_lang(&Config::embedded());
    t!(lang, "cli-error", error = format!("{error:#}"))
}

/// Completes on Ctrl-C or SIGTERM (what `docker stop` sends).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
