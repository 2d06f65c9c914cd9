//! Survey windows: closing rounds when their time is up (also right after a restart, since the
//! timers live in the database) and what follows from how they ended.

use chrono::{DateTime, Utc};

use super::desk::Desk;
use super::error::Result;
use super::escalation::escalate;
use super::tasks::direct;
use crate::db::{outbox, surveys, tasks};
use crate::domain::escalation::EscalationCause;
use crate::domain::ids::{RoundId, TaskId};
use crate::domain::outbox::DirectMessage;
use crate::domain::survey::RoundOutcome;

/// Closes every round whose window is over; returns how many.
#[tracing::instrument(skip_all)]
pub async fn close_due_rounds(desk: &Desk) -> Result<usize> {
    let now = desk.now();
    let mut closed = 0;
    for (round_id, task_id) in desk.db.due_rounds(now).await? {
        if close_round(desk, round_id, task_id, now).await?.is_some() {
            closed += 1;
        }
    }
    if closed > 0 {
        desk.ring_outbox();
    }
    Ok(closed)
}

/// Closes one round in its own transaction; none if another pass closed it already.
async fn close_round(
    desk: &Desk,
    round_id: RoundId,
    task_id: TaskId,
    now: DateTime<Utc>,
) -> Result<Option<RoundOutcome>> {
    let mut tx = desk.db.begin_write().await?;
    let Some(task) = tasks::get_task(&mut tx, &desk.config.catalog, task_id).await? else {
        return Ok(None);
    };
    if !surveys::is_open(&mut tx, round_id).await? {
        return Ok(None);
    }
    let accepted = surveys::accepted_count(&mut tx, round_id).await?;
    let outcome = if !task.status.is_open_demand() {
        RoundOutcome::Settled
    } else if accepted == 0 {
        RoundOutcome::NobodyAccepted
    } else {
        RoundOutcome::AcceptedUnassigned
    };
    let followup_at = (outcome == RoundOutcome::AcceptedUnassigned)
        .then(|| now + desk.config.survey_window(task.area));
    surveys::close_round(&mut tx, round_id, outcome, followup_at, now).await?;
    // The manager hears when no round of the task is open any more and nobody accepted.
    let others_open = !surveys::open_rounds_of_task(&mut tx, task_id)
        .await?
        .is_empty();
    let accepted_elsewhere = surveys::accepted_in_task(&mut tx, task_id).await? > 0;
    match outcome {
        RoundOutcome::NobodyAccepted if others_open || accepted_elsewhere => {}
        RoundOutcome::NobodyAccepted => {
            escalate(
                &mut tx,
                task_id,
                EscalationCause::RoundFailed,
                Some(round_id),
                None,
                None,
                now,
            )
            .await?;
        }
        RoundOutcome::AcceptedUnassigned => {
            if let Some(coordinator) = task.created_by {
                let message = DirectMessage::AcceptedButUnassigned { task_id, accepted };
                outbox::enqueue(&mut tx, direct(coordinator, message, now), now).await?;
            }
        }
        RoundOutcome::Settled | RoundOutcome::NobodyFits => {}
    }
    outbox::enqueue(&mut tx, outbox::refresh_post(round_id, now), now).await?;
    tx.commit().await?;
    tracing::info!(%round_id, %task_id, outcome = outcome.key(), "survey round closed");
    Ok(Some(outcome))
}

/// Sends the waves that are due: the fitting VPAs no round of the task mentioned, next in the
/// ranking, up to `survey.max_mentions`, in a post of their own with the area's window — once
/// per task, and only while nobody has accepted.
#[tracing::instrument(skip_all)]
pub async fn send_due_waves(desk: &Desk) -> Result<usize> {
    let now = desk.now();
    let catalog = &desk.config.catalog;
    let mut sent = 0;
    for (round_id, task_id) in desk.db.due_waves(now).await? {
        let Some(task) = desk.db.get_task(catalog, task_id).await? else {
            continue;
        };
        // Read and ranked before the write; the write checks what is stored.
        let fitting = super::ranked_holders(desk, &task).await?;
        let mut tx = desk.db.begin_write().await?;
        if !surveys::take_wave(&mut tx, round_id).await? {
            continue;
        }
        let current = tasks::get_task(&mut tx, catalog, task_id).await?;
        let open = current.as_ref().is_some_and(|t| t.status.is_open_demand());
        if open && surveys::accepted_in_task(&mut tx, task_id).await? == 0 {
            let invited = surveys::invited_to_task(&mut tx, task_id).await?;
            let mut wave: Vec<_> = fitting
                .into_iter()
                .filter(|r| !invited.contains(&r.discord_id))
                .collect();
            wave.truncate(desk.config.settings.survey.max_mentions);
            if !wave.is_empty() {
                super::tasks::open_round(
                    &mut tx,
                    desk,
                    current.as_ref().unwrap_or(&task),
                    crate::domain::survey::RoundKind::First,
                    task.competence,
                    &wave,
                    None,
                    now,
                )
                .await?;
                sent += 1;
            }
        }
        tx.commit().await?;
    }
    if sent > 0 {
        desk.ring_outbox();
    }
    Ok(sent)
}

/// Escalates tasks whose accepted-but-unassigned round got no assignment within one more window.
#[tracing::instrument(skip_all)]
pub async fn escalate_overdue_followups(desk: &Desk) -> Result<usize> {
    let now = desk.now();
    let mut escalated = 0;
    for (round_id, task_id) in desk.db.due_followups(now).await? {
        let mut tx = desk.db.begin_write().await?;
        if !surveys::clear_followup(&mut tx, round_id).await? {
            continue;
        }
        let open = tasks::get_task(&mut tx, &desk.config.catalog, task_id)
            .await?
            .is_some_and(|t| t.status.is_open_demand());
        if open {
            escalate(
                &mut tx,
                task_id,
                EscalationCause::AcceptedUnassigned,
                Some(round_id),
                None,
                None,
                now,
            )
            .await?;
            escalated += 1;
        }
        tx.commit().await?;
    }
    if escalated > 0 {
        desk.ring_outbox();
    }
    Ok(escalated)
}
