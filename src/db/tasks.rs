//! Tasks, their status history and assignments.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;

use super::Db;
use super::codec::key_list;
use crate::domain::competence::Catalog;
use crate::domain::ids::{ClientId, DiscordId, TaskId};
pub use crate::domain::task::StatusChange;
use crate::domain::task::{PartOf, StatusDetail, Task, TaskStatus, ValidTask};
use crate::domain::utilization::Commitment;

from_row! {
    struct TaskRow {
        id: TaskId,
        client_id: ClientId,
        client: String,
        competence: String,
        hours: f64,
        recurring: bool,
        deadline: NaiveDate,
        new_client: bool,
        description: Option<String>,
        status: TaskStatus,
        parent_task_id: Option<TaskId>,
        created_by: Option<DiscordId>,
        created_at: DateTime<Utc>,
    }
}

impl TaskRow {
    fn into_domain(self, catalog: &Catalog) -> sqlx::Result<Task> {
        let competence = catalog.by_key(&self.competence).ok_or_else(|| {
            sqlx::Error::Decode(
                format!(
                    "task {}: competence {:?} is not in the catalog",
                    self.id, self.competence
                )
                .into(),
            )
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
            status: self.status,
            parent_task_id: self.parent_task_id,
            created_by: self.created_by,
            created_at: self.created_at,
        })
    }
}

const TASK_SELECT: &str = "SELECT t.id, t.client_id, c.name AS client, t.competence, t.hours, t.recurring, t.deadline, \
     t.new_client, t.description, t.status, t.parent_task_id, t.created_by, t.created_at \
     FROM tasks t JOIN clients c ON c.id = t.client_id";

impl Db {
    /// One task.
    pub async fn get_task(&self, catalog: &Catalog, id: TaskId) -> sqlx::Result<Option<Task>> {
        let mut conn = self.read().await?;
        get_task(&mut conn, catalog, id).await
    }

    /// Tasks that still need a VPA, oldest first.
    pub async fn open_demand(&self, catalog: &Catalog) -> sqlx::Result<Vec<Task>> {
        let open = key_list(&TaskStatus::OPEN_DEMAND, TaskStatus::key);
        let rows: Vec<TaskRow> = sqlx::query_as(&format!(
            "{TASK_SELECT} WHERE t.status IN ({open}) ORDER BY t.created_at, t.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|r| r.into_domain(catalog)).collect()
    }

    /// Which part of its parent a task is (none for a task that is no part).
    pub async fn part_of(&self, task: &Task) -> sqlx::Result<Option<PartOf>> {
        let Some(parent) = task.parent_task_id else {
            return Ok(None);
        };
        let (index, count): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(id <= ?2), 0), COUNT(*) FROM tasks WHERE parent_task_id = ?1",
        )
        .bind(parent)
        .bind(task.id)
        .fetch_one(&self.pool)
        .await?;
        Ok(Some(PartOf {
            parent,
            index: u32::try_from(index).unwrap_or(0),
            count: u32::try_from(count).unwrap_or(0),
        }))
    }

    /// What the task's last edit changed; none if it was never edited.
    pub async fn last_edit(&self, task_id: TaskId) -> sqlx::Result<Option<StatusDetail>> {
        let detail: Option<String> = sqlx::query_scalar(
            "SELECT detail FROM task_status_history WHERE task_id = ? AND detail LIKE '{\"what\":\"edited\"%' \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(task_id)
        .fetch_optional(&self.pool)
        .await?;
        detail
            .map(|d| serde_json::from_str(&d).map_err(|e| sqlx::Error::Decode(Box::new(e))))
            .transpose()
    }

    /// The parts a task was split into, in order: id, hours, status.
    pub async fn parts_of(&self, task_id: TaskId) -> sqlx::Result<Vec<(TaskId, f64, TaskStatus)>> {
        let rows: Vec<(TaskId, f64, String)> = sqlx::query_as(
            "SELECT id, hours, status FROM tasks WHERE parent_task_id = ? ORDER BY id",
        )
        .bind(task_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, hours, status)| {
                let status = status
                    .parse()
                    .map_err(|e: String| sqlx::Error::Decode(e.into()))?;
                Ok((id, hours, status))
            })
            .collect()
    }

    /// The VPAs holding a task now, with their names, in the order they got it.
    pub async fn assignees(&self, task_id: TaskId) -> sqlx::Result<Vec<(DiscordId, String)>> {
        sqlx::query_as(
            "SELECT a.vpa_id, COALESCE(v.name, '') FROM assignments a LEFT JOIN vpas v ON v.discord_id = a.vpa_id \
             WHERE a.task_id = ? AND a.ended_on IS NULL ORDER BY a.id",
        )
        .bind(task_id)
        .fetch_all(&self.pool)
        .await
    }

    /// The recorded status changes of a task, oldest first.
    pub async fn status_history(&self, task_id: TaskId) -> sqlx::Result<Vec<StatusChange>> {
        let rows: Vec<StatusRow> = sqlx::query_as(
            "SELECT from_status, to_status, note, detail, changed_at FROM task_status_history WHERE task_id = ? ORDER BY id",
        )
        .bind(task_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(StatusRow::into_domain).collect()
    }
}

/// One task, on a given connection (inside a transaction).
pub async fn get_task(
    conn: &mut SqliteConnection,
    catalog: &Catalog,
    id: TaskId,
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
    pub client_id: ClientId,
    /// New to the agency.
    pub new_client: bool,
    /// Set on the parts of a split task.
    pub parent_task_id: Option<TaskId>,
    pub created_by: Option<DiscordId>,
}

/// Stores a new task with status `open` and its first history entry; returns its id.
#[tracing::instrument(skip_all)]
/// Who created a task (the coordinator concerned by it), if known.
pub async fn created_by(
    conn: &mut SqliteConnection,
    task_id: TaskId,
) -> sqlx::Result<Option<DiscordId>> {
    let by: Option<Option<DiscordId>> =
        sqlx::query_scalar("SELECT created_by FROM tasks WHERE id = ?")
            .bind(task_id)
            .fetch_optional(conn)
            .await?;
    Ok(by.flatten())
}

pub async fn insert_task(
    conn: &mut SqliteConnection,
    catalog: &Catalog,
    task: &ValidTask,
    origin: TaskOrigin,
    now: DateTime<Utc>,
) -> sqlx::Result<TaskId> {
    let id: TaskId = sqlx::query_scalar(
        "INSERT INTO tasks (client_id, competence, area, hours, recurring, deadline, new_client, description, status, \
         parent_task_id, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(origin.client_id)
    .bind(&catalog.get(task.competence).key)
    .bind(task.area)
    .bind(task.hours)
    .bind(task.recurring)
    .bind(task.deadline)
    .bind(origin.new_client)
    .bind(&task.description)
    .bind(TaskStatus::Open)
    .bind(origin.parent_task_id)
    .bind(origin.created_by)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    record_status(
        conn,
        id,
        None,
        TaskStatus::Open,
        &Why::default(),
        origin.created_by,
        now,
    )
    .await?;
    Ok(id)
}

/// Why a task's status changed (or a history entry was written): what the system did, and
/// what a person typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Why<'a> {
    pub detail: Option<StatusDetail>,
    pub note: Option<&'a str>,
}

impl<'a> Why<'a> {
    /// What the system did.
    pub fn detail(detail: StatusDetail) -> Why<'a> {
        Why {
            detail: Some(detail),
            note: None,
        }
    }

    /// What a person typed (e.g. a cancel reason).
    pub fn note(note: Option<&'a str>) -> Why<'a> {
        Why { detail: None, note }
    }
}

/// A status change the lifecycle does not allow.
#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    #[error("task {task} cannot go from {from:?} to {to:?}")]
    NotAllowed {
        task: TaskId,
        from: TaskStatus,
        to: TaskStatus,
    },
    #[error("task {0} does not exist")]
    Missing(TaskId),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Moves a task to `to` if the lifecycle allows it, recording who and why.
#[tracing::instrument(skip_all, fields(task = %task_id, to = to.key()))]
pub async fn set_status(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    to: TaskStatus,
    why: &Why<'_>,
    changed_by: Option<DiscordId>,
    now: DateTime<Utc>,
) -> Result<TaskStatus, StatusError> {
    let from: TaskStatus = sqlx::query_scalar("SELECT status FROM tasks WHERE id = ?")
        .bind(task_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StatusError::Missing(task_id))?;
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
        .bind(to)
        .bind(now)
        .bind(task_id)
        .execute(&mut *conn)
        .await?;
    record_status(conn, task_id, Some(from), to, why, changed_by, now).await?;
    Ok(from)
}

/// Records something that happened to a task without changing its status (a split, an edit).
pub async fn record_detail(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    status: TaskStatus,
    detail: StatusDetail,
    changed_by: Option<DiscordId>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let why = Why::detail(detail);
    record_status(conn, task_id, Some(status), status, &why, changed_by, now).await
}

async fn record_status(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    from: Option<TaskStatus>,
    to: TaskStatus,
    why: &Why<'_>,
    changed_by: Option<DiscordId>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let detail = why
        .detail
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO task_status_history (task_id, from_status, to_status, note, detail, changed_by, changed_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(task_id)
    .bind(from)
    .bind(to)
    .bind(why.note)
    .bind(detail)
    .bind(changed_by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The editable details of a task.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskDetailsUpdate<'a> {
    pub deadline: NaiveDate,
    pub hours: f64,
    pub description: Option<&'a str>,
    /// Catalog key; the area goes with it.
    pub competence: &'a str,
    pub area: crate::domain::area::WorkArea,
    pub new_client: bool,
}

/// Changes what `/task edit` may change.
pub async fn update_details(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    update: &TaskDetailsUpdate<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE tasks SET deadline = ?, hours = ?, description = ?, competence = ?, area = ?, new_client = ?, \
         updated_at = ? WHERE id = ?",
    )
    .bind(update.deadline)
    .bind(update.hours)
    .bind(update.description)
    .bind(update.competence)
    .bind(update.area.key())
    .bind(update.new_client)
    .bind(now)
    .bind(task_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The open assignments of a task: who holds it, and what it takes of their hours now.
pub async fn held_commitments(
    conn: &mut SqliteConnection,
    task_id: TaskId,
) -> sqlx::Result<Vec<(DiscordId, Commitment)>> {
    let rows: Vec<(
        DiscordId,
        f64,
        bool,
        NaiveDate,
        NaiveDate,
        Option<NaiveDate>,
    )> = sqlx::query_as(
        "SELECT vpa_id, hours, recurring, assigned_on, deadline, until FROM assignments \
         WHERE task_id = ? AND ended_on IS NULL ORDER BY id",
    )
    .bind(task_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(vpa, hours, recurring, assigned_on, deadline, until)| {
            let commitment = if recurring {
                Commitment::Recurring {
                    hours_per_week: hours,
                    from: assigned_on,
                    until,
                }
            } else {
                Commitment::OneOff {
                    hours,
                    assigned_on,
                    deadline,
                }
            };
            (vpa, commitment)
        })
        .collect())
}

/// The task's open assignments take its edited hours and deadline (never before the day they
/// were assigned), so utilization follows the edit.
pub async fn follow_edit(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    hours: f64,
    deadline: NaiveDate,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE assignments SET hours = ?, deadline = max(?, assigned_on) WHERE task_id = ? AND ended_on IS NULL",
    )
    .bind(hours)
    .bind(deadline)
    .bind(task_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

from_row! {
    struct StatusRow {
        from_status: Option<TaskStatus>,
        to_status: TaskStatus,
        note: Option<String>,
        detail: Option<String>,
        changed_at: DateTime<Utc>,
    }
}

impl StatusRow {
    fn into_domain(self) -> sqlx::Result<StatusChange> {
        let detail = self
            .detail
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        Ok(StatusChange {
            from_status: self.from_status,
            to_status: self.to_status,
            note: self.note,
            detail,
            changed_at: self.changed_at,
        })
    }
}

/// Assigns a task to a VPA from `assigned_on`; the hours then count towards their utilization.
#[tracing::instrument(skip_all, fields(task = %task.id, vpa = %vpa))]
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
    .bind(vpa)
    .bind(task.client_id)
    .bind(hours)
    .bind(task.recurring)
    .bind(assigned_on)
    .bind(task.deadline.max(assigned_on))
    .bind(assigned_by)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Whether the VPA holds the task now.
pub async fn has_open_assignment(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    vpa: DiscordId,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM assignments WHERE task_id = ? AND vpa_id = ? AND ended_on IS NULL)",
    )
    .bind(task_id)
    .bind(vpa)
    .fetch_one(conn)
    .await
}

/// Whether the task was split into parts already.
pub async fn has_parts(conn: &mut SqliteConnection, task_id: TaskId) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM tasks WHERE parent_task_id = ?)")
        .bind(task_id)
        .fetch_one(conn)
        .await
}

/// The VPAs who hold the task now.
pub async fn open_holders(
    conn: &mut SqliteConnection,
    task_id: TaskId,
) -> sqlx::Result<Vec<DiscordId>> {
    sqlx::query_scalar(
        "SELECT vpa_id FROM assignments WHERE task_id = ? AND ended_on IS NULL ORDER BY id",
    )
    .bind(task_id)
    .fetch_all(conn)
    .await
}

/// How many VPAs hold the task now.
pub async fn open_assignment_count(
    conn: &mut SqliteConnection,
    task_id: TaskId,
) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM assignments WHERE task_id = ? AND ended_on IS NULL")
        .bind(task_id)
        .fetch_one(conn)
        .await
}

/// Ends a VPA's open assignment on a task; returns whether there was one.
pub async fn end_assignment(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    vpa: DiscordId,
    ended_on: NaiveDate,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE assignments SET ended_on = ? WHERE task_id = ? AND vpa_id = ? AND ended_on IS NULL",
    )
    .bind(ended_on)
    .bind(task_id)
    .bind(vpa)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Ends every open assignment of a task (it is done or cancelled).
pub async fn end_assignments_of_task(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    ended_on: NaiveDate,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE assignments SET ended_on = ? WHERE task_id = ? AND ended_on IS NULL")
        .bind(ended_on)
        .bind(task_id)
        .execute(conn)
        .await?;
    Ok(())
}
