//! Escalations to the VPA manager ("melde dies umgehend an den VPA Manager"): one notice per
//! task in the manager channel, updated on later changes, re-pinged in a reply when another
//! round fails. Urgency by area: BO at once with a role ping, marketing at once without one,
//! specialist areas marked "evtl. nicht abdeckbar".

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::desk::Desk;
use crate::db::escalations::{self, Cause, EscalationEvent, Recorded};
use crate::db::outbox::{Intent, NewItem, enqueue, enqueue_many};
use crate::db::surveys::Round;
use crate::db::tasks;
use crate::domain::area::Urgency;
use crate::domain::ids::DiscordId;
use crate::domain::pool_health::{AreaHealth, PoolHealth};
use crate::domain::survey::AnswerCounts;
use crate::domain::task::{Task, TaskStatus};

/// The coalesce key of a task's notice: changes in quick succession make one edit.
fn notice_key(task_id: i64) -> String {
    format!("escalation-{task_id}")
}

/// An edit of the task's notice, known to exist, folded into one already pending.
pub fn notice_refresh(task_id: i64, now: DateTime<Utc>) -> NewItem {
    NewItem {
        intent: Intent::EscalationNotice { task_id },
        coalesce_key: Some(notice_key(task_id)),
        due: now,
    }
}

/// Records an escalation inside the caller's transaction and queues the notice (new or edit)
/// and, for a further failed round, a re-ping. Returns what was recorded.
#[allow(clippy::too_many_arguments)]
pub async fn escalate(
    conn: &mut SqliteConnection,
    task_id: i64,
    cause: Cause,
    round_id: Option<i64>,
    note: Option<&str>,
    by: Option<DiscordId>,
    now: DateTime<Utc>,
) -> anyhow::Result<Recorded> {
    let recorded = escalations::record(conn, task_id, cause, round_id, note, by, now).await?;
    match recorded {
        Recorded::Duplicate => return Ok(recorded),
        Recorded::NewNotice(_) => {
            enqueue(
                conn,
                &Intent::EscalationNotice { task_id },
                Some(&notice_key(task_id)),
                now,
                now,
            )
            .await?;
        }
        Recorded::Update(_) => {
            enqueue(
                conn,
                &Intent::EscalationNotice { task_id },
                Some(&notice_key(task_id)),
                now,
                now,
            )
            .await?;
            if matches!(
                cause,
                Cause::RoundFailed | Cause::AcceptedUnassigned | Cause::Reported
            ) {
                enqueue(
                    conn,
                    &Intent::EscalationPing {
                        task_id,
                        cause: cause.key().into(),
                    },
                    None,
                    now,
                    now,
                )
                .await?;
            }
        }
    }
    match tasks::set_status(
        conn,
        task_id,
        TaskStatus::Escalated,
        Some(cause.key()),
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
    task_id: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    if escalations::exists(conn, task_id).await? {
        queue_notice_refresh(conn, task_id, now).await?;
    }
    Ok(())
}

/// Queues an edit of the task's notice, known to exist.
pub async fn queue_notice_refresh(
    conn: &mut SqliteConnection,
    task_id: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    enqueue_many(conn, &[notice_refresh(task_id, now)], now).await?;
    Ok(())
}

/// A coordinator reports demand they cannot place (`/demand report`).
pub async fn report(
    desk: &Desk,
    task_id: i64,
    note: Option<&str>,
    by: DiscordId,
) -> anyhow::Result<Option<Recorded>> {
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    if tasks::get_task(&mut tx, &desk.config.catalog, task_id)
        .await?
        .is_none()
    {
        return Ok(None);
    }
    let recorded = escalate(&mut tx, task_id, Cause::Reported, None, note, Some(by), now).await?;
    tx.commit().await?;
    desk.ring_outbox();
    Ok(Some(recorded))
}

/// A round's figures as the notice shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundFigures {
    pub round: Round,
    pub counts: AnswerCounts,
    /// Decline reason keys with their counts, most frequent first.
    pub decline_reasons: Vec<(String, i64)>,
}

/// Everything the notice shows. No client name: the manager needs the demand, not the client.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeView {
    pub task: Task,
    pub competence: String,
    pub urgency: Urgency,
    pub events: Vec<EscalationEvent>,
    /// The latest round with its figures.
    pub last_round: Option<RoundFigures>,
    pub rounds: usize,
    pub area_health: AreaHealth,
    pub pool: PoolHealth,
    pub channel_id: Option<i64>,
    pub message_id: Option<i64>,
    /// The fallback options, computed from the data.
    pub playbook: crate::domain::playbook::Playbook,
}

/// Builds the notice of a task from the stored state.
pub async fn notice_view(desk: &Desk, task_id: i64) -> anyhow::Result<Option<NoticeView>> {
    let catalog = &desk.config.catalog;
    let Some(escalation) = desk.db.escalation(task_id).await? else {
        return Ok(None);
    };
    let Some(task) = desk.db.get_task(catalog, task_id).await? else {
        return Ok(None);
    };
    let rounds = desk.db.rounds_of_task(task_id).await?;
    let last_round = match rounds.last() {
        Some(round) => {
            let counts = desk.db.answer_counts(round.id).await?;
            let reasons = desk.db.decline_reasons(round.id).await?;
            Some(RoundFigures {
                round: round.clone(),
                counts,
                decline_reasons: reasons,
            })
        }
        None => None,
    };
    let pool = super::pool::pool_health(&desk.db, &desk.config, desk.today()).await?;
    let playbook = super::playbook::playbook(desk, &task).await?;
    Ok(Some(NoticeView {
        playbook,
        competence: catalog.get(task.competence).name.clone(),
        urgency: task.area.urgency(),
        events: desk.db.escalation_events(escalation.id).await?,
        area_health: pool.areas.get(&task.area).copied().unwrap_or_default(),
        pool,
        rounds: rounds.len(),
        last_round,
        task,
        channel_id: escalation.channel_id,
        message_id: escalation.message_id,
    }))
}
