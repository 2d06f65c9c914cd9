//! The task use cases: creating a task with its first survey round, assigning and unassigning
//! VPAs, closing, editing, and the views of one task and of the open demand.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::desk::{Act, Desk};
use super::error::{Refusal, Result, refuse};
use crate::db::outbox::{self, Intent, NewItem};
use crate::db::surveys::{self, NewRound, Round};
use crate::db::tasks::{self, StatusChange, Why};
use crate::db::{clients, vpas};
use crate::domain::competence::CompetenceId;
use crate::domain::eligibility::Exclusion;
use crate::domain::escalation::EscalationCause;
use crate::domain::ids::{DiscordId, RoundId, TaskId};
use crate::domain::outbox::DirectMessage;
use crate::domain::ranking::RankedVpa;
use crate::domain::survey::{AnswerCounts, RoundKind, RoundOutcome};
use crate::domain::task::{StatusDetail, Task, TaskDraft, TaskStatus};

/// A task that was created.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskCreated {
    pub task_id: TaskId,
    pub round_id: RoundId,
    /// VPAs mentioned in the survey post (at most `survey.max_mentions`).
    pub surveyed: usize,
    /// All VPAs who fit (the rest can be reached by widening).
    pub fitting: usize,
}

/// Validates and stores a task, ranks the pool and opens the first survey round, all in one
/// transaction with the survey post queued in the outbox. Nothing is written for a bad draft.
#[tracing::instrument(skip_all, fields(by = %act.by))]
pub async fn create_task(desk: &Desk, draft: &TaskDraft, act: &Act) -> Result<TaskCreated> {
    let config = &desk.config;
    let today = desk.today();
    let valid = draft
        .validate(&config.catalog, today, &config.task_limits())
        .map_err(Refusal::InvalidTask)?;
    // Read and rank before taking the write lock, so the transaction only writes and answers
    // arriving meanwhile wait for the writes alone. Only who holds the competence can fit: the
    // read follows the task, not the pool.
    let known_client = desk.db.client_id(&valid.client).await?;
    let offer = crate::domain::task::Offer {
        competence: valid.competence,
        hours: valid.hours,
        recurring: valid.recurring,
        deadline: valid.deadline,
        client_id: known_client,
        // Decided in the write below as there: said so, or a client nobody served yet.
        new_client: valid.new_client == Some(true) || known_client.is_none(),
    };
    let ranking = super::rank_holders(desk, &offer).await?.ranking;
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    desk.mark_handled(&mut tx, act).await?;
    let (client_id, client_is_new) = clients::find_or_create(&mut tx, &valid.client, now).await?;
    let new_client = match valid.new_client {
        Some(given) => given,
        None => client_is_new || !clients::has_history(&mut tx, client_id).await?,
    };
    let origin = tasks::TaskOrigin {
        client_id,
        new_client,
        parent_task_id: None,
        created_by: Some(act.by),
    };
    let task_id = tasks::insert_task(&mut tx, &config.catalog, &valid, origin, now).await?;
    let task = tasks::get_task(&mut tx, &config.catalog, task_id)
        .await?
        .context("the task just stored")?;
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
        Some(act.by),
        now,
    )
    .await?;
    // More fit than one post mentions: the next are asked at half the window if nobody has
    // accepted by then (restart-safe: the time is stored with the round).
    if ranking.fitting.len() > invited.len() {
        let half = config.survey_window(task.area) / 2;
        surveys::set_wave_at(&mut tx, round_id, now + half).await?;
    }
    tx.commit().await?;
    desk.ring_outbox();
    tracing::info!(
        %task_id,
        %round_id,
        surveyed = invited.len(),
        fitting = ranking.fitting.len(),
        "task created"
    );
    Ok(TaskCreated {
        task_id,
        round_id,
        surveyed: invited.len(),
        fitting: ranking.fitting.len(),
    })
}

/// Opens a survey round for `task` mentioning `invited`: the round's window is the area's,
/// capped by the deadline; the task is surveying again; the post is queued. A round that would
/// survey nobody fails at once and goes to the manager.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn open_round(
    tx: &mut SqliteConnection,
    desk: &Desk,
    task: &Task,
    kind: RoundKind,
    competence: CompetenceId,
    invited: &[RankedVpa],
    by: Option<DiscordId>,
    now: DateTime<Utc>,
) -> Result<RoundId> {
    let config = &desk.config;
    let closes_at = (now + config.survey_window(task.area)).min(desk.end_of_day(task.deadline));
    let round_id = surveys::insert_round(
        tx,
        &NewRound {
            task_id: task.id,
            kind,
            competence_key: &config.catalog.get(competence).key,
            invitees: invited,
            opened_at: now,
            closes_at,
            created_by: by,
        },
    )
    .await?;
    match tasks::set_status(
        tx,
        task.id,
        TaskStatus::Surveying,
        &Why::detail(StatusDetail::RoundOpened { kind }),
        by,
        now,
    )
    .await
    {
        Ok(_) | Err(tasks::StatusError::NotAllowed { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    if invited.is_empty() {
        surveys::close_round(tx, round_id, RoundOutcome::NobodyFits, None, now).await?;
        super::escalation::escalate(
            tx,
            task.id,
            EscalationCause::NobodyFits,
            Some(round_id),
            None,
            by,
            now,
        )
        .await?;
    } else {
        outbox::enqueue(tx, outbox::once(Intent::SurveyPost { round_id }, now), now).await?;
    }
    Ok(round_id)
}

/// Queues a refresh of every survey post of the task (they show its status).
pub(crate) async fn refresh_posts(
    tx: &mut SqliteConnection,
    task_id: TaskId,
    now: DateTime<Utc>,
) -> Result<()> {
    let items: Vec<NewItem> = surveys::posted_rounds_of_task(tx, task_id)
        .await?
        .into_iter()
        .map(|round_id| outbox::refresh_post(round_id, now))
        .collect();
    outbox::enqueue_many(tx, &items, now).await?;
    Ok(())
}

/// A direct message, queued now.
pub(crate) fn direct(to: DiscordId, message: DirectMessage, now: DateTime<Utc>) -> NewItem {
    outbox::once(Intent::Direct { to, message }, now)
}

/// An assignment that was made, with anything the coordinator should know.
#[derive(Debug, Clone, PartialEq)]
pub struct Assigned {
    pub task_id: TaskId,
    pub vpa: DiscordId,
    pub vpa_name: String,
    /// Why the VPA would not have been surveyed (the coordinator may still decide so).
    pub concerns: Vec<Exclusion>,
    /// Utilization in this week after the assignment.
    pub utilization_after: Option<f64>,
}

/// Reads a task inside a transaction, refusing an unknown one.
async fn task_in(tx: &mut SqliteConnection, desk: &Desk, task_id: TaskId) -> Result<Task> {
    tasks::get_task(tx, &desk.config.catalog, task_id)
        .await?
        .ok_or_else(|| Refusal::UnknownTask(task_id).into())
}

/// Assigns a task to a VPA: the hours count towards their utilization, the survey posts show
/// "vergeben", and the VPA is told by DM (with the client's name, which the post leaves out).
#[tracing::instrument(skip_all, fields(%task_id, vpa = %vpa, by = %act.by))]
///
/// A VPA whose answer an edit outdated is assigned only `anyway` (the coordinator confirmed).
pub async fn assign(
    desk: &Desk,
    task_id: TaskId,
    vpa: DiscordId,
    anyway: bool,
    act: &Act,
) -> Result<Assigned> {
    let catalog = &desk.config.catalog;
    let (now, today) = (desk.now(), desk.today());
    let mut tx = desk.db.begin_write().await?;
    desk.mark_handled(&mut tx, act).await?;
    let task = task_in(&mut tx, desk, task_id).await?;
    if !(task.status.is_open_demand() || task.status == TaskStatus::Assigned) {
        return refuse(Refusal::WrongStatus {
            task: task_id,
            status: task.status,
        });
    }
    let Some(mut profile) = vpas::load_vpas(&mut tx, catalog, Some(vpa)).await?.pop() else {
        return refuse(Refusal::NotAVpa(vpa));
    };
    if tasks::has_open_assignment(&mut tx, task_id, vpa).await? {
        return refuse(Refusal::AlreadyAssigned { task: task_id, vpa });
    }
    if !anyway
        && let Some(reasons) = crate::db::edits::outdated_reasons(&mut tx, task_id, vpa).await?
    {
        return refuse(Refusal::OutdatedAnswer {
            task: Box::new(task),
            vpa,
            reasons,
        });
    }
    let concerns = crate::domain::eligibility::check(&profile, &task.offer(), today)
        .err()
        .unwrap_or_default();
    // A task handed on after a drop-out: this assignment takes it over (a cover until its end).
    match crate::db::hand_overs::open_hand_over_of_task(&mut tx, task_id).await? {
        Some((hand_over, cover_from, cover_until)) => {
            let from = cover_from.map_or(today, |f| f.max(today));
            crate::db::hand_overs::insert_take_over(
                &mut tx,
                &task,
                vpa,
                from,
                cover_until,
                hand_over,
                Some(act.by),
                now,
            )
            .await?;
            crate::db::hand_overs::set_state(
                &mut tx,
                hand_over,
                crate::db::hand_overs::HandOverState::Taken,
                Some(vpa),
                now,
            )
            .await?;
            crate::db::hand_overs::void_waitlist(&mut tx, hand_over, now).await?;
        }
        None => {
            tasks::insert_assignment(&mut tx, &task, vpa, task.hours, today, Some(act.by), now)
                .await?;
        }
    }
    tasks::set_status(
        &mut tx,
        task_id,
        TaskStatus::Assigned,
        &Why::default(),
        Some(act.by),
        now,
    )
    .await?;
    refresh_posts(&mut tx, task_id, now).await?;
    outbox::enqueue(
        &mut tx,
        direct(vpa, DirectMessage::Assigned { task_id }, now),
        now,
    )
    .await?;
    tx.commit().await?;
    desk.ring_outbox();
    desk.pool_changed();
    profile.commitments.push(task.offer().as_commitment(today));
    let utilization_after =
        crate::domain::utilization::utilization(&profile.commitments, profile.weekly_hours, today);
    Ok(Assigned {
        task_id,
        vpa,
        vpa_name: profile.name,
        concerns,
        utilization_after,
    })
}

/// Takes a task back from a VPA: their hours are free again; without any VPA left the task is
/// open demand again. Returns the task's status after.
#[tracing::instrument(skip_all, fields(%task_id, vpa = %vpa, by = %act.by))]
pub async fn unassign(
    desk: &Desk,
    task_id: TaskId,
    vpa: DiscordId,
    act: &Act,
) -> Result<TaskStatus> {
    let (now, today) = (desk.now(), desk.today());
    let mut tx = desk.db.begin_write().await?;
    desk.mark_handled(&mut tx, act).await?;
    let task = task_in(&mut tx, desk, task_id).await?;
    if !tasks::end_assignment(&mut tx, task_id, vpa, today).await? {
        return refuse(Refusal::NotAssigned { task: task_id, vpa });
    }
    let remaining = tasks::open_assignment_count(&mut tx, task_id).await?;
    let status = if remaining == 0 && task.status == TaskStatus::Assigned {
        tasks::set_status(
            &mut tx,
            task_id,
            TaskStatus::Surveying,
            &Why::detail(StatusDetail::Unassigned),
            Some(act.by),
            now,
        )
        .await?;
        TaskStatus::Surveying
    } else {
        task.status
    };
    refresh_posts(&mut tx, task_id, now).await?;
    outbox::enqueue(
        &mut tx,
        direct(vpa, DirectMessage::Unassigned { task_id }, now),
        now,
    )
    .await?;
    tx.commit().await?;
    desk.ring_outbox();
    desk.pool_changed();
    Ok(status)
}

/// Closes a task as done or cancelled: its assignments end, its open rounds close, its posts
/// show the outcome.
#[tracing::instrument(skip_all, fields(%task_id, to = to.key(), by = %act.by))]
pub async fn close(
    desk: &Desk,
    task_id: TaskId,
    to: TaskStatus,
    note: Option<&str>,
    act: &Act,
) -> Result<()> {
    let (now, today) = (desk.now(), desk.today());
    let mut tx = desk.db.begin_write().await?;
    desk.mark_handled(&mut tx, act).await?;
    match tasks::set_status(&mut tx, task_id, to, &Why::note(note), Some(act.by), now).await {
        Ok(_) => {}
        Err(tasks::StatusError::Missing(_)) => return refuse(Refusal::UnknownTask(task_id)),
        Err(tasks::StatusError::NotAllowed { from, .. }) => {
            return refuse(Refusal::WrongStatus {
                task: task_id,
                status: from,
            });
        }
        Err(e) => return Err(e.into()),
    }
    tasks::end_assignments_of_task(&mut tx, task_id, today).await?;
    crate::db::hand_overs::close_of_task(&mut tx, task_id, now).await?;
    surveys::close_open_rounds_of_task(&mut tx, task_id, RoundOutcome::Settled, now).await?;
    refresh_posts(&mut tx, task_id, now).await?;
    tx.commit().await?;
    desk.ring_outbox();
    desk.pool_changed();
    Ok(())
}

/// A task with its VPAs, rounds and history, for `/task show`.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskDetails {
    pub task: Task,
    /// Which part of a split task this is.
    pub part_of: Option<crate::domain::task::PartOf>,
    /// A split task's parts: id, hours, status.
    pub parts: Vec<(TaskId, f64, TaskStatus)>,
    pub assignees: Vec<(DiscordId, String)>,
    pub rounds: Vec<(Round, AnswerCounts)>,
    pub history: Vec<StatusChange>,
    /// Hand-overs after its holders dropped out, oldest first.
    pub hand_overs: Vec<super::dropout::HandOverView>,
}

/// Everything about one task.
pub async fn details(desk: &Desk, task_id: TaskId) -> Result<TaskDetails> {
    let Some(task) = desk.db.get_task(&desk.config.catalog, task_id).await? else {
        return refuse(Refusal::UnknownTask(task_id));
    };
    let mut rounds = Vec::new();
    for round in desk.db.rounds_of_task(task_id).await? {
        let counts = desk.db.answer_counts(round.id).await?;
        rounds.push((round, counts));
    }
    Ok(TaskDetails {
        part_of: desk.db.part_of(&task).await?,
        parts: desk.db.parts_of(task_id).await?,
        assignees: desk.db.assignees(task_id).await?,
        history: desk.db.status_history(task_id).await?,
        hand_overs: desk.db.hand_overs_of_task(task_id).await?,
        task,
        rounds,
    })
}

/// The open demand, oldest first.
pub async fn open_demand(desk: &Desk) -> Result<Vec<Task>> {
    Ok(desk.db.open_demand(&desk.config.catalog).await?)
}
