//! Settings from `config/default.toml` and the catalog from `config/competences.toml`.
//!
//! A missing or invalid setting stops the program with a message naming the file and the key.
//! Both files are also embedded in the binary, so `vpa-desk` runs without a config folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;

use crate::domain::area::WorkArea;
use crate::domain::competence::{Catalog, CompetenceEntry};
use crate::domain::ids::DiscordId;
use crate::domain::task::TaskLimits;

/// The shipped settings, used when no config folder exists.
pub const EMBEDDED_DEFAULT: &str = include_str!("../config/default.toml");
/// The shipped competence catalog.
pub const EMBEDDED_COMPETENCES: &str = include_str!("../config/competences.toml");
/// The shipped chat templates.
pub const EMBEDDED_TEMPLATES: &str = include_str!("../config/templates.toml");

/// A chat template (Chatvorlage) for the client.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub title: String,
    pub text: String,
}

/// The template names the playbook uses; each must be in `templates.toml`.
pub const TEMPLATE_NAMES: [&str; 4] = ["deadline", "split", "training", "external"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplatesFile {
    templates: BTreeMap<String, Template>,
}

/// Why the configuration could not be loaded. `Display` is for logs; people read it through
/// `present::config`, in their language.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {file}: {source}")]
    Read {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("{file}{}: {problem:?}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Parse {
        file: PathBuf,
        /// Where in the file (1-based), when TOML knows.
        line: Option<usize>,
        problem: ParseProblem,
    },
    #[error("{file}: key `{key}`: {problem:?}")]
    Invalid {
        file: PathBuf,
        key: String,
        problem: Problem,
    },
}

/// What TOML refused.
#[derive(Debug, Clone, PartialEq)]
pub enum ParseProblem {
    /// A key this version does not know (a typo, or one from another version).
    UnknownKey { key: String, expected: Vec<String> },
    /// A key that must be there.
    MissingKey(String),
    /// A value outside a fixed set (a work area, a level).
    UnknownValue {
        value: String,
        expected: Vec<String>,
    },
    /// A value of the wrong kind: what was found (TOML's words) and what [`ValueKind`] was due.
    WrongType { found: String, expected: ValueKind },
    /// Anything else, in TOML's own (English) words: syntax, a wrong type.
    Toml(String),
}

/// The kinds of values the files hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Text,
    WholeNumber,
    Number,
    YesNo,
    Table,
    List,
    Other,
}

impl ValueKind {
    /// From serde's "expected …" words.
    fn from_expected(expected: &str) -> ValueKind {
        let e = expected.trim();
        if e.contains("string") || e.contains("str") {
            ValueKind::Text
        } else if ["u8", "u16", "u32", "u64", "usize", "i32", "i64", "integer"]
            .iter()
            .any(|t| e.contains(t))
        {
            ValueKind::WholeNumber
        } else if e.contains("f64") || e.contains("f32") || e.contains("float") {
            ValueKind::Number
        } else if e.contains("bool") {
            ValueKind::YesNo
        } else if e.contains("map") || e.contains("struct") || e.contains("table") {
            ValueKind::Table
        } else if e.contains("seq") || e.contains("array") {
            ValueKind::List
        } else {
            ValueKind::Other
        }
    }
}

/// What is wrong with a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// Not an IANA time zone.
    UnknownTimeZone(String),
    /// Below the least sensible value.
    AtLeast(f64),
    /// Outside `(above, at_most]`.
    AboveUpTo { above: f64, at_most: f64 },
    /// Outside `[min, max]`.
    Between { min: f64, max: f64 },
    /// Must be above 0 and not above the other key's value.
    AboveZeroNotAbove(&'static str),
    /// More than fit into one post (a post must mention everyone it surveys).
    TooManyMentions { at_most: usize },
    /// Not `"HH:MM-HH:MM"` or `""`.
    QuietHours(String),
    /// No language folder in the message catalog.
    UnknownLanguage {
        given: String,
        available: Vec<String>,
    },
    /// Not a Discord id.
    NotADiscordId,
    /// Not an http(s) address.
    NotAUrl(String),
    /// Absent although required.
    Missing,
    /// The competence catalog is inconsistent.
    Catalog(crate::domain::competence::CatalogError),
}

/// The longest survey window accepted: a month. Beyond it a round never ends in practice, and
/// far beyond it the deadline cannot even be computed.
pub const MAX_WINDOW_HOURS: f64 = 720.0;

/// The largest pool minimum accepted (a typo guard: the source's figure is "ca. 10").
pub const MAX_POOL: u32 = 10_000;
/// The largest task size accepted, in hours.
pub const MAX_TASK_HOURS: f64 = 10_000.0;
/// The longest newbie period and nudge cool-down accepted: a year.
pub const MAX_NEWBIE_DAYS: u32 = 365;

/// Turns TOML's error into a [`ConfigError::Parse`] with the line it points at.
fn parse_error(file: &Path, text: &str, error: &toml::de::Error) -> ConfigError {
    let line = error
        .span()
        .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
    let message = error.message();
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_string);
    let listed = |rest: &str| -> Vec<String> {
        rest.split_once("expected")
            .map(|(_, list)| {
                list.split('`')
                    .skip(1)
                    .step_by(2)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let problem = if let Some(rest) = message.strip_prefix("unknown variant ") {
        ParseProblem::UnknownValue {
            value: quoted(rest).unwrap_or_default(),
            expected: listed(rest),
        }
    } else if let Some(rest) = message.strip_prefix("unknown field ") {
        ParseProblem::UnknownKey {
            key: quoted(rest).unwrap_or_default(),
            expected: listed(rest),
        }
    } else if let Some(rest) = message.strip_prefix("missing field ") {
        ParseProblem::MissingKey(quoted(rest).unwrap_or_default())
    } else if let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        .and_then(|rest| rest.split_once(", expected "))
    {
        // "integer `5`", "string \"x\"": the value as written, without serde's type word.
        let found = found.replace('`', "");
        let found = match found.split_once(' ') {
            Some((word, value)) if ["integer", "string", "float", "boolean"].contains(&word) => {
                value.to_string()
            }
            _ => found,
        };
        ParseProblem::WrongType {
            found,
            expected: ValueKind::from_expected(expected),
        }
    } else {
        ParseProblem::Toml(message.trim().to_string())
    };
    ConfigError::Parse {
        file: file.to_path_buf(),
        line,
        problem,
    }
}

/// Pool-health settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolSettings {
    /// VPAs available for new clients the pool should always have (the source's "ca. 10").
    pub min_available: u32,
    #[serde(default)]
    pub area_minimums: BTreeMap<WorkArea, u32>,
}

/// Task sizes and input limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskSettings {
    pub standard_hours: f64,
    pub large_hours: f64,
    pub min_hours: f64,
    pub max_hours: f64,
}

/// Survey settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveySettings {
    pub max_mentions: usize,
    #[serde(default)]
    pub quiet_hours: QuietHours,
    pub window_hours: BTreeMap<WorkArea, f64>,
}

/// Hours of the agency's day in which role pings are held back (`"22:00-07:00"`, may wrap
/// midnight); none when the setting is empty. Parsed when the configuration loads; text that is
/// no range is refused there (naming the key), not by TOML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuietHours {
    text: String,
    range: Option<(u32, u32)>,
}

impl QuietHours {
    /// Whether the text was a range or empty.
    fn is_valid(&self) -> bool {
        self.range.is_some() || self.text.trim().is_empty()
    }
}

impl std::str::FromStr for QuietHours {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let hours = QuietHours {
            text: text.to_string(),
            range: parse_quiet_hours(text),
        };
        if hours.is_valid() {
            Ok(hours)
        } else {
            Err(text.to_string())
        }
    }
}

impl<'de> Deserialize<'de> for QuietHours {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Ok(QuietHours {
            range: parse_quiet_hours(&text),
            text,
        })
    }
}

/// Newbie settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewbieSettings {
    pub period_days: u32,
    pub nudge_cooldown_days: u32,
    /// A newbie's profile is complete with at least this many competences (one of them in the
    /// back office).
    #[serde(default = "default_min_competences")]
    pub min_competences: u32,
    /// The weekly nudge: ISO weekday (1 Monday … 7 Sunday) and full hour, agency time.
    #[serde(default = "default_nudge_weekday")]
    pub nudge_weekday: u32,
    #[serde(default = "default_nudge_hour")]
    pub nudge_hour: u32,
}

fn default_min_competences() -> u32 {
    3
}

fn default_nudge_weekday() -> u32 {
    2
}

fn default_nudge_hour() -> u32 {
    10
}

/// The most competences a complete profile can be asked for (the catalog has about 20).
pub const MAX_MIN_COMPETENCES: u32 = 20;

/// Fallback-playbook settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaybookSettings {
    pub illogical_decline_below_utilization: f64,
}

/// Where the bot lives in Discord.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordSettings {
    /// A Discord-compatible server instead of discord.com; empty for the real one.
    #[serde(default)]
    pub api_base: String,
    pub guild_id: DiscordId,
    pub surveys_channel_id: DiscordId,
    pub manager_channel_id: DiscordId,
    pub newbies_channel_id: DiscordId,
    /// Where members who refuse DMs are asked to open them; none: the newbies channel.
    #[serde(default)]
    pub dm_fallback_channel_id: Option<DiscordId>,
    pub coordinator_role_id: DiscordId,
    pub manager_role_id: DiscordId,
    pub vpa_role_id: DiscordId,
}

impl DiscordSettings {
    /// Where members who refuse DMs are asked to open them.
    pub fn dm_fallback_channel(&self) -> DiscordId {
        self.dm_fallback_channel_id
            .unwrap_or(self.newbies_channel_id)
    }
}

/// Everything in `default.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub timezone: String,
    /// The language of posts in channels and of everyone whose language is not known
    /// (a language folder of the message catalog, e.g. `de`).
    #[serde(default = "default_locale")]
    pub locale: String,
    pub pool: PoolSettings,
    pub tasks: TaskSettings,
    pub survey: SurveySettings,
    pub newbies: NewbieSettings,
    pub playbook: PlaybookSettings,
    #[serde(default)]
    pub change: ChangeSettings,
    #[serde(default)]
    pub retention: RetentionSettings,
    #[serde(default)]
    pub digest: DigestSettings,
    pub discord: DiscordSettings,
}

/// When demand or the pool changes: how long a handed-on task is offered to each VPA of its
/// waitlist before the next one is asked.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeSettings {
    /// Minutes outside quiet hours (within them the clock waits).
    #[serde(default = "default_offer_minutes")]
    pub offer_minutes: u32,
}

impl Default for ChangeSettings {
    fn default() -> ChangeSettings {
        ChangeSettings {
            offer_minutes: default_offer_minutes(),
        }
    }
}

fn default_offer_minutes() -> u32 {
    60
}

/// When the weekly digest goes to the manager channel (agency time zone).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestSettings {
    /// ISO weekday: 1 Monday … 7 Sunday.
    #[serde(default = "default_digest_weekday")]
    pub weekday: u32,
    /// Full hour, 0–23.
    #[serde(default = "default_digest_hour")]
    pub hour: u32,
}

impl Default for DigestSettings {
    fn default() -> DigestSettings {
        DigestSettings {
            weekday: default_digest_weekday(),
            hour: default_digest_hour(),
        }
    }
}

fn default_digest_weekday() -> u32 {
    1
}

fn default_digest_hour() -> u32 {
    8
}

/// How long the bot keeps what it needs only for a while.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionSettings {
    /// Days a handled Discord event is remembered (against a repeated delivery; Discord replays
    /// within minutes).
    #[serde(default = "default_processed_events_days")]
    pub processed_events_days: u32,
    /// Days a delivered message stays in the outbox (DM texts name clients).
    #[serde(default = "default_delivered_outbox_days")]
    pub delivered_outbox_days: u32,
}

impl Default for RetentionSettings {
    fn default() -> RetentionSettings {
        RetentionSettings {
            processed_events_days: default_processed_events_days(),
            delivered_outbox_days: default_delivered_outbox_days(),
        }
    }
}

fn default_processed_events_days() -> u32 {
    7
}

fn default_delivered_outbox_days() -> u32 {
    30
}

/// The longest anything is kept for: ten years.
pub const MAX_RETENTION_DAYS: u32 = 3650;

/// The longest an offer may stay open: a week of minutes.
pub const MAX_OFFER_MINUTES: u32 = 7 * 24 * 60;

fn default_locale() -> String {
    "de".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    competence: Vec<CompetenceEntry>,
}

/// The loaded configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub settings: Settings,
    pub timezone: Tz,
    pub catalog: Catalog,
    pub templates: BTreeMap<String, Template>,
}

impl Config {
    /// Loads `default.toml` and `competences.toml` from `dir`.
    pub fn load(dir: &Path) -> Result<Config, ConfigError> {
        let read = |name: &str| {
            let file = dir.join(name);
            std::fs::read_to_string(&file)
                .map(|text| (file.clone(), text))
                .map_err(|source| ConfigError::Read { file, source })
        };
        let (settings_file, settings) = read("default.toml")?;
        let (catalog_file, catalog) = read("competences.toml")?;
        let mut config = Config::from_texts(&settings_file, &settings, &catalog_file, &catalog)?;
        let templates_file = dir.join("templates.toml");
        // Older config folders have no templates: the built-in ones apply.
        if templates_file.exists() {
            let text =
                std::fs::read_to_string(&templates_file).map_err(|source| ConfigError::Read {
                    file: templates_file.clone(),
                    source,
                })?;
            config.templates = parse_templates(&templates_file, &text)?;
        }
        Ok(config)
    }

    /// The settings and catalog embedded in the binary.
    pub fn embedded() -> Config {
        Config::from_texts(
            Path::new("<embedded>/default.toml"),
            EMBEDDED_DEFAULT,
            Path::new("<embedded>/competences.toml"),
            EMBEDDED_COMPETENCES,
        )
        .expect("the embedded configuration is valid (checked by a unit test)")
    }

    /// Parses and checks both files' contents.
    pub fn from_texts(
        settings_file: &Path,
        settings: &str,
        catalog_file: &Path,
        catalog: &str,
    ) -> Result<Config, ConfigError> {
        let text = settings;
        let settings: Settings =
            toml::from_str(text).map_err(|e| parse_error(settings_file, text, &e))?;
        let invalid = |key: &str, problem: Problem| ConfigError::Invalid {
            file: settings_file.to_path_buf(),
            key: key.to_string(),
            problem,
        };
        let timezone: Tz = settings.timezone.parse().map_err(|_| {
            invalid(
                "timezone",
                Problem::UnknownTimeZone(settings.timezone.clone()),
            )
        })?;
        let between = |min: f64, max: f64| Problem::Between { min, max };
        if !(1..=MAX_POOL).contains(&settings.pool.min_available) {
            return Err(invalid(
                "pool.min_available",
                between(1.0, f64::from(MAX_POOL)),
            ));
        }
        for (area, minimum) in &settings.pool.area_minimums {
            if *minimum > MAX_POOL {
                return Err(invalid(
                    &format!("pool.area_minimums.{area}"),
                    between(0.0, f64::from(MAX_POOL)),
                ));
            }
        }
        let max_hours = settings.tasks.max_hours;
        if !(max_hours > 0.0 && max_hours <= MAX_TASK_HOURS) {
            return Err(invalid(
                "tasks.max_hours",
                Problem::AboveUpTo {
                    above: 0.0,
                    at_most: MAX_TASK_HOURS,
                },
            ));
        }
        let t = &settings.tasks;
        if !(t.min_hours > 0.0 && t.min_hours <= t.max_hours) {
            return Err(invalid(
                "tasks.min_hours",
                Problem::AboveZeroNotAbove("tasks.max_hours"),
            ));
        }
        if !(t.standard_hours > 0.0 && t.standard_hours <= t.large_hours) {
            return Err(invalid(
                "tasks.standard_hours",
                Problem::AboveZeroNotAbove("tasks.large_hours"),
            ));
        }
        // Discord lets one message name at most 100 users; what fits into its 2,000 characters
        // besides the headline is checked against the rendered post at start (`cli`).
        if !(1..=100).contains(&settings.survey.max_mentions) {
            return Err(invalid(
                "survey.max_mentions",
                Problem::Between {
                    min: 1.0,
                    max: 100.0,
                },
            ));
        }
        if !settings.survey.quiet_hours.is_valid() {
            return Err(invalid(
                "survey.quiet_hours",
                Problem::QuietHours(settings.survey.quiet_hours.text.clone()),
            ));
        }
        for area in WorkArea::ALL {
            let key = format!("survey.window_hours.{area}");
            match settings.survey.window_hours.get(&area) {
                Some(h) if *h > 0.0 && *h <= MAX_WINDOW_HOURS => {}
                Some(_) => {
                    return Err(invalid(
                        &key,
                        Problem::AboveUpTo {
                            above: 0.0,
                            at_most: MAX_WINDOW_HOURS,
                        },
                    ));
                }
                None => return Err(invalid(&key, Problem::Missing)),
            }
        }
        if !(1..=MAX_OFFER_MINUTES).contains(&settings.change.offer_minutes) {
            return Err(invalid(
                "change.offer_minutes",
                between(1.0, f64::from(MAX_OFFER_MINUTES)),
            ));
        }
        for (key, days) in [
            (
                "retention.processed_events_days",
                settings.retention.processed_events_days,
            ),
            (
                "retention.delivered_outbox_days",
                settings.retention.delivered_outbox_days,
            ),
        ] {
            if !(1..=MAX_RETENTION_DAYS).contains(&days) {
                return Err(invalid(key, between(1.0, f64::from(MAX_RETENTION_DAYS))));
            }
        }
        if !(1..=7).contains(&settings.digest.weekday) {
            return Err(invalid("digest.weekday", between(1.0, 7.0)));
        }
        if settings.digest.hour > 23 {
            return Err(invalid("digest.hour", between(0.0, 23.0)));
        }
        let n = &settings.newbies;
        if !(1..=MAX_NEWBIE_DAYS).contains(&n.period_days) {
            return Err(invalid(
                "newbies.period_days",
                between(1.0, f64::from(MAX_NEWBIE_DAYS)),
            ));
        }
        if !(1..=MAX_NEWBIE_DAYS).contains(&n.nudge_cooldown_days) {
            return Err(invalid(
                "newbies.nudge_cooldown_days",
                between(1.0, f64::from(MAX_NEWBIE_DAYS)),
            ));
        }
        if !(1..=MAX_MIN_COMPETENCES).contains(&n.min_competences) {
            return Err(invalid(
                "newbies.min_competences",
                between(1.0, f64::from(MAX_MIN_COMPETENCES)),
            ));
        }
        if !(1..=7).contains(&n.nudge_weekday) {
            return Err(invalid("newbies.nudge_weekday", between(1.0, 7.0)));
        }
        if n.nudge_hour > 23 {
            return Err(invalid("newbies.nudge_hour", between(0.0, 23.0)));
        }
        let base = settings.discord.api_base.trim();
        if !(base.is_empty() || base.starts_with("http://") || base.starts_with("https://")) {
            return Err(invalid(
                "discord.api_base",
                Problem::NotAUrl(base.to_string()),
            ));
        }
        let share = settings.playbook.illogical_decline_below_utilization;
        if !(0.0..=1.0).contains(&share) {
            return Err(invalid(
                "playbook.illogical_decline_below_utilization",
                Problem::Between { min: 0.0, max: 1.0 },
            ));
        }
        let d = &settings.discord;
        for (key, value) in [
            ("discord.guild_id", d.guild_id),
            ("discord.surveys_channel_id", d.surveys_channel_id),
            ("discord.manager_channel_id", d.manager_channel_id),
            ("discord.newbies_channel_id", d.newbies_channel_id),
            ("discord.coordinator_role_id", d.coordinator_role_id),
            ("discord.manager_role_id", d.manager_role_id),
            ("discord.vpa_role_id", d.vpa_role_id),
            (
                "discord.dm_fallback_channel_id",
                d.dm_fallback_channel_id.unwrap_or(d.newbies_channel_id),
            ),
        ] {
            if !value.is_snowflake() {
                return Err(invalid(key, Problem::NotADiscordId));
            }
        }
        let entries: CatalogFile =
            toml::from_str(catalog).map_err(|e| parse_error(catalog_file, catalog, &e))?;
        let catalog = Catalog::new(entries.competence).map_err(|e| ConfigError::Invalid {
            file: catalog_file.to_path_buf(),
            key: "competence".into(),
            problem: Problem::Catalog(e),
        })?;
        let templates =
            parse_templates(Path::new("<embedded>/templates.toml"), EMBEDDED_TEMPLATES)?;
        Ok(Config {
            settings,
            timezone,
            catalog,
            templates,
        })
    }

    /// Input limits for tasks.
    pub fn task_limits(&self) -> TaskLimits {
        TaskLimits {
            min_hours: self.settings.tasks.min_hours,
            max_hours: self.settings.tasks.max_hours,
            ..TaskLimits::default()
        }
    }

    /// How long a survey round in `area` stays open.
    pub fn survey_window(&self, area: WorkArea) -> chrono::Duration {
        let hours = self
            .settings
            .survey
            .window_hours
            .get(&area)
            .copied()
            .unwrap_or(24.0);
        chrono::Duration::seconds((hours * 3600.0).round() as i64)
    }
}

impl Config {
    /// The instant `minutes` after `now` counting only time outside quiet hours: an offer made
    /// at night starts counting when the quiet hours end.
    pub fn after_active_minutes(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        minutes: u32,
    ) -> chrono::DateTime<chrono::Utc> {
        let mut at = now;
        let mut left = i64::from(minutes);
        // Minute steps: at most a week of them, and quiet hours are skipped in one jump.
        while left > 0 {
            if let Some(end) = self.quiet_hours_end(at) {
                at = end;
                continue;
            }
            at += chrono::Duration::minutes(1);
            left -= 1;
        }
        at
    }

    /// When the quiet hours around `now` end, if `now` falls within them (role pings wait).
    pub fn quiet_hours_end(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        use chrono::{TimeZone, Timelike};
        let (start, end) = self.settings.survey.quiet_hours.range?;
        let local = now.with_timezone(&self.timezone);
        let minute = local.hour() * 60 + local.minute();
        let inside = if start <= end {
            minute >= start && minute < end
        } else {
            minute >= start || minute < end
        };
        if !inside {
            return None;
        }
        let mut day = local.date_naive();
        if start > end && minute >= start {
            day = day.succ_opt()?;
        }
        let end_time = chrono::NaiveTime::from_hms_opt(end / 60, end % 60, 0)?;
        self.timezone
            .from_local_datetime(&day.and_time(end_time))
            .earliest()
            .map(|t| t.with_timezone(&chrono::Utc))
    }
}

fn parse_templates(file: &Path, text: &str) -> Result<BTreeMap<String, Template>, ConfigError> {
    let parsed: TemplatesFile = toml::from_str(text).map_err(|e| parse_error(file, text, &e))?;
    for name in TEMPLATE_NAMES {
        if !parsed.templates.contains_key(name) {
            return Err(ConfigError::Invalid {
                file: file.to_path_buf(),
                key: format!("templates.{name}"),
                problem: Problem::Missing,
            });
        }
    }
    Ok(parsed.templates)
}

/// Parses "HH:MM-HH:MM" into minutes after midnight (start, end); the range may wrap midnight.
pub fn parse_quiet_hours(text: &str) -> Option<(u32, u32)> {
    let (from, to) = text.trim().split_once('-')?;
    let minutes = |t: &str| {
        let (h, m) = t.trim().split_once(':')?;
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60).then_some(h * 60 + m)
    };
    Some((minutes(from)?, minutes(to)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_with(settings: &str) -> Result<Config, ConfigError> {
        Config::from_texts(
            Path::new("default.toml"),
            settings,
            Path::new("competences.toml"),
            EMBEDDED_COMPETENCES,
        )
    }

    #[test]
    fn the_shipped_configuration_is_valid() {
        let config = Config::embedded();
        assert_eq!(config.settings.pool.min_available, 10);
        assert_eq!(
            config.survey_window(WorkArea::Backoffice),
            chrono::Duration::hours(4)
        );
        assert_eq!(
            config.survey_window(WorkArea::Marketing),
            chrono::Duration::hours(24)
        );
        assert_eq!(
            config.survey_window(WorkArea::Software),
            chrono::Duration::hours(48)
        );
        assert_eq!(config.settings.tasks.large_hours, 20.0);
    }

    #[test]
    fn a_missing_key_names_the_file_and_key() {
        let text = EMBEDDED_DEFAULT.replace("min_available = 10\n", "");
        let err = load_with(&text).unwrap_err().to_string();
        assert!(
            err.contains("default.toml") && err.contains("min_available"),
            "{err}"
        );
    }

    #[test]
    fn an_invalid_value_names_the_key() {
        let text = EMBEDDED_DEFAULT.replace(
            "timezone = \"Europe/Berlin\"",
            "timezone = \"Mars/Olympus\"",
        );
        let err = load_with(&text).unwrap_err().to_string();
        assert!(err.contains("key `timezone`"), "{err}");
        let text = EMBEDDED_DEFAULT.replace("marketing = 24", "marketing = 0");
        let err = load_with(&text).unwrap_err().to_string();
        assert!(err.contains("survey.window_hours.marketing"), "{err}");
        let text = EMBEDDED_DEFAULT.replace("quiet_hours = \"\"", "quiet_hours = \"spät\"");
        assert!(
            load_with(&text)
                .unwrap_err()
                .to_string()
                .contains("survey.quiet_hours")
        );
    }

    #[test]
    fn an_unknown_key_is_refused() {
        let text = EMBEDDED_DEFAULT.replace("[pool]\n", "[pool]\nmin_availabel = 3\n");
        let err = load_with(&text).unwrap_err().to_string();
        assert!(err.contains("min_availabel"), "{err}");
    }

    #[test]
    fn quiet_hours_end_wraps_midnight() {
        let mut config = Config::embedded();
        assert_eq!(
            config.quiet_hours_end("2026-11-30T22:30:00Z".parse().unwrap()),
            None
        );
        config.settings.survey.quiet_hours = "22:00-07:00".parse().unwrap();
        // 23:30 Berlin (22:30 UTC) → quiet until 07:00 Berlin next day (06:00 UTC).
        assert_eq!(
            config.quiet_hours_end("2026-11-30T22:30:00Z".parse().unwrap()),
            Some("2026-12-01T06:00:00Z".parse().unwrap())
        );
        assert_eq!(
            config.quiet_hours_end("2026-12-01T05:00:00Z".parse().unwrap()),
            Some("2026-12-01T06:00:00Z".parse().unwrap())
        );
        assert_eq!(
            config.quiet_hours_end("2026-12-01T09:00:00Z".parse().unwrap()),
            None
        );
    }

    #[test]
    fn quiet_hours_parse() {
        assert_eq!(parse_quiet_hours("22:00-07:30"), Some((1320, 450)));
        assert_eq!(parse_quiet_hours("25:00-07:00"), None);
    }
}
