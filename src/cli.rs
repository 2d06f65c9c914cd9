//! The command line: `import-vpas`, `pool`, `outbox`, `backup`, `export`, `forget`, `check`,
//! `serve`, `sandbox`. Parses arguments, wires config, database and
//! services, prints results. Exit codes: 0 ok, 1 error, 2 bad input (e.g. a bad CSV row).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use std::sync::Arc;

use crate::clock::{Clock, SystemClock};
use crate::config::{Config, ConfigError, Problem};
use crate::db::Db;
use crate::domain::dates::parse_date;
use crate::loopback::relay::Relay;
use crate::present::catalog::t;
use crate::present::{self, Lang};
use crate::service::Desk;
use crate::{bot, service, worker};

/// vpa-desk — keeps client demand covered by the pool of virtual personal assistants.
#[derive(Debug, Parser)]
#[command(
    name = "vpa-desk",
    version,
    about,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Show this help.
    #[arg(short = 'h', long, global = true, action = clap::ArgAction::Help)]
    help: Option<bool>,
    /// Show the version.
    #[arg(short = 'V', long, action = clap::ArgAction::Version)]
    version: Option<bool>,
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
    /// Messages the bot could not deliver: list them, or queue them again once the cause is
    /// fixed (the running bot picks them up within seconds).
    Outbox {
        /// Queue this item again (its number as listed; may be given more than once).
        #[arg(long, value_name = "ID", value_parser = parse_item_id, conflicts_with = "requeue_all")]
        requeue: Vec<i64>,
        /// Queue every undelivered item again.
        #[arg(long)]
        requeue_all: bool,
        /// Print the list as JSON instead of text.
        #[arg(long, conflicts_with_all = ["requeue", "requeue_all"])]
        json: bool,
    },
    /// Write a consistent copy of the database to FILE, safe while the bot runs; the copy is
    /// checked.
    Backup {
        /// The copy to write (must not exist yet).
        file: PathBuf,
    },
    /// Export the pool (in the import format) or the tasks with their times as CSV.
    Export {
        /// What: `pool` or `tasks`.
        what: ExportWhat,
        /// The CSV file to write.
        file: PathBuf,
    },
    /// Erase a VPA's personal data (after deactivating them): shows what goes and what stays;
    /// with --yes it erases.
    Forget {
        /// The VPA's Discord id.
        #[arg(value_parser = parse_discord_id)]
        vpa: crate::domain::DiscordId,
        /// Erase without asking again.
        #[arg(long)]
        yes: bool,
    },
    /// Check the Discord server the configuration names: channels, roles, the bot's
    /// permissions (exit code 1 if something needs fixing).
    Check,
    /// Run the Discord bot.
    Serve,
    /// Try the bot without a Discord account: the real bot against a built-in Discord-compatible
    /// server on loopback, with a demo pool and a scripted morning at the agency.
    Sandbox {
        /// Instead of the story: a prompt to act as any member and move the clock.
        #[arg(long)]
        play: bool,
        /// Folder for the files the bot sends (a report's chart); default: a new temporary one.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportWhat {
    Pool,
    Tasks,
}

impl Cli {
    /// Whether the command is the sandbox (whose logs stay quiet beside its story).
    pub fn is_sandbox(&self) -> bool {
        matches!(self.command, Command::Sandbox { .. })
    }
}

/// Reads the command line; a mistake in it is explained in German (clap's own texts are
/// English) with the usage line, exit code 2. Help and version print as clap has them.
pub fn parse() -> Result<Cli, ExitCode> {
    use clap::FromArgMatches;
    use clap::error::ErrorKind;
    let lang = present::default_lang(&Config::embedded());
    match command(lang)
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => Ok(cli),
        Err(e) => match e.kind() {
            ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                let _ = e.print();
                Err(ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2)))
            }
            _ => {
                let _ = complain(lang, &parse_error(lang, &e));
                Err(ExitCode::from(2))
            }
        },
    }
}

/// The command line with its help in `lang`: the about and option texts come from the catalog
/// (`cli-help-<command>[-<option>]`, the English doc comments are the fallback), and so do the
/// headings.
pub fn command(lang: Lang) -> clap::Command {
    use clap::CommandFactory;
    let template = format!(
        "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}",
        t!(lang, "cli-help-usage")
    );
    let cmd = localize(Cli::command(), lang, "cli-help", &template)
        .subcommand_help_heading(t!(lang, "cli-help-commands"));
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    names.into_iter().fold(cmd, |cmd, name| {
        let key = format!("cli-help-{name}");
        cmd.mut_subcommand(&name, |sub| localize(sub, lang, &key, &template))
    })
}

/// One command's texts: its about from `key`, each option's from `key-<option>`.
fn localize(cmd: clap::Command, lang: Lang, key: &str, template: &str) -> clap::Command {
    let about = crate::present::catalog::lookup(lang, key);
    let (options, arguments) = (t!(lang, "cli-help-options"), t!(lang, "cli-help-arguments"));
    let cmd = cmd.help_template(template.to_string()).mut_args(|arg| {
        let own = crate::present::catalog::lookup(lang, &format!("{key}-{}", arg.get_id()))
            // Options every command has are described once.
            .or_else(|| {
                crate::present::catalog::lookup(lang, &format!("cli-help-{}", arg.get_id()))
            });
        let heading = if arg.is_positional() {
            &arguments
        } else {
            &options
        };
        let arg = arg.help_heading(heading.clone());
        match own {
            Some(help) => arg.help(help),
            None => arg,
        }
    });
    match about {
        Some(about) => cmd.about(about),
        None => cmd,
    }
}

/// A command-line mistake as a German (or the shipped language's) text.
pub fn parse_error(lang: Lang, error: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let one = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        _ => None,
    };
    let arg = one(ContextKind::InvalidArg).unwrap_or_default();
    let value = one(ContextKind::InvalidValue).unwrap_or_default();
    let main = match error.kind() {
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(error).map_or(String::new(), |s| s.to_string());
            t!(lang, "cli-bad-value", arg = arg, reason = reason)
        }
        ErrorKind::InvalidValue if value.is_empty() => t!(lang, "cli-missing-value", arg = arg),
        ErrorKind::InvalidValue => {
            let allowed = one(ContextKind::ValidValue).unwrap_or_default();
            t!(
                lang,
                "cli-bad-choice",
                arg = arg,
                value = value,
                allowed = allowed
            )
        }
        ErrorKind::UnknownArgument => match one(ContextKind::SuggestedArg) {
            Some(suggested) => t!(
                lang,
                "cli-unknown-argument-suggest",
                arg = arg,
                suggested = suggested
            ),
            None => t!(lang, "cli-unknown-argument", arg = arg),
        },
        ErrorKind::ArgumentConflict => match one(ContextKind::PriorArg) {
            Some(prior) if prior != arg => t!(lang, "cli-conflict", arg = arg, other = prior),
            _ => t!(lang, "cli-repeated", arg = arg),
        },
        ErrorKind::InvalidSubcommand | ErrorKind::MissingSubcommand => {
            use clap::CommandFactory;
            let commands: Vec<String> = Cli::command()
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            let command = one(ContextKind::InvalidSubcommand).unwrap_or_default();
            t!(
                lang,
                "cli-unknown-command",
                command = command,
                commands = commands.join(", ")
            )
        }
        ErrorKind::MissingRequiredArgument => t!(lang, "cli-missing-argument", args = arg),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            t!(lang, "cli-wrong-number", arg = arg)
        }
        _ => {
            // Kinds this program does not produce (e.g. invalid UTF-8): clap's own words.
            return error.render().to_string();
        }
    };
    let usage = match one(ContextKind::Usage) {
        Some(u) => t!(
            lang,
            "cli-usage",
            usage = u.trim().trim_start_matches("Usage:").trim()
        ),
        None => t!(lang, "cli-usage-none"),
    };
    format!("{main}\n{usage}")
}

fn parse_day(text: &str) -> Result<NaiveDate, String> {
    parse_date(text).ok_or_else(|| {
        // Arguments are read before the configuration: the shipped language speaks.
        let lang = present::default_lang(&Config::embedded());
        t!(lang, "cli-not-a-day", input = text)
    })
}

fn parse_discord_id(text: &str) -> Result<crate::domain::DiscordId, String> {
    crate::domain::DiscordId::parse(text.trim())
        .filter(|id| id.is_snowflake())
        .ok_or_else(|| {
            let lang = present::default_lang(&Config::embedded());
            t!(lang, "cli-not-a-discord-id", value = text)
        })
}

fn parse_item_id(text: &str) -> Result<i64, String> {
    match text.trim().parse::<i64>() {
        Ok(id) if id >= 1 => Ok(id),
        _ => {
            let lang = present::default_lang(&Config::embedded());
            Err(t!(lang, "cli-not-an-id", input = text))
        }
    }
}

/// Loads the configuration: an explicit `--config` must exist; otherwise `./config` if present,
/// else the defaults built into the binary. The language must be one of the catalog's.
pub fn load_config(dir: Option<&Path>) -> anyhow::Result<Config> {
    let dir = match dir {
        Some(dir) => Some(dir.to_path_buf()),
        None if Path::new("config/default.toml").exists() => Some(PathBuf::from("config")),
        None => None,
    };
    let (config, file) = match &dir {
        Some(dir) => (Config::load(dir)?, dir.join("default.toml")),
        None => {
            tracing::info!("no ./config folder: using the built-in defaults");
            (Config::embedded(), PathBuf::from("<embedded>/default.toml"))
        }
    };
    check_locale(&config, &file)?;
    Ok(config)
}

/// Refuses what only the message catalog can judge: a `locale` it has no folder for, and more
/// mentions than fit into a survey post in any of its languages.
pub fn check_locale(config: &Config, file: &Path) -> Result<(), ConfigError> {
    let file = file.to_path_buf();
    if Lang::from_tag(&config.settings.locale).is_none() {
        return Err(ConfigError::Invalid {
            file,
            key: "locale".into(),
            problem: Problem::UnknownLanguage {
                given: config.settings.locale.clone(),
                available: Lang::all().map(|l| l.tag().to_string()).collect(),
            },
        });
    }
    let fit = Lang::all()
        .map(|lang| present::surveys::mentions_that_fit(lang, config))
        .min()
        .unwrap_or(0);
    if config.settings.survey.max_mentions > fit {
        return Err(ConfigError::Invalid {
            file,
            key: "survey.max_mentions".into(),
            problem: Problem::TooManyMentions { at_most: fit },
        });
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
    // Before any timer runs, so the first pass finds the weekly schedules' start marked.
    crate::service::reports::mark_first_start(&desk).await?;
    crate::service::newbies::mark_first_start(&desk).await?;
    let client = bot::client(desk.clone(), token, connection).await?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let outbox = tokio::spawn(worker::outbox::run(
        desk.clone(),
        Arc::clone(&client.http),
        stop_rx.clone(),
    ));
    let timers = tokio::spawn(worker::timers::run(desk.clone(), stop_rx));
    // The set-up check runs beside the start: a problem is told, never a reason not to start.
    let check = {
        let (desk, http) = (desk.clone(), Arc::clone(&client.http));
        tokio::spawn(async move { bot::setup_check::at_start(&desk, &http).await })
    };
    // The workers hear of the stop at once and wind down while the gateway closes, not after.
    let stopping = &stop_tx;
    let shutdown = async move {
        shutdown.await;
        let _ = stopping.send(true);
    };
    let result = bot::run(client, shutdown).await;
    check.abort();
    let _ = stop_tx.send(true);
    for (name, worker) in [("outbox", outbox), ("timers", timers)] {
        stop_worker(name, worker).await;
    }
    result
}

/// How long a worker may take to stop: the outbox finishes (or gives back) the delivery under
/// way within `worker::outbox::STOP_GRACE`, a timers pass is a few transactions.
const WORKER_STOP: std::time::Duration = std::time::Duration::from_millis(1500);

/// Waits for a worker told to stop; one that takes longer is ended where it stands. Everything
/// a worker writes is one transaction at a time, so that loses nothing: an outbox item still
/// `sending` is queued again at the next start.
async fn stop_worker(name: &str, mut worker: tokio::task::JoinHandle<()>) {
    if tokio::time::timeout(WORKER_STOP, &mut worker)
        .await
        .is_err()
    {
        tracing::warn!(worker = name, "did not stop in time; ended");
        worker.abort();
    }
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
    let lang = present::default_lang(&desk.config);
    let relay = Relay::start(api_base).await.map_err(|e| {
        anyhow::anyhow!(t!(
            lang,
            "cli-relay-failed",
            base = api_base,
            error = e.to_string()
        ))
    })?;
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
            let bytes = std::fs::read(&file).map_err(|e| {
                anyhow::anyhow!(t!(
                    lang,
                    "cli-cannot-read-file",
                    file = file.display().to_string(),
                    error = present::config::io_reason(lang, &e)
                ))
            })?;
            let db = Db::connect(&cli.database_url).await?;
            match service::import::import_vpas(&db, &config, &bytes, clock.now()).await {
                Ok(report) => {
                    emit(lang, &present::import::done(lang, &report))?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(service::import::ImportError::Rows(errors)) => {
                    let mut text = present::import::refused(lang, errors.len());
                    for e in &errors {
                        text.push_str("\n  ");
                        text.push_str(&present::import::row_error(lang, e));
                    }
                    complain(lang, &text)?;
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
                emit(lang, &serde_json::to_string_pretty(&health)?)?;
            } else {
                emit(lang, present::pool::table(lang, &health).trim_end())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Outbox {
            requeue,
            requeue_all,
            json,
        } => {
            let db = Db::connect(&cli.database_url).await?;
            let which = if requeue_all {
                Some(service::outbox::Requeue::All)
            } else if !requeue.is_empty() {
                Some(service::outbox::Requeue::Items(requeue))
            } else {
                None
            };
            let Some(which) = which else {
                let items = service::outbox::dead_letters(&db).await?;
                if json {
                    emit(lang, &serde_json::to_string_pretty(&items)?)?;
                } else {
                    emit(lang, present::outbox::dead_letters(lang, &items).trim_end())?;
                }
                return Ok(ExitCode::SUCCESS);
            };
            let outcome = service::outbox::requeue(&db, &which).await?;
            let text = present::outbox::requeued(lang, &outcome);
            match outcome {
                service::outbox::Requeued::Done(_) => {
                    emit(lang, &text)?;
                    Ok(ExitCode::SUCCESS)
                }
                service::outbox::Requeued::NotFailed { .. } => {
                    complain(lang, &text)?;
                    Ok(ExitCode::from(2))
                }
            }
        }
        Command::Sandbox { play, out } => {
            // Never the configured DATABASE_URL: the demo must not touch real data.
            crate::sandbox::run(config, crate::sandbox::Options { play, out }).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { file } => {
            if file.exists() {
                complain(
                    lang,
                    &t!(lang, "backup-exists", file = file.display().to_string()),
                )?;
                return Ok(ExitCode::from(2));
            }
            let db = Db::connect(&cli.database_url).await?;
            let started = std::time::Instant::now();
            let found = db.backup(&file).await.map_err(|e| {
                anyhow::anyhow!(t!(
                    lang,
                    "backup-failed",
                    file = file.display().to_string(),
                    error = format!("{e:#}")
                ))
            })?;
            if !found.is_empty() {
                complain(
                    lang,
                    &t!(
                        lang,
                        "backup-damaged",
                        file = file.display().to_string(),
                        found = found.join("; ")
                    ),
                )?;
                return Ok(ExitCode::FAILURE);
            }
            let bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
            emit(
                lang,
                &t!(
                    lang,
                    "backup-done",
                    file = file.display().to_string(),
                    size = present::format::size(lang, bytes),
                    ms = started.elapsed().as_millis() as u64
                ),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { what, file } => {
            let db = Db::connect(&cli.database_url).await?;
            let (bytes, rows) = match what {
                ExportWhat::Pool => {
                    let pool = db.load_pool(&config.catalog).await?;
                    (
                        present::export::pool_csv(&config.catalog, &pool)?,
                        pool.len(),
                    )
                }
                ExportWhat::Tasks => {
                    // Every task: instants are stored as text, so the bounds are plain years.
                    let (from, until) = (
                        chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
                        "9999-12-31T00:00:00Z".parse::<chrono::DateTime<chrono::Utc>>()?,
                    );
                    let all = db.task_records(from, until).await?;
                    (present::export::tasks_csv(&all)?, all.len())
                }
            };
            std::fs::write(&file, bytes).map_err(|e| {
                anyhow::anyhow!(t!(
                    lang,
                    "export-cannot-write",
                    file = file.display().to_string(),
                    error = present::config::io_reason(lang, &e)
                ))
            })?;
            emit(
                lang,
                &t!(
                    lang,
                    "export-done",
                    file = file.display().to_string(),
                    rows = rows
                ),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Forget { vpa, yes } => {
            let db = Db::connect(&cli.database_url).await?;
            let desk = Desk::new(db, config, Arc::new(SystemClock));
            let found = if yes {
                let act = service::Act::by(vpa);
                service::profiles::forget(&desk, vpa, &act).await
            } else {
                service::profiles::forget_preview(&desk, vpa).await
            };
            match found {
                Ok(f) if yes => {
                    emit(lang, &present::profiles::forgotten(lang, &f))?;
                    Ok(ExitCode::SUCCESS)
                }
                Ok(f) => {
                    let mut text = present::profiles::forget_confirmation(lang, &f).content;
                    text.push('\n');
                    text.push_str(&t!(lang, "forget-cli-ask", vpa = vpa));
                    emit(lang, &text)?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(service::Error::Refused(r)) => {
                    complain(lang, &present::refusal::text(lang, &desk.config, &r))?;
                    Ok(ExitCode::from(2))
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::Check => {
            let token = token(lang)?;
            let relay = match api_base(&config) {
                Some(base) => Some(Relay::start(&base).await.map_err(|e| {
                    anyhow::anyhow!(t!(
                        lang,
                        "cli-relay-failed",
                        base = base,
                        error = e.to_string()
                    ))
                })?),
                None => None,
            };
            let connection = match &relay {
                Some(relay) => bot::Connection::Client(relay.client()),
                None => bot::Connection::Discord,
            };
            let http = bot::http_client(&token, &connection);
            let (guild, problems) = bot::setup_check::run(&http, &config).await;
            if let Some(relay) = relay {
                relay.shutdown().await;
            }
            let text = present::setup::report(lang, &guild, &problems);
            if problems.is_empty() {
                emit(lang, &text)?;
                Ok(ExitCode::SUCCESS)
            } else {
                complain(lang, &text)?;
                Ok(ExitCode::FAILURE)
            }
        }
        Command::Serve => {
            let db = Db::connect(&cli.database_url).await?;
            let token = token(lang)?;
            let api_base = api_base(&config);
            let desk = Desk::new(db, config, Arc::new(SystemClock));
            match api_base {
                Some(base) => {
                    serve_through_relay(desk, &token, &base, shutdown_signal()).await?;
                }
                None => {
                    let connection = bot::Connection::Discord;
                    serve(desk, &token, &connection, shutdown_signal()).await?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The bot's token from `DISCORD_TOKEN`.
fn token(lang: Lang) -> anyhow::Result<String> {
    let token = std::env::var("DISCORD_TOKEN").unwrap_or_default();
    if token.trim().is_empty() {
        anyhow::bail!(t!(lang, "cli-no-token"));
    }
    Ok(token.trim().to_string())
}

/// A Discord-compatible server instead of discord.com: `DISCORD_API_BASE`, else
/// `discord.api_base`.
fn api_base(config: &Config) -> Option<String> {
    std::env::var("DISCORD_API_BASE")
        .ok()
        .filter(|b| !b.trim().is_empty())
        .or_else(|| Some(config.settings.discord.api_base.clone()).filter(|b| !b.trim().is_empty()))
        .map(|b| b.trim().to_string())
}

/// Writes a command's output with a line end. A reader that went away (`| head -3`) ends the
/// output quietly, as with any Unix tool; a write that fails otherwise (`> /dev/full`) is an
/// error that says so — instead of the panic `println!` gives.
pub fn emit(lang: Lang, text: &str) -> anyhow::Result<()> {
    write_line(lang, &mut std::io::stdout().lock(), text)
}

/// Like [`emit`], on stderr (what was wrong with the input).
pub fn complain(lang: Lang, text: &str) -> anyhow::Result<()> {
    write_line(lang, &mut std::io::stderr().lock(), text)
}

fn write_line(lang: Lang, out: &mut impl std::io::Write, text: &str) -> anyhow::Result<()> {
    let written = out
        .write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            let reason = match e.raw_os_error() {
                // ENOSPC
                Some(28) => t!(lang, "cli-output-full"),
                _ => e.to_string(),
            };
            Err(anyhow::anyhow!(t!(
                lang,
                "cli-output-failed",
                reason = reason
            )))
        }
    }
}

/// How a failure of the command line reads (in the shipped language: the configuration that
/// names another may be what failed). A refused configuration says the file, the key or line,
/// and what is accepted.
pub fn error_line(error: &anyhow::Error) -> String {
    let lang = present::default_lang(&Config::embedded());
    if let Some(config) = error.downcast_ref::<ConfigError>() {
        return present::config::error(lang, config);
    }
    if let Some(open) = error.downcast_ref::<service::OpenError>() {
        return present::config::open_error(lang, open);
    }
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
