//! What the outbox worker needs from the state: the views of what it delivers, and recording
//! where a post landed (with what follows from it, in the same transaction).

use chrono::{DateTime, Utc};

use super::desk::{Desk, DeskEvent};
use super::error::Result;
use crate::db::outbox::{self, Intent};
use crate::db::{escalations, surveys};
use crate::domain::area::Urgency;
use crate::domain::escalation::PingCause;
use crate::domain::ids::{DiscordId, RoundId, TaskId};
use crate::domain::outbox::DirectMessage;
use crate::domain::task::{PartOf, Task};

/// A round's post is out: remember where, and queue its reactions, in one transaction so
/// neither is lost.
pub async fn survey_posted(
    desk: &Desk,
    round_id: RoundId,
    channel: DiscordId,
    message: DiscordId,
) -> Result<()> {
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    surveys::set_round_message(&mut tx, round_id, channel, message).await?;
    outbox::enqueue(
        &mut tx,
        outbox::once(Intent::SurveyReactions { round_id }, now),
        now,
    )
    .await?;
    tx.commit().await?;
    desk.ring_outbox();
    desk.publish(DeskEvent::SurveyPosted {
        round_id,
        channel,
        message,
    });
    Ok(())
}

/// A task's notice is out: remember where; when it went out without its role ping (quiet
/// hours), queue the ping for when they end.
pub async fn notice_posted(
    desk: &Desk,
    task_id: TaskId,
    channel: DiscordId,
    message: DiscordId,
    ping_at: Option<DateTime<Utc>>,
) -> Result<()> {
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    escalations::set_message(&mut tx, task_id, channel, message).await?;
    if let Some(at) = ping_at {
        let ping = Intent::EscalationPing {
            task_id,
            cause: PingCause::QuietHours,
        };
        outbox::enqueue(&mut tx, outbox::once(ping, at), now).await?;
    }
    tx.commit().await?;
    // Re-pings that waited for the notice go now.
    desk.db.wake_pings(task_id, now).await?;
    desk.ring_outbox();
    Ok(())
}

/// The task a direct message is about (none for messages that need none), read at delivery.
pub async fn task_of(
    desk: &Desk,
    message: &DirectMessage,
) -> Result<Option<(Task, Option<PartOf>)>> {
    let task_id = match message {
        DirectMessage::Assigned { task_id }
        | DirectMessage::ReaskDecliner { task_id, .. }
        | DirectMessage::HandOnOffer { task_id, .. }
        // Why an edit no longer fits names the task's competence as it is now.
        | DirectMessage::AnswerOutdated { task_id, .. }
        | DirectMessage::HeldTaskChanged { task_id, .. } => *task_id,
        _ => return Ok(None),
    };
    let Some(task) = desk.db.get_task(&desk.config.catalog, task_id).await? else {
        return Ok(None);
    };
    let part = desk.db.part_of(&task).await?;
    Ok(Some((task, part)))
}

/// What a re-ping needs: where the task's notice is (once it is out) and how urgent the task is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PingTarget {
    pub notice: Option<(DiscordId, DiscordId)>,
    pub urgency: Urgency,
}

/// The re-ping's target; none when the task or its escalation is gone.
pub async fn ping_target(desk: &Desk, task_id: TaskId) -> Result<Option<PingTarget>> {
    let Some(escalation) = desk.db.escalation(task_id).await? else {
        return Ok(None);
    };
    let Some(task) = desk.db.get_task(&desk.config.catalog, task_id).await? else {
        return Ok(None);
    };
    Ok(Some(PingTarget {
        notice: escalation.post(),
        urgency: task.area.urgency(),
    }))
}

/// Where a round's post is, once it is out.
pub async fn round_post(
    desk: &Desk,
    round_id: RoundId,
) -> Result<Option<Option<(DiscordId, DiscordId)>>> {
    Ok(desk.db.get_round(round_id).await?.map(|r| r.post()))
}
