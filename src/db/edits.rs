//! Edits of a task: the answers an edit outdated, the VPAs it made fit, and edits waiting for a
//! confirmation.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::Db;
use crate::domain::ids::{DiscordId, PendingEditId, TaskId};
use crate::domain::reevaluation::Mismatch;

/// Marks `vpa`'s answer to the task as outdated by an edit, with why.
pub async fn mark_outdated(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    vpa: DiscordId,
    reasons: &[Mismatch],
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let reasons = serde_json::to_string(reasons).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query(
        "INSERT INTO outdated_answers (task_id, vpa_id, reasons, marked_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (task_id, vpa_id) DO UPDATE SET reasons = excluded.reasons, marked_at = excluded.marked_at",
    )
    .bind(task_id)
    .bind(vpa)
    .bind(reasons)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes the mark off answers that fit again.
pub async fn clear_outdated(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    vpas: &[DiscordId],
) -> sqlx::Result<()> {
    forget_vpas(conn, "outdated_answers", task_id, vpas).await
}

/// Deletes the task's rows of these VPAs from `table` (keyed by task and VPA).
async fn forget_vpas(
    conn: &mut SqliteConnection,
    table: &'static str,
    task_id: TaskId,
    vpas: &[DiscordId],
) -> sqlx::Result<()> {
    let sql = format!(
        "DELETE FROM {table} WHERE task_id = ? AND vpa_id IN (SELECT value FROM json_each(?))"
    );
    sqlx::query(&sql)
        .bind(task_id)
        .bind(super::id_list(vpas))
        .execute(conn)
        .await?;
    Ok(())
}

/// Why `vpa`'s answer to the task is outdated; none if it is not.
pub async fn outdated_reasons(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    vpa: DiscordId,
) -> sqlx::Result<Option<Vec<Mismatch>>> {
    let text: Option<String> =
        sqlx::query_scalar("SELECT reasons FROM outdated_answers WHERE task_id = ? AND vpa_id = ?")
            .bind(task_id)
            .bind(vpa)
            .fetch_optional(conn)
            .await?;
    text.map(|t| serde_json::from_str(&t).map_err(|e| sqlx::Error::Decode(e.into())))
        .transpose()
}

/// Adds VPAs to the task's newly fitting (kept until they are asked).
pub async fn add_newly_fitting(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    vpas: &[DiscordId],
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let ids = super::id_list(vpas);
    sqlx::query(
        "INSERT INTO newly_fitting (task_id, vpa_id, since) SELECT ?, value, ? FROM json_each(?) \
         WHERE true ON CONFLICT (task_id, vpa_id) DO NOTHING",
    )
    .bind(task_id)
    .bind(now)
    .bind(ids)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets newly fitting VPAs of the task (asked, or no longer fitting).
pub async fn remove_newly_fitting(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    vpas: &[DiscordId],
) -> sqlx::Result<()> {
    forget_vpas(conn, "newly_fitting", task_id, vpas).await
}

/// The task's newly fitting VPAs that no round mentioned yet, in the order they came.
pub async fn newly_fitting_of(
    conn: &mut SqliteConnection,
    task_id: TaskId,
) -> sqlx::Result<Vec<DiscordId>> {
    sqlx::query_scalar(
        "SELECT n.vpa_id FROM newly_fitting n WHERE n.task_id = ?1 AND NOT EXISTS ( \
           SELECT 1 FROM survey_invitees i JOIN survey_rounds r ON r.id = i.round_id \
           WHERE r.task_id = ?1 AND i.vpa_id = n.vpa_id) \
         ORDER BY n.since, n.rowid",
    )
    .bind(task_id)
    .fetch_all(conn)
    .await
}

/// An edit waiting for a confirmation.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingEdit {
    pub id: PendingEditId,
    pub task_id: TaskId,
    /// The edit as given, as JSON (the service's type).
    pub edit: String,
    pub by: DiscordId,
    pub expires_at: DateTime<Utc>,
    pub pending: bool,
}

/// Keeps an edit until `expires_at` for a confirmation.
pub async fn insert_pending(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    edit: &str,
    by: DiscordId,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<PendingEditId> {
    sqlx::query_scalar(
        "INSERT INTO pending_edits (task_id, edit, by_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(task_id)
    .bind(edit)
    .bind(by)
    .bind(now)
    .bind(expires_at)
    .fetch_one(conn)
    .await
}

/// Settles a pending edit (confirmed or dropped); false if it was settled already.
pub async fn settle_pending(
    conn: &mut SqliteConnection,
    id: PendingEditId,
    confirmed: bool,
) -> sqlx::Result<bool> {
    let state = if confirmed { "confirmed" } else { "dropped" };
    let done = sqlx::query("UPDATE pending_edits SET state = ? WHERE id = ? AND state = 'pending'")
        .bind(state)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

impl Db {
    /// A pending edit, as stored.
    pub async fn pending_edit(&self, id: PendingEditId) -> sqlx::Result<Option<PendingEdit>> {
        let row: Option<(
            PendingEditId,
            TaskId,
            String,
            DiscordId,
            DateTime<Utc>,
            String,
        )> = sqlx::query_as(
            "SELECT id, task_id, edit, by_id, expires_at, state FROM pending_edits WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(
            row.map(|(id, task_id, edit, by, expires_at, state)| PendingEdit {
                id,
                task_id,
                edit,
                by,
                expires_at,
                pending: state == "pending",
            }),
        )
    }

    /// The task's outdated answers, by VPA.
    pub async fn outdated_of_task(
        &self,
        task_id: TaskId,
    ) -> sqlx::Result<HashMap<DiscordId, Vec<Mismatch>>> {
        let rows: Vec<(DiscordId, String)> =
            sqlx::query_as("SELECT vpa_id, reasons FROM outdated_answers WHERE task_id = ?")
                .bind(task_id)
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|(vpa, text)| {
                serde_json::from_str(&text)
                    .map(|r| (vpa, r))
                    .map_err(|e| sqlx::Error::Decode(e.into()))
            })
            .collect()
    }

    /// The open assignments of a task, each as the commitment it is for its holder.
    pub async fn held_commitments(
        &self,
        task_id: TaskId,
    ) -> sqlx::Result<Vec<(DiscordId, crate::domain::utilization::Commitment)>> {
        let mut conn = self.read().await?;
        super::tasks::held_commitments(&mut conn, task_id).await
    }

    /// The task's newly fitting VPAs not asked yet.
    pub async fn newly_fitting(&self, task_id: TaskId) -> sqlx::Result<Vec<DiscordId>> {
        let mut conn = self.read().await?;
        newly_fitting_of(&mut conn, task_id).await
    }
}
