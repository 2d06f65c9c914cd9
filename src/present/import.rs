//! The CSV import's report as the command line prints it.

use super::catalog::{Lang, t};
use super::discord::cut;
use super::format;
use crate::domain::ids::IdProblem;
use crate::domain::import::{COLUMNS, RowError, RowProblem};
use crate::domain::vpa::NameProblem;
use crate::service::import::ImportReport;

/// After a successful import.
pub fn done(lang: Lang, report: &ImportReport) -> String {
    t!(
        lang,
        "import-done",
        created = report.created,
        updated = report.updated,
        unchanged = report.unchanged
    )
}

/// Before the list of bad rows.
pub fn refused(lang: Lang, errors: usize) -> String {
    t!(lang, "import-refused", errors = errors)
}

fn shown(lang: Lang, input: &str) -> String {
    if input.is_empty() {
        t!(lang, "format-nothing")
    } else {
        format::quoted(lang, &cut(input, 60))
    }
}

/// One problem of the file.
pub fn problem(lang: Lang, problem: &RowProblem) -> String {
    let input = |text: &str| cut(text, 60);
    match problem {
        RowProblem::NotUtf8 => t!(lang, "import-not-utf8"),
        RowProblem::Semicolons => t!(lang, "import-semicolons"),
        RowProblem::HeaderUnreadable(e) => t!(lang, "import-header-unreadable", error = e.as_str()),
        RowProblem::HeaderMismatch { missing, unknown } => {
            let mut text = t!(lang, "import-header-mismatch");
            if !missing.is_empty() {
                text.push(' ');
                text.push_str(&t!(
                    lang,
                    "import-header-missing",
                    columns = missing.join(", ")
                ));
            }
            if !unknown.is_empty() {
                text.push(' ');
                text.push_str(&t!(
                    lang,
                    "import-header-unknown",
                    columns = unknown.join(", ")
                ));
            }
            text.push(' ');
            text.push_str(&t!(
                lang,
                "import-header-expected",
                columns = COLUMNS.join(",")
            ));
            text
        }
        RowProblem::FieldCount { found, expected } => {
            t!(
                lang,
                "import-field-count",
                found = *found,
                expected = *expected
            )
        }
        RowProblem::Unreadable(e) => t!(lang, "import-unreadable", error = e.as_str()),
        RowProblem::ScientificId(text) => t!(lang, "import-scientific-id", input = input(text)),
        RowProblem::NotAnId(text, problem) => {
            let shown = shown(lang, text);
            match problem {
                IdProblem::Zero => t!(lang, "import-id-zero", shown = shown),
                IdProblem::TooLarge => t!(lang, "import-id-too-large", shown = shown),
                IdProblem::Empty | IdProblem::NotDigits => {
                    t!(lang, "import-not-an-id", shown = shown)
                }
            }
        }
        RowProblem::DuplicateId { id, first_line } => {
            t!(
                lang,
                "import-duplicate-id",
                id = *id,
                first = first_line.to_string()
            )
        }
        RowProblem::NameMissing => t!(lang, "import-name-missing"),
        RowProblem::NameInvalid(NameProblem::ControlCharacters) => {
            t!(lang, "import-name-control")
        }
        RowProblem::NameInvalid(NameProblem::Mention) => t!(lang, "import-name-mention"),
        RowProblem::NameTooLong { chars, max } => {
            t!(lang, "import-name-too-long", chars = *chars, max = *max)
        }
        RowProblem::HoursOutOfRange { input: text, max } => {
            t!(
                lang,
                "import-hours-out-of-range",
                input = input(text),
                max = format::decimal(lang, *max)
            )
        }
        RowProblem::HoursNotANumber(text) => {
            t!(lang, "import-hours-not-a-number", input = input(text))
        }
        RowProblem::NotAFlag(text) => t!(lang, "import-not-a-flag", shown = shown(lang, text)),
        RowProblem::NotADate(text) => t!(lang, "import-not-a-date", input = input(text)),
        RowProblem::CompetenceWithoutLevel(text) => {
            t!(lang, "import-competence-without-level", input = input(text))
        }
        RowProblem::UnknownCompetence {
            input: text,
            closest,
        } => t!(
            lang,
            "import-unknown-competence",
            input = input(text),
            closest = closest.join(", ")
        ),
        RowProblem::UnknownLevel {
            input: text,
            competence,
        } => t!(
            lang,
            "import-unknown-level",
            input = input(text),
            competence = competence.as_str()
        ),
        RowProblem::DuplicateCompetence(key) => {
            t!(
                lang,
                "import-duplicate-competence",
                competence = key.as_str()
            )
        }
        RowProblem::Empty => t!(lang, "import-empty"),
    }
}

/// One bad row with where it is.
pub fn row_error(lang: Lang, e: &RowError) -> String {
    let problem = problem(lang, &e.problem);
    match (e.line, e.column.is_empty()) {
        (0, _) => problem,
        (line, true) => t!(
            lang,
            "import-at-line",
            line = line.to_string(),
            problem = problem
        ),
        (line, false) => t!(
            lang,
            "import-at-cell",
            line = line.to_string(),
            column = e.column.as_str(),
            problem = problem
        ),
    }
}
