//! Survey windows: closing rounds when their time is up (also right after a restart, since the
//! timers live in the database) and what follows from how they ended.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::desk::Desk;
use super::escalation::escalate;
use crate::db::escalations::Cause;
use crate::db::outbox::{Intent, enqueue};
use crate::db::tasks;
use crate::domain::task::TaskStatus;
use crate::messages;

/// How a round ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundOutcome {
    /// The task no longer needed anybody (assigned, cancelled, …).
    Settled,
    /// Nobody accepted: escalated to the manager.
    NobodyAccepted,
    /// Somebody accepted but nobody is assigned: the coordinator is asked first.
    AcceptedUnassigned,
}

impl RoundOutcome {
    fn key(self) -> &'static str {
        match self {
            RoundOutcome::Settled => "settled",
            RoundOutcome::NobodyAccepted => "nobody-accepted",
            RoundOutcome::AcceptedUnassigned => "accepted-unassigned",
        }
    }
}

#[derive(FromRow)]
struct DueRound {
    id: i64,
    task_id: i64,
}

/// Closes every round whose window is over; returns how many.
#[tracing::instrument(skip_all)]
pub async fn close_due_rounds(desk: &Desk) -> anyhow::Result<usize> {
    let now = desk.now();
    let due: Vec<DueRound> = sqlx::query_as("SELECT id, task_id FROM survey_rounds WHERE closed_at IS NULL AND closes_at <= ? ORDER BY closes_at, id")
        .bind(now)
        .fetch_all(&desk.db.pool)
        .await?;
    let mut closed = 0;
    for round in due {
        if close_round(desk, round.id, round.task_id, now)
            .await?
            .is_some()
        {
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
    round_id: i64,
    task_id: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<RoundOutcome>> {
    let catalog = &desk.config.catalog;
    let mut tx = desk.db.begin_write().await?;
    let still_open: bool = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM survey_rounds WHERE id = ? AND closed_at IS NULL",
    )
    .bind(round_id)
    .fetch_one(&mut *tx)
    .await?
        > 0;
    let Some(task) = tasks::get_task(&mut tx, catalog, task_id).await? else {
        return Ok(None);
    };
    if !still_open {
        return Ok(None);
    }
    let accepted: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM survey_answers WHERE round_id = ? AND answer = 'accept'",
    )
    .bind(round_id)
    .fetch_one(&mut *tx)
    .await?;
    let outcome = if !task.status.is_open_demand() {
        RoundOutcome::Settled
    } else if accepted == 0 {
        RoundOutcome::NobodyAccepted
    } else {
        RoundOutcome::AcceptedUnassigned
    };
    let followup_at = (outcome == RoundOutcome::AcceptedUnassigned)
        .then(|| now + desk.config.survey_window(task.area));
    sqlx::query(
        "UPDATE survey_rounds SET closed_at = ?, outcome = ?, followup_at = ? WHERE id = ?",
    )
    .bind(now)
    .bind(outcome.key())
    .bind(followup_at)
    .bind(round_id)
    .execute(&mut *tx)
    .await?;
    match outcome {
        RoundOutcome::Settled => {}
        RoundOutcome::NobodyAccepted => {
            escalate(
                &mut tx,
                task_id,
                Cause::RoundFailed,
                Some(round_id),
                None,
                None,
                now,
            )
            .await?;
        }
        RoundOutcome::AcceptedUnassigned => {
            if let Some(coordinator) = task.created_by {
                let text = messages::accepted_but_unassigned(task_id, accepted);
                enqueue(
                    &mut tx,
                    &Intent::Dm {
                        user_id: coordinator.0,
                        text,
                        buttons: Vec::new(),
                    },
                    None,
                    now,
                    now,
                )
                .await?;
            }
        }
    }
    crate::db::outbox::enqueue_many(
        &mut tx,
        &[crate::db::outbox::refresh_post(round_id, now)],
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        round_id,
        task_id,
        outcome = outcome.key(),
        "survey round closed"
    );
    Ok(Some(outcome))
}

/// Escalates tasks whose accepted-but-unassigned round got no assignment within one more window.
#[tracing::instrument(skip_all)]
pub async fn escalate_overdue_followups(desk: &Desk) -> anyhow::Result<usize> {
    let now = desk.now();
    let due: Vec<DueRound> = sqlx::query_as(
        "SELECT id, task_id FROM survey_rounds WHERE followup_at IS NOT NULL AND followup_at <= ?",
    )
    .bind(now)
    .fetch_all(&desk.db.pool)
    .await?;
    let mut escalated = 0;
    for round in due {
        let mut tx = desk.db.begin_write().await?;
        sqlx::query("UPDATE survey_rounds SET followup_at = NULL WHERE id = ?")
            .bind(round.id)
            .execute(&mut *tx)
            .await?;
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM tasks WHERE id = ?")
            .bind(round.task_id)
            .fetch_optional(&mut *tx)
            .await?;
        let open = status
            .and_then(|s| s.parse::<TaskStatus>().ok())
            .is_some_and(TaskStatus::is_open_demand);
        if open {
            escalate(
                &mut tx,
                round.task_id,
                Cause::AcceptedUnassigned,
                Some(round.id),
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
