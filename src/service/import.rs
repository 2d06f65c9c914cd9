//! Importing an existing pool from CSV: every bad row reported with line, column and reason; if
//! any row is bad nothing is written; importing again updates by Discord id.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};

use crate::db::Db;
use crate::db::vpas::{ChangeSource, Saved, save_vpa};
use crate::domain::competence::{Catalog, Level};
use crate::domain::dates::parse_date;
use crate::domain::ids::DiscordId;
use crate::domain::vpa::{HeldCompetence, Vpa};

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

/// Highest weekly hours a VPA can want; more is a typo.
pub const MAX_WEEKLY_HOURS: f64 = 80.0;

/// One problem in the file. `line` is 1-based and counts the header; `column` is empty for
/// problems of the whole file or row.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub line: u64,
    pub column: String,
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column.is_empty()) {
            (0, _) => write!(f, "{}", self.reason),
            (line, true) => write!(f, "Zeile {line}: {}", self.reason),
            (line, false) => write!(f, "Zeile {line}, Spalte {}: {}", self.column, self.reason),
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} fehlerhafte Zeile(n)", .0.len())]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Db(#[from] anyhow::Error),
}

/// Parses the whole file; either every row is good or every problem is returned.
pub fn parse(bytes: &[u8], catalog: &Catalog) -> Result<Vec<Vpa>, Vec<RowError>> {
    let file_error = |reason: String| {
        vec![RowError {
            line: 0,
            column: String::new(),
            reason,
        }]
    };
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| file_error("Die Datei ist nicht UTF-8-kodiert. Speichere sie als „CSV UTF-8 (durch Trennzeichen getrennt)“.".into()))?;
    let header_line = text.lines().next().unwrap_or_default();
    if header_line.contains(';') && !header_line.contains(',') {
        return Err(file_error(
            "Die Datei ist mit Semikolon getrennt (deutsches Excel). Erwartet wird Komma: in Excel „Speichern unter“ → „CSV UTF-8 (durch Trennzeichen getrennt)“ mit Komma als Listentrennzeichen, oder in LibreOffice Feldtrennzeichen „,“ wählen.".into(),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| file_error(format!("Die Kopfzeile ist nicht lesbar: {e}")))?
        .clone();
    let names: Vec<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
    let missing: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| !names.iter().any(|n| n == c))
        .collect();
    let unknown: Vec<&String> = names
        .iter()
        .filter(|n| !COLUMNS.contains(&n.as_str()))
        .collect();
    if !missing.is_empty() || !unknown.is_empty() {
        let mut reason = String::from("Die Kopfzeile passt nicht.");
        if !missing.is_empty() {
            reason.push_str(&format!(" Es fehlen: {}.", missing.join(", ")));
        }
        if !unknown.is_empty() {
            reason.push_str(&format!(
                " Unbekannt: {}.",
                unknown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        reason.push_str(&format!(" Erwartet: {}", COLUMNS.join(",")));
        return Err(vec![RowError {
            line: 1,
            column: String::new(),
            reason,
        }]);
    }
    let column: HashMap<&str, usize> = COLUMNS
        .iter()
        .map(|c| (*c, names.iter().position(|n| n == c).unwrap_or_default()))
        .collect();
    let mut vpas = Vec::new();
    let mut errors = Vec::new();
    let mut first_line_of: HashMap<DiscordId, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let reason = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!(
                            "{len} Felder statt {expected_len} (fehlt ein Komma, oder ein Komma im Namen ohne Anführungszeichen?)"
                        )
                    }
                    _ => format!("nicht lesbar: {e}"),
                };
                errors.push(RowError {
                    line,
                    column: String::new(),
                    reason,
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
        if let Some(id) = id {
            if let Some(first) = first_line_of.insert(id, line) {
                row.push(
                    "discord_id",
                    format!("die Discord-ID {id} steht schon in Zeile {first}"),
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
        ) {
            let mut vpa = Vpa::new(id, name);
            vpa.weekly_hours = weekly_hours;
            vpa.wants_tasks = wt;
            vpa.wants_new_clients = wn;
            vpa.vt_stop_until = vt;
            vpa.absent_until = abs;
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
            reason: "Die Datei enthält keine VPAs (nur die Kopfzeile).".into(),
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
    fn push(&mut self, column: &str, reason: String) {
        self.errors.push(RowError {
            line: self.line,
            column: column.into(),
            reason,
        });
    }

    fn discord_id(&mut self, text: &str) -> Option<DiscordId> {
        let upper = text.to_uppercase();
        if upper.contains("E+") || (upper.contains(',') && upper.contains('E')) {
            self.push(
                "discord_id",
                format!("„{text}“ ist in wissenschaftlicher Schreibweise: Excel hat die ID gekürzt. Formatiere die Spalte vor dem Einfügen als Text und exportiere erneut."),
            );
            return None;
        }
        let id = DiscordId::parse(text);
        if id.is_none() {
            let shown = if text.is_empty() {
                "leer".to_string()
            } else {
                format!("„{text}“")
            };
            self.push(
                "discord_id",
                format!("{shown} ist keine Discord-ID (nur Ziffern, z. B. 123456789012345678)"),
            );
        }
        id
    }

    fn name(&mut self, text: &str) -> Option<String> {
        match text.chars().count() {
            0 => self.push("name", "der Name fehlt".into()),
            n if n > 100 => self.push(
                "name",
                format!("der Name ist zu lang ({n} Zeichen, höchstens 100)"),
            ),
            _ => return Some(text.to_string()),
        }
        None
    }

    fn hours(&mut self, text: &str) -> Option<f64> {
        match text.replace(',', ".").parse::<f64>() {
            Ok(h) if (0.0..=MAX_WEEKLY_HOURS).contains(&h) => return Some(h),
            Ok(_) => self.push(
                "weekly_hours",
                format!("{text} liegt nicht zwischen 0 und {MAX_WEEKLY_HOURS}"),
            ),
            Err(_) => self.push(
                "weekly_hours",
                format!("„{text}“ ist keine Zahl (z. B. 20 oder 12,5)"),
            ),
        }
        None
    }

    fn flag(&mut self, column: &str, text: &str) -> Option<bool> {
        match text.to_lowercase().as_str() {
            "ja" | "true" | "1" => Some(true),
            "nein" | "false" | "0" => Some(false),
            _ => {
                let shown = if text.is_empty() {
                    "leer".to_string()
                } else {
                    format!("„{text}“")
                };
                self.push(
                    column,
                    format!("{shown} ist kein Ja/Nein-Wert (erlaubt: ja, nein, true, false, 1, 0)"),
                );
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
            self.push(
                column,
                format!("„{text}“ ist kein Datum (erlaubt: JJJJ-MM-TT, TT.MM.JJJJ oder leer)"),
            );
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
                    format!(
                        "„{part}“ hat keine Stufe (Format kompetenz:stufe, z. B. research:good)"
                    ),
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
                        format!(
                            "unbekannte Kompetenz „{}“ (meintest du: {}?)",
                            key.trim(),
                            close.join(", ")
                        ),
                    );
                    ok = false;
                    continue;
                }
            };
            let Some(level) = Level::parse(level) else {
                self.push(
                    "competences",
                    format!("unbekannte Stufe „{}“ bei {} (erlaubt: basic, good, expert oder grundkenntnisse, gut, experte)", level.trim(), competence.key),
                );
                ok = false;
                continue;
            };
            if !seen.insert(competence.id) {
                self.push("competences", format!("{} steht doppelt", competence.key));
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

/// Imports a CSV file: all rows or none, in one transaction.
#[tracing::instrument(skip_all, fields(bytes = bytes.len()))]
pub async fn import_vpas(
    db: &Db,
    catalog: &Catalog,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    let vpas = parse(bytes, catalog).map_err(ImportError::Rows)?;
    let mut tx = db.begin_write().await?;
    let mut report = ImportReport::default();
    for vpa in &vpas {
        // A VPA named in the file is part of the pool: a deactivated one becomes active again.
        let saved = save_vpa(&mut tx, catalog, vpa, ChangeSource::Import, None, now)
            .await
            .map_err(anyhow::Error::from)?;
        match saved {
            Saved::Created => report.created += 1,
            Saved::Updated => report.updated += 1,
            Saved::Unchanged => report.unchanged += 1,
        }
    }
    tx.commit().await.map_err(anyhow::Error::from)?;
    tracing::info!(
        created = report.created,
        updated = report.updated,
        unchanged = report.unchanged,
        "pool imported"
    );
    Ok(report)
}
