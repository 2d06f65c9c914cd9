//! What the manager's reports read: the daily pool snapshots, one row of times per task, and
//! what the active pool's utilization is computed from.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{FromRow, SqliteConnection};

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

#[derive(FromRow)]
struct SnapshotRow {
    day: NaiveDate,
    area: String,
    available: u32,
    minimum: Option<u32>,
}

#[derive(FromRow)]
struct TaskRow {
    id: i64,
    competence: String,
    recurring: bool,
    deadline: NaiveDate,
    area: String,
    hours: f64,
    created_at: DateTime<Utc>,
    first_window_end: Option<DateTime<Utc>>,
    first_accepted_at: Option<DateTime<Utc>>,
    first_assigned_at: Option<DateTime<Utc>>,
    handed_on_at: Option<DateTime<Utc>>,
    refilled_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
    status: String,
    escalated: bool,
    split: bool,
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
        // CROSS JOIN keeps SQLite's planner from scanning every answer for each task: a task's
        // rounds first (by task), then their answers (by round).
        let rows: Vec<TaskRow> = sqlx::query_as(
            "SELECT t.id, t.competence, t.recurring, t.deadline, t.area, t.hours, t.created_at, \
               t.status, \
               (SELECT MIN(r.closes_at) FROM survey_rounds r WHERE r.task_id = t.id) \
                 AS first_window_end, \
               (SELECT MIN(h.answered_at) FROM survey_rounds r \
                  CROSS JOIN survey_answer_history h ON h.round_id = r.id \
                  WHERE r.task_id = t.id AND h.answer = 'accept') AS first_accepted_at, \
               (SELECT MIN(a.created_at) FROM assignments a WHERE a.task_id = t.id) \
                 AS first_assigned_at, \
               (SELECT MIN(o.created_at) FROM hand_overs o WHERE o.task_id = t.id) \
                 AS handed_on_at, \
               (SELECT MIN(a.created_at) FROM assignments a WHERE a.task_id = t.id AND \
                  a.created_at > (SELECT MIN(o.created_at) FROM hand_overs o \
                                  WHERE o.task_id = t.id)) AS refilled_at, \
               (SELECT MIN(x.changed_at) FROM task_status_history x WHERE x.task_id = t.id \
                  AND x.to_status IN ('done', 'cancelled', 'external', 'split')) AS closed_at, \
               EXISTS (SELECT 1 FROM escalations e WHERE e.task_id = t.id) AS escalated, \
               (t.status = 'split' OR EXISTS (SELECT 1 FROM tasks c \
                  WHERE c.parent_task_id = t.id)) AS split \
             FROM tasks t WHERE t.created_at >= ? AND t.created_at < ? ORDER BY t.id",
        )
        .bind(from)
        .bind(until)
        .fetch_all(&self.pool)
        .await?;
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
                    escalated: r.escalated,
                    split: r.split,
                };
                Some(TaskRecord {
                    id: r.id,
                    competence: r.competence,
                    recurring: r.recurring,
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
