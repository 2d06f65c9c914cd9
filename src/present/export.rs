//! CSV exports: the pool in the import format (with the optional `absent_from` and `active`
//! columns, so an export imported again changes nothing), and one row per task with its times.
//! Values are neutral (ISO dates, UTC instants, `true`/`false`, competence and level keys),
//! which the import reads as they are.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::competence::Catalog;
use crate::domain::import::{COLUMNS, OPTIONAL_COLUMNS};
use crate::domain::report::TaskRecord;
use crate::domain::vpa::Vpa;

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn instant(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn finish(writer: csv::Writer<Vec<u8>>) -> anyhow::Result<Vec<u8>> {
    writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("{}", e.error()))
}

/// The pool, every VPA (deactivated ones too), by id.
pub fn pool_csv(catalog: &Catalog, vpas: &[Vpa]) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS.iter().chain(OPTIONAL_COLUMNS.iter()))?;
    let mut vpas: Vec<&Vpa> = vpas.iter().collect();
    vpas.sort_by_key(|v| v.discord_id);
    for v in vpas {
        let competences: Vec<String> = v
            .competences
            .iter()
            .map(|c| format!("{}:{}", catalog.get(c.competence).key, c.level.key()))
            .collect();
        writer.write_record([
            v.discord_id.0.to_string(),
            v.name.clone(),
            format!("{}", v.weekly_hours),
            v.wants_tasks.to_string(),
            v.wants_new_clients.to_string(),
            day(v.vt_stop_until),
            day(v.absent_until),
            v.willing_to_train.to_string(),
            day(v.joined_on),
            competences.join(";"),
            day(v.absent_from),
            v.active.to_string(),
        ])?;
    }
    finish(writer)
}

/// The columns of the tasks export.
pub const TASK_COLUMNS: [&str; 17] = [
    "id",
    "area",
    "competence",
    "hours",
    "recurring",
    "deadline",
    "status",
    "created_at",
    "first_window_end",
    "first_accepted_at",
    "first_assigned_at",
    "handed_on_at",
    "refilled_at",
    "closed_at",
    "hours_to_fill",
    "escalated",
    "split",
];

/// One row per task with its times (UTC) and the hours it took to fill.
pub fn tasks_csv(tasks: &[TaskRecord]) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(TASK_COLUMNS)?;
    for r in tasks {
        let t = &r.times;
        let fill = t
            .fill_hours()
            .first()
            .map(|h| format!("{:.2}", h))
            .unwrap_or_default();
        writer.write_record([
            r.id.to_string(),
            t.area.key().to_string(),
            r.competence.clone(),
            format!("{}", t.hours),
            r.recurring.to_string(),
            day(Some(r.deadline)),
            r.status.clone(),
            instant(Some(t.created_at)),
            instant(t.first_window_end),
            instant(t.first_accepted_at),
            instant(t.first_assigned_at),
            instant(t.handed_on_at),
            instant(t.refilled_at),
            instant(t.closed_at),
            fill,
            t.escalated.to_string(),
            t.split.to_string(),
        ])?;
    }
    finish(writer)
}
