//! Why the configuration was refused, in the operator's language: the file, the line or key,
//! what is wrong and what is accepted.

use super::catalog::t;
use super::{Lang, format};
use crate::config::{ConfigError, ParseProblem, Problem, ValueKind};
use crate::domain::competence::CatalogError;
use crate::service::{OpenError, OpenReason};

/// The whole message for a refused configuration.
pub fn error(lang: Lang, error: &ConfigError) -> String {
    match error {
        ConfigError::Read { file, source } => t!(
            lang,
            "config-cannot-read",
            file = file.display().to_string(),
            error = io_reason(lang, source)
        ),
        ConfigError::Parse {
            file,
            line,
            problem,
        } => {
            let place = match line {
                Some(line) => t!(
                    lang,
                    "config-at-line",
                    file = file.display().to_string(),
                    line = *line
                ),
                None => file.display().to_string(),
            };
            let what = match problem {
                ParseProblem::UnknownKey { key, expected } if expected.is_empty() => {
                    t!(lang, "config-unknown-key", key = key.as_str())
                }
                ParseProblem::UnknownKey { key, expected } => t!(
                    lang,
                    "config-unknown-key-expected",
                    key = key.as_str(),
                    expected = format::list(lang, expected)
                ),
                ParseProblem::UnknownValue { value, expected } => t!(
                    lang,
                    "config-unknown-value",
                    value = value.as_str(),
                    expected = format::list(lang, expected)
                ),
                ParseProblem::MissingKey(key) => t!(lang, "config-missing-key", key = key.as_str()),
                ParseProblem::WrongType { found, expected } => {
                    let expected = match expected {
                        ValueKind::Text => t!(lang, "config-kind-text"),
                        ValueKind::WholeNumber => t!(lang, "config-kind-whole-number"),
                        ValueKind::Number => t!(lang, "config-kind-number"),
                        ValueKind::YesNo => t!(lang, "config-kind-yes-no"),
                        ValueKind::Table => t!(lang, "config-kind-table"),
                        ValueKind::List => t!(lang, "config-kind-list"),
                        ValueKind::Other => t!(lang, "config-kind-other"),
                    };
                    t!(
                        lang,
                        "config-wrong-type",
                        found = found.as_str(),
                        expected = expected
                    )
                }
                ParseProblem::Toml(message) => t!(lang, "config-toml", error = message.as_str()),
            };
            t!(lang, "config-refused", place = place, problem = what)
        }
        ConfigError::Invalid { file, key, problem } => t!(
            lang,
            "config-refused",
            place = t!(
                lang,
                "config-at-key",
                file = file.display().to_string(),
                key = key.as_str()
            ),
            problem = problem_text(lang, problem)
        ),
    }
}

fn problem_text(lang: Lang, problem: &Problem) -> String {
    let n = |v: f64| format::decimal(lang, v);
    match problem {
        Problem::UnknownTimeZone(zone) => {
            t!(lang, "config-unknown-time-zone", zone = zone.as_str())
        }
        Problem::AtLeast(min) => t!(lang, "config-at-least", min = n(*min)),
        Problem::AboveUpTo { above, at_most } => t!(
            lang,
            "config-above-up-to",
            above = n(*above),
            max = n(*at_most)
        ),
        Problem::Between { min, max } => {
            t!(lang, "config-between", min = n(*min), max = n(*max))
        }
        Problem::AboveZeroNotAbove(other) => {
            t!(lang, "config-above-zero-not-above", other = *other)
        }
        Problem::TooManyMentions { at_most } => {
            t!(lang, "config-too-many-mentions", max = *at_most)
        }
        Problem::QuietHours(text) => t!(lang, "config-quiet-hours", input = text.as_str()),
        Problem::UnknownLanguage { given, available } => t!(
            lang,
            "config-unknown-language",
            given = given.as_str(),
            available = format::list(lang, available)
        ),
        Problem::NotADiscordId => t!(lang, "config-not-a-discord-id"),
        Problem::NotAUrl(text) => t!(lang, "config-not-a-url", input = text.as_str()),
        Problem::Missing => t!(lang, "config-missing"),
        Problem::Catalog(e) => match e {
            CatalogError::DuplicateKey(key) => {
                t!(lang, "config-catalog-duplicate", key = key.as_str())
            }
            CatalogError::BadKey(key) => t!(lang, "config-catalog-bad-key", key = key.as_str()),
            CatalogError::UnknownRelated {
                competence,
                related,
            } => t!(
                lang,
                "config-catalog-unknown-related",
                competence = competence.as_str(),
                related = related.as_str()
            ),
            CatalogError::Empty => t!(lang, "config-catalog-empty"),
            CatalogError::TooLarge => t!(lang, "config-catalog-too-large"),
        },
    }
}

/// Why a file cannot be read, as people say it (the system's own words for the rare rest).
pub fn io_reason(lang: Lang, error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => t!(lang, "cli-file-missing"),
        std::io::ErrorKind::PermissionDenied => t!(lang, "cli-file-forbidden"),
        std::io::ErrorKind::IsADirectory => t!(lang, "cli-file-is-folder"),
        _ => error.to_string(),
    }
}

/// Why the database could not be opened.
pub fn open_error(lang: Lang, error: &OpenError) -> String {
    match error {
        OpenError::NotSqliteUrl(url) => t!(lang, "db-not-sqlite-url", url = url.as_str()),
        OpenError::CannotOpen { url, reason } => {
            let reason = match reason {
                OpenReason::CannotCreate => t!(lang, "db-cannot-create"),
                OpenReason::NotADatabase => t!(lang, "db-not-a-database"),
                OpenReason::NewerVersion => t!(lang, "db-newer-version"),
                OpenReason::Busy => t!(lang, "db-busy"),
                OpenReason::Other(text) => text.clone(),
            };
            t!(lang, "db-cannot-open", url = url.as_str(), reason = reason)
        }
        OpenError::Damaged { url, found } => t!(
            lang,
            "db-damaged",
            url = url.as_str(),
            found = super::discord::cut(&found.join("; "), 300)
        ),
    }
}
