//! Creating tasks and their first survey round.

use anyhow::Context;

use super::desk::Desk;
use crate::db::escalations::Cause;
use crate::db::outbox::{Intent, enqueue};
use crate::db::{clients, surveys, tasks, vpas};
use crate::domain::ids::DiscordId;
use crate::domain::ranking::rank;
use crate::domain::survey::RoundKind;
use crate::domain::task::{TaskDraft, TaskProblem, TaskStatus};

/// A task that was created.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskCreated {
    pub task_id: i64,
    pub round_id: i64,
    /// VPAs mentioned in the survey post (at most `survey.max_mentions`).
    pub surveyed: usize,
    /// All VPAs who fit (the rest can be reached by widening).
    pub fitting: usize,
}

/// Validates and stores a task, ranks the pool and opens the first survey round, all in one
/// transaction with the survey post queued in the outbox. Nothing is written for a bad draft.
#[tracing::instrument(skip_all, fields(by = %by))]
pub async fn create_task(
    desk: &Desk,
    draft: &TaskDraft,
    by: DiscordId,
) -> anyhow::Result<Result<TaskCreated, Vec<TaskProblem>>> {
    let config = &desk.config;
    let today = desk.today();
    let valid = match draft.validate(&config.catalog, today, &config.task_limits()) {
        Ok(valid) => valid,
        Err(problems) => return Ok(Err(problems)),
    };
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    let (client_id, client_is_new) = clients::find_or_create(&mut tx, &valid.client, now).await?;
    let new_client = match valid.new_client {
        Some(given) => given,
        None => client_is_new || !clients::has_history(&mut tx, client_id).await?,
    };
    let origin = tasks::TaskOrigin {
        client_id,
        new_client,
        parent_task_id: None,
        created_by: Some(by),
    };
    let task_id = tasks::insert_task(&mut tx, &config.catalog, &valid, origin, now).await?;
    let task = tasks::get_task(&mut tx, &config.catalog, task_id)
        .await?
        .context("the task just stored")?;
    let pool = vpas::load_vpas(&mut tx, &config.catalog, None).await?;
    let ranking = rank(&pool, &task.offer(), today);
    let invited = &ranking.fitting[..ranking
        .fitting
        .len()
        .min(config.settings.survey.max_mentions)];
    let round_id = open_round(
        &mut tx,
        desk,
        &task,
        RoundKind::First,
        task.competence,
        invited,
        Some(by),
        now,
    )
    .await?;
    tx.commit().await?;
    desk.ring_outbox();
    tracing::info!(
        task_id,
        round_id,
        surveyed = invited.len(),
        fitting = ranking.fitting.len(),
        "task created"
    );
    Ok(Ok(TaskCreated {
        task_id,
        round_id,
        surveyed: invited.len(),
        fitting: ranking.fitting.len(),
    }))
}

/// Opens a survey round for `task` mentioning `invited`: the round's window is the area's,
/// capped by the deadline; the task is surveying again; the post is queued. A round that would
/// survey nobody fails at once and goes to the manager.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn open_round(
    tx: &mut sqlx::SqliteConnection,
    desk: &Desk,
    task: &crate::domain::task::Task,
    kind: RoundKind,
    competence: crate::domain::competence::CompetenceId,
    invited: &[crate::domain::ranking::RankedVpa],
    by: Option<DiscordId>,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<i64> {
    let config = &desk.config;
    let closes_at = (now + config.survey_window(task.area)).min(desk.end_of_day(task.deadline));
    let competence_key = &config.catalog.get(competence).key;
    let round_id = surveys::insert_round(
        tx,
        task.id,
        kind,
        competence_key,
        invited,
        now,
        closes_at,
        by,
    )
    .await?;
    match tasks::set_status(
        tx,
        task.id,
        TaskStatus::Surveying,
        Some(kind.key()),
        by,
        now,
    )
    .await
    {
        Ok(_) | Err(tasks::StatusError::NotAllowed { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    if invited.is_empty() {
        sqlx::query("UPDATE survey_rounds SET closed_at = ?, outcome = 'nobody-fits' WHERE id = ?")
            .bind(now)
            .bind(round_id)
            .execute(&mut *tx)
            .await?;
        super::escalation::escalate(
            tx,
            task.id,
            Cause::NobodyFits,
            Some(round_id),
            None,
            by,
            now,
        )
        .await?;
    } else {
        enqueue(tx, &Intent::SurveyPost { round_id }, None, now, now).await?;
    }
    Ok(round_id)
}

/// Why a task action was refused; each becomes a clear German reply.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskRefusal {
    UnknownTask(i64),
    /// The task's status does not allow the action.
    WrongStatus {
        task_id: i64,
        status: TaskStatus,
    },
    /// The VPA has no profile.
    NotAVpa(DiscordId),
    /// The VPA is already assigned.
    AlreadyAssigned {
        task_id: i64,
        vpa: DiscordId,
    },
    /// The VPA is not assigned.
    NotAssigned {
        task_id: i64,
        vpa: DiscordId,
    },
}

/// An assignment that was made, with anything the coordinator should know.
#[derive(Debug, Clone, PartialEq)]
pub struct Assigned {
    pub task_id: i64,
    pub vpa: DiscordId,
    pub vpa_name: String,
    /// Why the VPA would not have been surveyed (the coordinator may still decide so).
    pub concerns: Vec<crate::domain::eligibility::Exclusion>,
    /// Utilization in this week after the assignment.
    pub utilization_after: Option<f64>,
}

async fn refresh_posts(
    tx: &mut sqlx::SqliteConnection,
    task_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let rounds: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM survey_rounds WHERE task_id = ? AND message_id IS NOT NULL",
    )
    .bind(task_id)
    .fetch_all(&mut *tx)
    .await?;
    for round_id in rounds {
        crate::db::outbox::enqueue_many(tx, &[crate::db::outbox::refresh_post(round_id, now)], now)
            .await?;
    }
    Ok(())
}

/// Assigns a task to a VPA: the hours count towards their utilization, the survey posts show
/// "vergeben", and the VPA is told by DM (with the client's name, which the post leaves out).
#[tracing::instrument(skip_all, fields(task_id, vpa = %vpa, by = %by))]
pub async fn assign(
    desk: &Desk,
    task_id: i64,
    vpa: DiscordId,
    by: DiscordId,
) -> anyhow::Result<Result<Assigned, TaskRefusal>> {
    let catalog = &desk.config.catalog;
    let (now, today) = (desk.now(), desk.today());
    let mut tx = desk.db.begin_write().await?;
    let Some(task) = tasks::get_task(&mut tx, catalog, task_id).await? else {
        return Ok(Err(TaskRefusal::UnknownTask(task_id)));
    };
    if !matches!(
        task.status,
        TaskStatus::Open | TaskStatus::Surveying | TaskStatus::Escalated | TaskStatus::Assigned
    ) {
        return Ok(Err(TaskRefusal::WrongStatus {
            task_id,
            status: task.status,
        }));
    }
    let Some(mut profile) = vpas::load_vpas(&mut tx, catalog, Some(vpa)).await?.pop() else {
        return Ok(Err(TaskRefusal::NotAVpa(vpa)));
    };
    let already: bool = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM assignments WHERE task_id = ? AND vpa_id = ? AND ended_on IS NULL",
    )
    .bind(task_id)
    .bind(vpa.to_db())
    .fetch_one(&mut *tx)
    .await?
        > 0;
    if already {
        return Ok(Err(TaskRefusal::AlreadyAssigned { task_id, vpa }));
    }
    let concerns = crate::domain::eligibility::check(&profile, &task.offer(), today)
        .err()
        .unwrap_or_default();
    tasks::insert_assignment(&mut tx, &task, vpa, task.hours, today, Some(by), now).await?;
    tasks::set_status(&mut tx, task_id, TaskStatus::Assigned, None, Some(by), now).await?;
    refresh_posts(&mut tx, task_id, now).await?;
    let text = crate::messages::assigned_to_vpa(&task, &catalog.get(task.competence).name);
    enqueue(
        &mut tx,
        &Intent::Dm {
            user_id: vpa.0,
            text,
            buttons: Vec::new(),
        },
        None,
        now,
        now,
    )
    .await?;
    tx.commit().await?;
    desk.ring_outbox();
    desk.pool_changed();
    profile.commitments.push(task.offer().as_commitment(today));
    let utilization_after =
        crate::domain::utilization::utilization(&profile.commitments, profile.weekly_hours, today);
    Ok(Ok(Assigned {
        task_id,
        vpa,
        vpa_name: profile.name,
        concerns,
        utilization_after,
    }))
}

/// Takes a task back from a VPA: their hours are free again; without any VPA left the task is
/// open demand again.
#[tracing::instrument(skip_all, fields(task_id, vpa = %vpa, by = %by))]
pub async fn unassign(
    desk: &Desk,
    task_id: i64,
    vpa: DiscordId,
    by: DiscordId,
) -> anyhow::Result<Result<TaskStatus, TaskRefusal>> {
    let (now, today) = (desk.now(), desk.today());
    let mut tx = desk.db.begin_write().await?;
    let Some(task) = tasks::get_task(&mut tx, &desk.config.catalog, task_id).await? else {
        return Ok(Err(TaskRefusal::UnknownTask(task_id)));
    };
    if !tasks::end_assignment(&mut tx, task_id, vpa, today).await? {
        return Ok(Err(TaskRefusal::NotAssigned { task_id, vpa }));
    }
    let remaining: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM assignments WHERE task_id = ? AND ended_on IS NULL",
    )
    .bind(task_id)
    .fetch_one(&mut *tx)
    .await?;
    let status = if remaining == 0 && task.status == TaskStatus::Assigned {
        tasks::set_status(
            &mut tx,
            task_id,
            TaskStatus::Surveying,
            Some("Zuweisung aufgehoben"),
            Some(by),
            now,
        )
        .await?;
        TaskStatus::Surveying
    } else {
        task.status
    };
    refresh_posts(&mut tx, task_id, now).await?;
    let text = crate::messages::unassigned_to_vpa(task_id);
    enqueue(
        &mut tx,
        &Intent::Dm {
            user_id: vpa.0,
            text,
            buttons: Vec::new(),
        },
        None,
        now,
        now,
    )
    .await?;
    tx.commit().await?;
    desk.ring_outbox();
    desk.pool_changed();
    Ok(Ok(status))
}

/// Closes a task as done or cancelled: its assignments end, its open rounds close, its posts
/// show the outcome.
#[tracing::instrument(skip_all, fields(task_id, to = to.key(), by = %by))]
pub async fn close(
    desk: &Desk,
    task_id: i64,
    to: TaskStatus,
    note: Option<&str>,
    by: DiscordId,
) -> anyhow::Result<Result<(), TaskRefusal>> {
    let (now, today) = (desk.now(), desk.today());
    let mut tx = desk.db.begin_write().await?;
    match tasks::set_status(&mut tx, task_id, to, note, Some(by), now).await {
        Ok(_) => {}
        Err(tasks::StatusError::Missing(_)) => return Ok(Err(TaskRefusal::UnknownTask(task_id))),
        Err(tasks::StatusError::NotAllowed { from, .. }) => {
            return Ok(Err(TaskRefusal::WrongStatus {
                task_id,
                status: from,
            }));
        }
        Err(tasks::StatusError::Db(e)) => return Err(e.into()),
    }
    sqlx::query("UPDATE assignments SET ended_on = ? WHERE task_id = ? AND ended_on IS NULL")
        .bind(today)
        .bind(task_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE survey_rounds SET closed_at = ?, outcome = ? WHERE task_id = ? AND closed_at IS NULL")
        .bind(now)
        .bind(to.key())
        .bind(task_id)
        .execute(&mut *tx)
        .await?;
    refresh_posts(&mut tx, task_id, now).await?;
    tx.commit().await?;
    desk.ring_outbox();
    desk.pool_changed();
    Ok(Ok(()))
}

/// A task with its VPAs, for `/task show`.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskDetails {
    pub task: crate::domain::task::Task,
    pub assignees: Vec<(DiscordId, String)>,
    pub rounds: Vec<(
        crate::db::surveys::Round,
        crate::domain::survey::AnswerCounts,
    )>,
    pub history: Vec<tasks::StatusChange>,
}

/// Everything about one task.
pub async fn details(desk: &Desk, task_id: i64) -> anyhow::Result<Option<TaskDetails>> {
    let Some(task) = desk.db.get_task(&desk.config.catalog, task_id).await? else {
        return Ok(None);
    };
    let assignees: Vec<(i64, String)> = sqlx::query_as(
        "SELECT a.vpa_id, COALESCE(v.name, '') FROM assignments a LEFT JOIN vpas v ON v.discord_id = a.vpa_id \
         WHERE a.task_id = ? AND a.ended_on IS NULL ORDER BY a.id",
    )
    .bind(task_id)
    .fetch_all(&desk.db.pool)
    .await?;
    let mut rounds = Vec::new();
    for round in desk.db.rounds_of_task(task_id).await? {
        let counts = desk.db.answer_counts(round.id).await?;
        rounds.push((round, counts));
    }
    let mut conn = desk.db.pool.acquire().await?;
    let history = tasks::status_history(&mut conn, task_id).await?;
    Ok(Some(TaskDetails {
        task,
        assignees: assignees
            .into_iter()
            .map(|(id, name)| (DiscordId::from_db(id), name))
            .collect(),
        rounds,
        history,
    }))
}
