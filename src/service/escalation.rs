//! Escalations to the VPA manager ("melde dies umgehend an den VPA Manager"): one notice per
//! task in the manager channel, updated on later changes, re-pinged in a reply when another
//! round fails. Urgency by area: BO at once with a role ping, marketing at once without one,
//! specialist areas marked "evtl. nicht abdeckbar".

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::desk::{Act, Desk};
use super::error::{Refusal, Result, refuse};
use crate::db::escalations::{self, EscalationEvent, Recorded};
use crate::db::outbox::{self, Intent};
use crate::db::surveys::Round;
use crate::db::tasks::{self, Why};
use crate::domain::area::Urgency;
use crate::domain::escalation::{EscalationCause, PingCause};
use crate::domain::ids::{DiscordId, RoundId, TaskId};
use crate::domain::pool_health::{AreaHealth, PoolHealth};
use crate::domain::survey::{AnswerCounts, DeclineReason};
use crate::domain::task::{StatusDetail, Task, TaskStatus};

/// Records an escalation inside the caller's transaction and queues the notice (new or edit)
/// and, for a further escalation, a re-ping. Returns what was recorded.
#[allow(clippy::too_many_arguments)]
pub async fn escalate(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    cause: EscalationCause,
    round_id: Option<RoundId>,
    note: Option<&str>,
    by: Option<DiscordId>,
    now: DateTime<Utc>,
) -> Result<Recorded> {
    let recorded = escalations::record(conn, task_id, cause, round_id, note, by, now).await?;
    if recorded == Recorded::Duplicate {
        return Ok(recorded);
    }
    let mut items = vec![outbox::notice(task_id, now)];
    if matches!(recorded, Recorded::Update(_)) && cause.pings_again() {
        let ping = Intent::EscalationPing {
            task_id,
            cause: PingCause::from(cause),
        };
        items.push(outbox::once(ping, now));
    }
    outbox::enqueue_many(conn, &items, now).await?;
    match tasks::set_status(
        conn,
        task_id,
        TaskStatus::Escalated,
        &Why::detail(StatusDetail::Escalated { cause }),
        by,
        now,
    )
    .await
    {
        Ok(_) | Err(tasks::StatusError::NotAllowed { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(recorded)
}

/// Queues an edit of the task's notice, if it has one (e.g. after a late answer).
pub async fn refresh_notice(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    now: DateTime<Utc>,
) -> Result<()> {
    if escalations::exists(conn, task_id).await? {
        outbox::enqueue(conn, outbox::notice(task_id, now), now).await?;
    }
    Ok(())
}

/// A coordinator reports demand they cannot place (`/demand report`). True when it raised a
/// new notice, false when it added to the existing one.
pub async fn report(desk: &Desk, task_id: TaskId, note: Option<&str>, act: &Act) -> Result<bool> {
    const MAX_NOTE: usize = 500;
    if note.is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return refuse(Refusal::NoteTooLong { max: MAX_NOTE });
    }
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    desk.mark_handled(&mut tx, act).await?;
    let Some(task) = tasks::get_task(&mut tx, &desk.config.catalog, task_id).await? else {
        return refuse(Refusal::UnknownTask(task_id));
    };
    // Demand of a closed task is no demand: nobody is pinged for it.
    if task.status.is_final() {
        return refuse(Refusal::WrongStatus {
            task: task_id,
            status: task.status,
        });
    }
    let recorded = escalate(
        &mut tx,
        task_id,
        EscalationCause::Reported,
        None,
        note,
        Some(act.by),
        now,
    )
    .await?;
    tx.commit().await?;
    desk.ring_outbox();
    Ok(matches!(recorded, Recorded::NewNotice(_)))
}

/// A round's figures as the notice shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundFigures {
    pub round: Round,
    pub counts: AnswerCounts,
    /// Decline reasons with their counts, most frequent first.
    pub decline_reasons: Vec<(DeclineReason, i64)>,
}

/// Everything the notice shows. No client name: the manager needs the demand, not the client.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeView {
    pub task: Task,
    pub urgency: Urgency,
    pub events: Vec<EscalationEvent>,
    /// The latest round with its figures.
    pub last_round: Option<RoundFigures>,
    pub rounds: usize,
    pub area_health: AreaHealth,
    pub pool: PoolHealth,
    /// Where the notice is, once it is out.
    pub post: Option<(DiscordId, DiscordId)>,
    /// The fallback options, computed from the data.
    pub playbook: crate::domain::playbook::Playbook,
    /// What the task's last edit changed.
    pub changed: Option<crate::domain::task::StatusDetail>,
}

/// Builds the notice of a task from the stored state; none without a notice.
pub async fn notice_view(desk: &Desk, task_id: TaskId) -> Result<Option<NoticeView>> {
    let catalog = &desk.config.catalog;
    let Some(escalation) = desk.db.escalation(task_id).await? else {
        return Ok(None);
    };
    let Some(task) = desk.db.get_task(catalog, task_id).await? else {
        return Ok(None);
    };
    let rounds = desk.db.rounds_of_task(task_id).await?;
    let last_round = match rounds.last() {
        Some(round) => Some(RoundFigures {
            round: round.clone(),
            counts: desk.db.answer_counts(round.id).await?,
            decline_reasons: desk.db.decline_reasons(round.id).await?,
        }),
        None => None,
    };
    let pool = super::pool::pool_health(&desk.db, &desk.config, desk.today()).await?;
    let playbook = super::playbook::playbook(desk, &task).await?;
    Ok(Some(NoticeView {
        changed: desk.db.last_edit(task_id).await?,
        playbook,
        urgency: task.area.urgency(),
        events: desk.db.escalation_events(escalation.id).await?,
        area_health: pool.areas.get(&task.area).copied().unwrap_or_default(),
        pool,
        rounds: rounds.len(),
        last_round,
        task,
        post: escalation.post(),
    }))
}
