//! Escalations to the VPA manager (one notice per task) and the pool-health watch state.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;

use super::Db;
use crate::domain::escalation::EscalationCause;
pub use crate::domain::escalation::EscalationEvent;
use crate::domain::ids::{DiscordId, RoundId, TaskId};

from_row! {
    /// A task's escalation notice.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Escalation {
        pub id: i64,
        pub task_id: TaskId,
        pub channel_id: Option<DiscordId>,
        pub message_id: Option<DiscordId>,
        pub created_at: DateTime<Utc>,
    }
}

impl Escalation {
    /// Where the notice landed, once it is out.
    pub fn post(&self) -> Option<(DiscordId, DiscordId)> {
        self.channel_id.zip(self.message_id)
    }
}

from_row! {
    struct EventRow {
        cause: EscalationCause,
        round_id: Option<RoundId>,
        note: Option<String>,
        reported_by: Option<DiscordId>,
        created_at: DateTime<Utc>,
    }
}

impl From<EventRow> for EscalationEvent {
    fn from(r: EventRow) -> EscalationEvent {
        EscalationEvent {
            cause: r.cause,
            round_id: r.round_id,
            note: r.note,
            reported_by: r.reported_by,
            created_at: r.created_at,
        }
    }
}

/// What [`record`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// The first escalation of this task: a new notice.
    NewNotice(i64),
    /// The task already had a notice: it gets updated.
    Update(i64),
    /// The same event was recorded before (a replayed round close): nothing to do.
    Duplicate,
}

/// Records an escalation event, creating the task's notice row on the first one.
pub async fn record(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    cause: EscalationCause,
    round_id: Option<RoundId>,
    note: Option<&str>,
    reported_by: Option<DiscordId>,
    now: DateTime<Utc>,
) -> sqlx::Result<Recorded> {
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO escalations (task_id, cause, created_at, updated_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (task_id) DO NOTHING RETURNING id",
    )
    .bind(task_id)
    .bind(cause)
    .bind(now)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let id = match inserted {
        Some(id) => id,
        None => {
            sqlx::query_scalar("SELECT id FROM escalations WHERE task_id = ?")
                .bind(task_id)
                .fetch_one(&mut *conn)
                .await?
        }
    };
    let event = sqlx::query(
        "INSERT INTO escalation_events (escalation_id, cause, round_id, note, reported_by, created_at) \
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(cause)
    .bind(round_id)
    .bind(note)
    .bind(reported_by)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if event.rows_affected() == 0 {
        return Ok(Recorded::Duplicate);
    }
    sqlx::query("UPDATE escalations SET updated_at = ? WHERE id = ?")
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(if inserted.is_some() {
        Recorded::NewNotice(id)
    } else {
        Recorded::Update(id)
    })
}

/// Records where the notice landed.
pub async fn set_message(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    channel: DiscordId,
    message: DiscordId,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE escalations SET channel_id = ?, message_id = ? WHERE task_id = ?")
        .bind(channel)
        .bind(message)
        .bind(task_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether the task has a notice (for refreshing it after late answers).
pub async fn exists(conn: &mut SqliteConnection, task_id: TaskId) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM escalations WHERE task_id = ?)")
        .bind(task_id)
        .fetch_one(conn)
        .await
}

impl Db {
    /// The notice of a task.
    pub async fn escalation(&self, task_id: TaskId) -> sqlx::Result<Option<Escalation>> {
        sqlx::query_as("SELECT id, task_id, channel_id, message_id, created_at FROM escalations WHERE task_id = ?")
            .bind(task_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// The events of a notice, oldest first.
    pub async fn escalation_events(
        &self,
        escalation_id: i64,
    ) -> sqlx::Result<Vec<EscalationEvent>> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT cause, round_id, note, reported_by, created_at FROM escalation_events WHERE escalation_id = ? ORDER BY id",
        )
        .bind(escalation_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}

from_row! {
    /// The pool-health watch's memory.
    #[derive(Debug, Clone, PartialEq)]
    pub struct WatchState {
        pub below: bool,
        pub below_since: Option<DateTime<Utc>>,
        pub last_notice_on: Option<NaiveDate>,
    }
}

/// Reads the watch state inside the evaluating transaction.
pub async fn watch_state(conn: &mut SqliteConnection) -> sqlx::Result<WatchState> {
    sqlx::query_as("SELECT below, below_since, last_notice_on FROM pool_watch_state WHERE id = 1")
        .fetch_one(conn)
        .await
}

/// Stores the watch state.
pub async fn set_watch_state(
    conn: &mut SqliteConnection,
    state: &WatchState,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE pool_watch_state SET below = ?, below_since = ?, last_notice_on = ?, updated_at = ? WHERE id = 1")
        .bind(state.below)
        .bind(state.below_since)
        .bind(state.last_notice_on)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}
