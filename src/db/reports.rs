//! What the manager's reports read: the daily pool snapshots, one row of times per task, and
//! what the active pool's utilization is computed from.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;

use super::Db;
use crate::domain::area::WorkArea;
use crate::domain::pool_health::PoolHealth;
use crate::domain::report::{Snapshot, TaskRecord, TaskTimes};

/// Stores the day's snapshot: one row per day and area, the day's latest evaluation standing
/// (restart-safe; a day without any evaluation — the bot down — has none).
pub async fn snapshot(
    conn: &mut SqliteConnection,
    health: &PoolHealth,
    minimums: &std::collections::BTreeMap<WorkArea, u32>,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let mut rows: Vec<(&str, u32, Option<u32>)> =
        vec![("", health.available_for_new_clients, Some(health.threshold))];
    for (area, h) in &health.areas {
        rows.push((
            area.key(),
            h.available_for_new_clients,
            minimums.get(area).copied(),
        ));
    }
    let json = serde_json::to_string(&rows).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let done = sqlx::query(
        "INSERT INTO pool_snapshots (day, area, available, minimum, taken_at) \
         SELECT ?1, value ->> 0, value ->> 1, value ->> 2, ?2 FROM json_each(?3) WHERE true \
         ON CONFLICT (day, area) DO UPDATE SET available = excluded.available, \
         minimum = excluded.minimum, taken_at = excluded.taken_at",
    )
    .bind(health.date)
    .bind(now)
    .bind(json)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

from_row! {
    struct SnapshotRow {
        day: NaiveDate,
        area: String,
        available: u32,
        minimum: Option<u32>,
    }
}

/// One task's row as the reports read it: an element of one JSON array, in this order.
#[derive(serde::Deserialize)]
struct TaskRow {
    id: i64,
    competence: String,
    recurring: u8,
    deadline: NaiveDate,
    area: String,
    hours: f64,
    created_at: DateTime<Utc>,
    status: String,
    first_window_end: Option<DateTime<Utc>>,
    first_accepted_at: Option<DateTime<Utc>>,
    first_assigned_at: Option<DateTime<Utc>>,
    handed_on_at: Option<DateTime<Utc>>,
    refilled_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
    escalated: u8,
    split: u8,
}

impl Db {
    /// Whether the digest due on `day` was recorded (read first: the timers ask every pass).
    pub async fn digest_recorded(&self, day: NaiveDate) -> sqlx::Result<bool> {
        let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM digests WHERE due_on = ?")
            .bind(day)
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }

    /// The snapshots of the days from `from` to `to`.
    pub async fn snapshots(&self, from: NaiveDate, to: NaiveDate) -> sqlx::Result<Vec<Snapshot>> {
        let rows: Vec<SnapshotRow> = sqlx::query_as(
            "SELECT day, area, available, minimum FROM pool_snapshots \
             WHERE day >= ? AND day <= ? ORDER BY day",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let area = if r.area.is_empty() {
                    None
                } else {
                    Some(r.area.parse::<WorkArea>().ok()?)
                };
                Some(Snapshot {
                    day: r.day,
                    area,
                    available: r.available,
                    minimum: r.minimum,
                })
            })
            .collect())
    }

    /// The times of every task created from `from` (inclusive) to `until` (exclusive).
    pub async fn task_times(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> sqlx::Result<Vec<TaskTimes>> {
        Ok(self
            .task_records(from, until)
            .await?
            .into_iter()
            .map(|r| r.times)
            .collect())
    }

    /// Like [`Db::task_times`], with what identifies each task (the tasks export).
    pub async fn task_records(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> sqlx::Result<Vec<TaskRecord>> {
        // One scan: the times are kept per task by triggers (see the task_facts migration).
        // The rows come as one JSON array: handing a year of tasks over row by row costs more
        // than the query itself.
        let json: Option<String> = sqlx::query_scalar(
            "SELECT json_group_array(json_array(t.id, t.competence, t.recurring, t.deadline, \
               t.area, t.hours, t.created_at, t.status, f.first_window_end, \
               f.first_accepted_at, f.first_assigned_at, f.handed_on_at, f.refilled_at, \
               f.closed_at, coalesce(f.escalated, 0), \
               (t.status = 'split' OR coalesce(f.has_parts, 0)))) \
             FROM tasks t LEFT JOIN task_facts f ON f.task_id = t.id \
             WHERE t.created_at >= ? AND t.created_at < ?",
        )
        .bind(from)
        .bind(until)
        .fetch_one(&self.pool)
        .await?;
        let mut rows: Vec<TaskRow> = serde_json::from_str(json.as_deref().unwrap_or("[]"))
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        rows.sort_unstable_by_key(|r| r.id);
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let times = TaskTimes {
                    area: r.area.parse::<WorkArea>().ok()?,
                    hours: r.hours,
                    created_at: r.created_at,
                    first_window_end: r.first_window_end,
                    first_accepted_at: r.first_accepted_at,
                    first_assigned_at: r.first_assigned_at,
                    handed_on_at: r.handed_on_at,
                    refilled_at: r.refilled_at,
                    closed_at: r.closed_at,
                    cancelled: r.status == "cancelled",
                    external: r.status == "external",
                    escalated: r.escalated != 0,
                    split: r.split != 0,
                };
                Some(TaskRecord {
                    id: r.id,
                    competence: r.competence,
                    recurring: r.recurring != 0,
                    deadline: r.deadline,
                    status: r.status,
                    times,
                })
            })
            .collect())
    }
}

/// Whether any digest was ever recorded.
pub async fn any_digest(conn: &mut SqliteConnection) -> sqlx::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM digests LIMIT 1")
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// Records the digest due on `day`; false when it was recorded before (once per day).
pub async fn record_digest(
    conn: &mut SqliteConnection,
    day: NaiveDate,
    baseline: bool,
    late: bool,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO digests (due_on, state, late, queued_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (due_on) DO NOTHING",
    )
    .bind(day)
    .bind(if baseline { "baseline" } else { "queued" })
    .bind(late)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
