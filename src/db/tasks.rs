//! Tasks, their status history and assignments.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{FromRow, SqliteConnection};

use super::Db;
use crate::domain::competence::Catalog;
use crate::domain::ids::DiscordId;
use crate::domain::task::{Task, TaskStatus, ValidTask};

#[derive(FromRow)]
struct TaskRow {
    id: i64,
    client_id: i64,
    client: String,
    competence: String,
    hours: f64,
    recurring: bool,
    deadline: NaiveDate,
    new_client: bool,
    description: Option<String>,
    status: String,
    parent_task_id: Option<i64>,
    created_by: Option<i64>,
    created_at: DateTime<Utc>,
}

impl TaskRow {
    fn into_domain(self, catalog: &Catalog) -> sqlx::Result<Task> {
        let decode = |what: &str| sqlx::Error::Decode(format!("task {}: {what}", self.id).into());
        let competence = catalog.by_key(&self.competence).ok_or_else(|| {
            decode(&format!(
                "competence {:?} is not in the catalog",
                self.competence
            ))
        })?;
        Ok(Task {
            id: self.id,
            client_id: self.client_id,
            client: self.client,
            competence: competence.id,
            area: competence.area,
            hours: self.hours,
            recurring: self.recurring,
            deadline: self.deadline,
            new_client: self.new_client,
            description: self.description,
            status: self.status.parse().map_err(|e: String| decode(&e))?,
            parent_task_id: self.parent_task_id,
            created_by: self.created_by.map(DiscordId::from_db),
            created_at: self.created_at,
        })
    }
}

const TASK_SELECT: &str = "SELECT t.id, t.client_id, c.name AS client, t.competence, t.hours, t.recurring, t.deadline, \
     t.new_client, t.description, t.status, t.parent_task_id, t.created_by, t.created_at \
     FROM tasks t JOIN clients c ON c.id = t.client_id";

impl Db {
    /// One task.
    pub async fn get_task(&self, catalog: &Catalog, id: i64) -> sqlx::Result<Option<Task>> {
        let mut conn = self.pool.acquire().await?;
        get_task(&mut conn, catalog, id).await
    }

    /// Tasks that still need a VPA, oldest first.
    pub async fn open_demand(&self, catalog: &Catalog) -> sqlx::Result<Vec<Task>> {
        let rows: Vec<TaskRow> = sqlx::query_as(&format!(
            "{TASK_SELECT} WHERE t.status IN ('open', 'surveying', 'escalated') ORDER BY t.created_at, t.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|r| r.into_domain(catalog)).collect()
    }
}

/// One task, on a given connection (inside a transaction).
pub async fn get_task(
    conn: &mut SqliteConnection,
    catalog: &Catalog,
    id: i64,
) -> sqlx::Result<Option<Task>> {
    let row: Option<TaskRow> = sqlx::query_as(&format!("{TASK_SELECT} WHERE t.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(|r| r.into_domain(catalog)).transpose()
}

/// Where a new task comes from: its client and who created it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskOrigin {
    pub client_id: i64,
    /// New to the agency.
    pub new_client: bool,
    /// Set on the parts of a split task.
    pub parent_task_id: Option<i64>,
    pub created_by: Option<DiscordId>,
}

/// Stores a new task with status `open` and its first history entry; returns its id.
#[tracing::instrument(skip_all)]
pub async fn insert_task(
    conn: &mut SqliteConnection,
    catalog: &Catalog,
    task: &ValidTask,
    origin: TaskOrigin,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tasks (client_id, competence, area, hours, recurring, deadline, new_client, description, status, \
         parent_task_id, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?) RETURNING id",
    )
    .bind(origin.client_id)
    .bind(&catalog.get(task.competence).key)
    .bind(task.area.key())
    .bind(task.hours)
    .bind(task.recurring)
    .bind(task.deadline)
    .bind(origin.new_client)
    .bind(&task.description)
    .bind(origin.parent_task_id)
    .bind(origin.created_by.map(DiscordId::to_db))
    .bind(now)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    record_status(
        conn,
        id,
        None,
        TaskStatus::Open,
        None,
        origin.created_by,
        now,
    )
    .await?;
    Ok(id)
}

/// A status change the lifecycle does not allow.
#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    #[error("task {task} cannot go from {from:?} to {to:?}")]
    NotAllowed {
        task: i64,
        from: TaskStatus,
        to: TaskStatus,
    },
    #[error("task {0} does not exist")]
    Missing(i64),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Moves a task to `to` if the lifecycle allows it, recording who and why.
#[tracing::instrument(skip_all, fields(task = task_id, to = to.key()))]
pub async fn set_status(
    conn: &mut SqliteConnection,
    task_id: i64,
    to: TaskStatus,
    note: Option<&str>,
    changed_by: Option<DiscordId>,
    now: DateTime<Utc>,
) -> Result<TaskStatus, StatusError> {
    let from: String = sqlx::query_scalar("SELECT status FROM tasks WHERE id = ?")
        .bind(task_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StatusError::Missing(task_id))?;
    let from: TaskStatus = from
        .parse()
        .map_err(|e: String| sqlx::Error::Decode(e.into()))?;
    if from == to {
        return Ok(from);
    }
    if !from.can_become(to) {
        return Err(StatusError::NotAllowed {
            task: task_id,
            from,
            to,
        });
    }
    sqlx::query("UPDATE tasks SET status = ?, updated_at = ? WHERE id = ?")
        .bind(to.key())
        .bind(now)
        .bind(task_id)
        .execute(&mut *conn)
        .await?;
    record_status(conn, task_id, Some(from), to, note, changed_by, now).await?;
    Ok(from)
}

async fn record_status(
    conn: &mut SqliteConnection,
    task_id: i64,
    from: Option<TaskStatus>,
    to: TaskStatus,
    note: Option<&str>,
    changed_by: Option<DiscordId>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO task_status_history (task_id, from_status, to_status, note, changed_by, changed_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(task_id)
    .bind(from.map(TaskStatus::key))
    .bind(to.key())
    .bind(note)
    .bind(changed_by.map(DiscordId::to_db))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// One recorded status change.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct StatusChange {
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: Option<String>,
    pub changed_at: DateTime<Utc>,
}

/// The recorded status changes of a task, oldest first.
pub async fn status_history(
    conn: &mut SqliteConnection,
    task_id: i64,
) -> sqlx::Result<Vec<StatusChange>> {
    sqlx::query_as(
        "SELECT from_status, to_status, note, changed_at FROM task_status_history WHERE task_id = ? ORDER BY id",
    )
    .bind(task_id)
    .fetch_all(conn)
    .await
}

/// Assigns a task to a VPA from `assigned_on`; the hours then count towards their utilization.
#[tracing::instrument(skip_all, fields(task = task.id, vpa = %vpa))]
pub async fn insert_assignment(
    conn: &mut SqliteConnection,
    task: &Task,
    vpa: DiscordId,
    hours: f64,
    assigned_on: NaiveDate,
    assigned_by: Option<DiscordId>,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO assignments (task_id, vpa_id, client_id, hours, recurring, assigned_on, deadline, assigned_by, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(task.id)
    .bind(vpa.to_db())
    .bind(task.client_id)
    .bind(hours)
    .bind(task.recurring)
    .bind(assigned_on)
    .bind(task.deadline.max(assigned_on))
    .bind(assigned_by.map(DiscordId::to_db))
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Ends a VPA's open assignment on a task; returns whether there was one.
pub async fn end_assignment(
    conn: &mut SqliteConnection,
    task_id: i64,
    vpa: DiscordId,
    ended_on: NaiveDate,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE assignments SET ended_on = ? WHERE task_id = ? AND vpa_id = ? AND ended_on IS NULL",
    )
    .bind(ended_on)
    .bind(task_id)
    .bind(vpa.to_db())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}
