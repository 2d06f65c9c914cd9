//! Creating tasks and their first survey round.

use anyhow::Context;

use super::desk::Desk;
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
    let task_id = tasks::insert_task(
        &mut tx,
        &config.catalog,
        &valid,
        client_id,
        new_client,
        None,
        Some(by),
        now,
    )
    .await?;
    let task = tasks::get_task(&mut tx, &config.catalog, task_id)
        .await?
        .context("the task just stored")?;
    let pool = vpas::load_vpas(&mut tx, &config.catalog, None).await?;
    let ranking = rank(&pool, &task.offer(), today);
    let invited = &ranking.fitting[..ranking
        .fitting
        .len()
        .min(config.settings.survey.max_mentions)];
    let closes_at = (now + config.survey_window(task.area)).min(desk.end_of_day(task.deadline));
    let competence_key = &config.catalog.get(task.competence).key;
    let round_id = surveys::insert_round(
        &mut tx,
        task_id,
        RoundKind::First,
        competence_key,
        invited,
        now,
        closes_at,
        Some(by),
    )
    .await?;
    tasks::set_status(&mut tx, task_id, TaskStatus::Surveying, None, Some(by), now).await?;
    if !invited.is_empty() {
        enqueue(&mut tx, &Intent::SurveyPost { round_id }, None, now, now).await?;
    }
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
