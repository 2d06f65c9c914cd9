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
    match outcome {
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
