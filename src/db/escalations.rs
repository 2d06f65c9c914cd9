//! Escalations to the VPA manager (one notice per task) and the pool-health watch state.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{FromRow, SqliteConnection};

use super::Db;
use crate::domain::ids::DiscordId;

/// Why a task was escalated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// A survey round closed with nobody accepting.
    RoundFailed,
    /// Nobody fitted when the task was created.
    NobodyFits,
    /// A coordinator reported it by hand.
    Reported,
    /// VPAs accepted but nobody was assigned, one window after the coordinator was asked.
    AcceptedUnassigned,
}

impl Cause {
    pub fn key(self) -> &'static str {
        match self {
            Cause::RoundFailed => "round-failed",
            Cause::NobodyFits => "nobody-fits",
            Cause::Reported => "reported",
            Cause::AcceptedUnassigned => "accepted-unassigned",
        }
    }

    pub fn parse(key: &str) -> Option<Cause> {
        [
            Cause::RoundFailed,
            Cause::NobodyFits,
            Cause::Reported,
            Cause::AcceptedUnassigned,
        ]
        .into_iter()
        .find(|c| c.key() == key)
    }
}

/// A task's escalation notice.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Escalation {
    pub id: i64,
    pub task_id: i64,
    pub channel_id: Option<i64>,
    pub message_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// One reason the notice was raised or updated.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct EscalationEvent {
    pub cause: String,
    pub round_id: Option<i64>,
    pub note: Option<String>,
    pub reported_by: Option<i64>,
    pub created_at: DateTime<Utc>,
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
    task_id: i64,
    cause: Cause,
    round_id: Option<i64>,
    note: Option<&str>,
    reported_by: Option<DiscordId>,
    now: DateTime<Utc>,
) -> sqlx::Result<Recorded> {
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO escalations (task_id, cause, created_at, updated_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (task_id) DO NOTHING RETURNING id",
    )
    .bind(task_id)
    .bind(cause.key())
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
    .bind(cause.key())
    .bind(round_id)
    .bind(note)
    .bind(reported_by.map(DiscordId::to_db))
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
    task_id: i64,
    channel: DiscordId,
    message: DiscordId,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE escalations SET channel_id = ?, message_id = ? WHERE task_id = ?")
        .bind(channel.to_db())
        .bind(message.to_db())
        .bind(task_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether the task has a notice (for refreshing it after late answers).
pub async fn exists(conn: &mut SqliteConnection, task_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar::<_, i64>("SELECT EXISTS (SELECT 1 FROM escalations WHERE task_id = ?)")
        .bind(task_id)
        .fetch_one(conn)
        .await
        .map(|n| n != 0)
}

impl Db {
    /// The notice of a task.
    pub async fn escalation(&self, task_id: i64) -> sqlx::Result<Option<Escalation>> {
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
        sqlx::query_as(
            "SELECT cause, round_id, note, reported_by, created_at FROM escalation_events WHERE escalation_id = ? ORDER BY id",
        )
        .bind(escalation_id)
        .fetch_all(&self.pool)
        .await
    }

    /// Decline reasons of a round with their counts.
    pub async fn decline_reasons(&self, round_id: i64) -> sqlx::Result<Vec<(String, i64)>> {
        sqlx::query_as(
            "SELECT COALESCE(reason, 'not-given'), COUNT(*) FROM survey_answers WHERE round_id = ? AND answer = 'decline' \
             GROUP BY 1 ORDER BY 2 DESC, 1",
        )
        .bind(round_id)
        .fetch_all(&self.pool)
        .await
    }
}

/// The pool-health watch's memory.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct WatchState {
    pub below: bool,
    pub below_since: Option<DateTime<Utc>>,
    pub last_notice_on: Option<NaiveDate>,
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
