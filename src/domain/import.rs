//! Reading an existing pool from CSV: every bad row reported with line, column and the problem
//! (said in the reader's language by `present`); either every row is good or nothing is taken.

use std::collections::{BTreeSet, HashMap};

use super::competence::{Catalog, Level};
use super::dates::parse_date;
use super::ids::{DiscordId, IdProblem};
use super::vpa::{HeldCompetence, MAX_WEEKLY_HOURS, NameProblem, Vpa, check_name};

/// The columns of the import file, in the documented order.
pub const COLUMNS: [&str; 10] = [
    "discord_id",
    "name",
    "weekly_hours",
    "wants_tasks",
    "wants_new_clients",
    "vt_stop_until",
    "absent_until",
    "willing_to_train",
    "joined_on",
    "competences",
];

/// Columns the import takes besides, when a file has them (an export has): without them an
/// imported VPA is present and active.
pub const OPTIONAL_COLUMNS: [&str; 2] = ["absent_from", "active"];

/// One problem in the file. `line` is 1-based and counts the header (0: the whole file);
/// `column` is empty for problems of the whole file or row.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub line: u64,
    pub column: String,
    pub problem: RowProblem,
}

/// What is wrong in a file, a row or a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum RowProblem {
    /// The file is not UTF-8.
    NotUtf8,
    /// Separated by `;` (German Excel) instead of `,`.
    Semicolons,
    /// The header cannot be read at all.
    HeaderUnreadable(String),
    /// The header lacks or has extra columns.
    HeaderMismatch {
        missing: Vec<&'static str>,
        unknown: Vec<String>,
    },
    /// A row has another number of fields than the header.
    FieldCount {
        found: usize,
        expected: usize,
    },
    /// A row cannot be read.
    Unreadable(String),
    /// An id Excel turned into scientific notation.
    ScientificId(String),
    /// Not a Discord id (empty when the cell is), and why.
    NotAnId(String, IdProblem),
    DuplicateId {
        id: DiscordId,
        first_line: u64,
    },
    NameMissing,
    /// A name with control characters or mention syntax.
    NameInvalid(NameProblem),
    NameTooLong {
        chars: usize,
        max: usize,
    },
    HoursOutOfRange {
        input: String,
        max: f64,
    },
    HoursNotANumber(String),
    /// Not a yes/no value (empty when the cell is).
    NotAFlag(String),
    NotADate(String),
    /// A competence without `:level`.
    CompetenceWithoutLevel(String),
    /// A competence key not in the catalog, with the closest keys.
    UnknownCompetence {
        input: String,
        closest: Vec<String>,
    },
    UnknownLevel {
        input: String,
        competence: String,
    },
    DuplicateCompetence(String),
    /// Only the header.
    Empty,
}

/// Longest name a VPA may have.
pub const MAX_NAME_CHARS: usize = 100;

/// Parses the whole file; either every row is good or every problem is returned.
pub fn parse(bytes: &[u8], catalog: &Catalog) -> Result<Vec<Vpa>, Vec<RowError>> {
    let file_error = |problem: RowProblem| {
        vec![RowError {
            line: 0,
            column: String::new(),
            problem,
        }]
    };
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| file_error(RowProblem::NotUtf8))?;
    let header_line = text.lines().next().unwrap_or_default();
    if header_line.contains(';') && !header_line.contains(',') {
        return Err(file_error(RowProblem::Semicolons));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| file_error(RowProblem::HeaderUnreadable(e.to_string())))?
        .clone();
    let names: Vec<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
    let missing: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| !names.iter().any(|n| n == c))
        .collect();
    let unknown: Vec<String> = names
        .iter()
        .filter(|n| !COLUMNS.contains(&n.as_str()) && !OPTIONAL_COLUMNS.contains(&n.as_str()))
        .cloned()
        .collect();
    if !missing.is_empty() || !unknown.is_empty() {
        return Err(vec![RowError {
            line: 1,
            column: String::new(),
            problem: RowProblem::HeaderMismatch { missing, unknown },
        }]);
    }
    let column: HashMap<&str, usize> = COLUMNS
        .iter()
        .map(|c| (*c, names.iter().position(|n| n == c).unwrap_or_default()))
        .collect();
    let optional: HashMap<&str, usize> = OPTIONAL_COLUMNS
        .iter()
        .filter_map(|c| Some((*c, names.iter().position(|n| n == c)?)))
        .collect();
    let mut vpas = Vec::new();
    let mut errors = Vec::new();
    let mut first_line_of: HashMap<DiscordId, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let problem = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => RowProblem::FieldCount {
                        found: *len as usize,
                        expected: *expected_len as usize,
                    },
                    _ => RowProblem::Unreadable(e.to_string()),
                };
                errors.push(RowError {
                    line,
                    column: String::new(),
                    problem,
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let field = |name: &str| record.get(column[name]).unwrap_or_default().trim();
        let mut row = RowParser {
            line,
            errors: &mut errors,
        };
        let id = row.discord_id(field("discord_id"));
        let name = row.name(field("name"));
        let weekly_hours = row.hours(field("weekly_hours"));
        let wants_tasks = row.flag("wants_tasks", field("wants_tasks"));
        let wants_new_clients = row.flag("wants_new_clients", field("wants_new_clients"));
        let vt_stop_until = row.date("vt_stop_until", field("vt_stop_until"));
        let absent_until = row.date("absent_until", field("absent_until"));
        let willing_to_train = row.flag("willing_to_train", field("willing_to_train"));
        let joined_on = row.date("joined_on", field("joined_on"));
        let competences = row.competences(field("competences"), catalog);
        let optional_field = |name: &str| {
            optional
                .get(name)
                .map(|i| record.get(*i).unwrap_or_default().trim())
        };
        // Present in the file: taken as written (empty: none / active).
        let absent_from = match optional_field("absent_from") {
            Some(text) => row.date("absent_from", text),
            None => Some(None),
        };
        let active = match optional_field("active") {
            Some("") | None => Some(true),
            Some(text) => row.flag("active", text),
        };
        if let Some(id) = id {
            if let Some(first) = first_line_of.insert(id, line) {
                row.push(
                    "discord_id",
                    RowProblem::DuplicateId {
                        id,
                        first_line: first,
                    },
                );
            }
        }
        if let (
            Some(id),
            Some(name),
            Some(weekly_hours),
            Some(wt),
            Some(wn),
            Some(vt),
            Some(abs),
            Some(train),
            Some(joined),
            Some(held),
            Some(from),
            Some(active),
        ) = (
            id,
            name,
            weekly_hours,
            wants_tasks,
            wants_new_clients,
            vt_stop_until,
            absent_until,
            willing_to_train,
            joined_on,
            competences,
            absent_from,
            active,
        ) {
            let mut vpa = Vpa::new(id, name);
            vpa.weekly_hours = weekly_hours;
            vpa.wants_tasks = wt;
            vpa.wants_new_clients = wn;
            vpa.vt_stop_until = vt;
            vpa.absent_until = abs;
            vpa.absent_from = from;
            vpa.active = active;
            vpa.willing_to_train = train;
            vpa.joined_on = joined;
            vpa.competences = held;
            vpas.push(vpa);
        }
    }
    if vpas.is_empty() && errors.is_empty() {
        errors.push(RowError {
            line: 0,
            column: String::new(),
            problem: RowProblem::Empty,
        });
    }
    if errors.is_empty() {
        Ok(vpas)
    } else {
        Err(errors)
    }
}

/// Collects the problems of one row while its fields are parsed.
struct RowParser<'a> {
    line: u64,
    errors: &'a mut Vec<RowError>,
}

impl RowParser<'_> {
    fn push(&mut self, column: &str, problem: RowProblem) {
        self.errors.push(RowError {
            line: self.line,
            column: column.into(),
            problem,
        });
    }

    fn discord_id(&mut self, text: &str) -> Option<DiscordId> {
        let upper = text.to_uppercase();
        if upper.contains("E+") || (upper.contains(',') && upper.contains('E')) {
            self.push("discord_id", RowProblem::ScientificId(text.to_string()));
            return None;
        }
        match DiscordId::read(text) {
            Ok(id) => Some(id),
            Err(problem) => {
                self.push("discord_id", RowProblem::NotAnId(text.to_string(), problem));
                None
            }
        }
    }

    fn name(&mut self, text: &str) -> Option<String> {
        match text.chars().count() {
            0 => self.push("name", RowProblem::NameMissing),
            n if n > MAX_NAME_CHARS => self.push(
                "name",
                RowProblem::NameTooLong {
                    chars: n,
                    max: MAX_NAME_CHARS,
                },
            ),
            _ => match check_name(text) {
                Ok(()) => return Some(text.to_string()),
                Err(problem) => self.push("name", RowProblem::NameInvalid(problem)),
            },
        }
        None
    }

    fn hours(&mut self, text: &str) -> Option<f64> {
        match text.replace(',', ".").parse::<f64>() {
            Ok(h) if (0.0..=MAX_WEEKLY_HOURS).contains(&h) => return Some(h),
            Ok(_) => self.push(
                "weekly_hours",
                RowProblem::HoursOutOfRange {
                    input: text.to_string(),
                    max: MAX_WEEKLY_HOURS,
                },
            ),
            Err(_) => self.push(
                "weekly_hours",
                RowProblem::HoursNotANumber(text.to_string()),
            ),
        }
        None
    }

    fn flag(&mut self, column: &str, text: &str) -> Option<bool> {
        match text.to_lowercase().as_str() {
            "ja" | "true" | "1" => Some(true),
            "nein" | "false" | "0" => Some(false),
            _ => {
                self.push(column, RowProblem::NotAFlag(text.to_string()));
                None
            }
        }
    }

    /// `Some(None)` for an empty cell.
    fn date(&mut self, column: &str, text: &str) -> Option<Option<chrono::NaiveDate>> {
        if text.is_empty() {
            return Some(None);
        }
        let day = parse_date(text);
        if day.is_none() {
            self.push(column, RowProblem::NotADate(text.to_string()));
        }
        day.map(Some)
    }

    fn competences(&mut self, text: &str, catalog: &Catalog) -> Option<Vec<HeldCompetence>> {
        let mut held = Vec::new();
        let mut seen = BTreeSet::new();
        let mut ok = true;
        for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((key, level)) = part.split_once(':') else {
                self.push(
                    "competences",
                    RowProblem::CompetenceWithoutLevel(part.to_string()),
                );
                ok = false;
                continue;
            };
            let competence = match catalog.by_key(key.trim()) {
                Some(c) => c,
                None => {
                    let close: Vec<String> = catalog
                        .closest(key, 3)
                        .iter()
                        .map(|c| c.key.clone())
                        .collect();
                    self.push(
                        "competences",
                        RowProblem::UnknownCompetence {
                            input: key.trim().to_string(),
                            closest: close,
                        },
                    );
                    ok = false;
                    continue;
                }
            };
            let Some(level) = Level::parse(level) else {
                self.push(
                    "competences",
                    RowProblem::UnknownLevel {
                        input: level.trim().to_string(),
                        competence: competence.key.clone(),
                    },
                );
                ok = false;
                continue;
            };
            if !seen.insert(competence.id) {
                self.push(
                    "competences",
                    RowProblem::DuplicateCompetence(competence.key.clone()),
                );
                ok = false;
                continue;
            }
            held.push(HeldCompetence {
                competence: competence.id,
                level,
            });
        }
        ok.then_some(held)
    }
}
