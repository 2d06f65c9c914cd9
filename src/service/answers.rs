//! Recording survey answers from buttons, selects, modals and reactions.
//!
//! Gateway events run concurrently and may arrive twice: every answer is recorded in a
//! `BEGIN IMMEDIATE` transaction that compares with the stored answer, so a duplicate changes
//! nothing and queues nothing.

use chrono::Duration;

use super::desk::{Desk, DeskEvent};
use crate::db::outbox::{DmButton, Intent, enqueue};
use crate::db::surveys;
use crate::domain::ids::DiscordId;
use crate::domain::survey::{Answer, DeclineReason, Via};
use crate::domain::task::TaskStatus;
use crate::messages;

/// Live counts on a post are refreshed at most this often: answers in between fold into one edit.
pub const REFRESH_COALESCE: Duration = Duration::milliseconds(1500);

/// What happened to an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerOutcome {
    /// Stored (or already stored: `changed` is false for a repeat).
    Recorded {
        task_id: i64,
        changed: bool,
        surveyed: bool,
    },
    /// A reaction's removal withdrew the answer.
    Withdrawn { task_id: i64 },
    /// Nothing to do (e.g. removing a reaction that is not the current answer).
    Ignored,
    /// The round does not exist (an old or foreign message).
    UnknownRound,
    /// The task no longer needs anybody.
    TaskClosed { task_id: i64, status: TaskStatus },
}

/// Records `answer` by `vpa` in `round_id`.
#[tracing::instrument(skip_all, fields(round_id, vpa = %vpa, answer = answer.kind(), via = %via))]
pub async fn record_answer(
    desk: &Desk,
    round_id: i64,
    vpa: DiscordId,
    vpa_name: &str,
    answer: Answer,
    via: Via,
) -> anyhow::Result<AnswerOutcome> {
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    let Some(context) = surveys::answer_context(&mut tx, round_id, vpa).await? else {
        return Ok(AnswerOutcome::UnknownRound);
    };
    let status: TaskStatus = context.task_status.parse().map_err(anyhow::Error::msg)?;
    let task_id = context.task_id;
    if !status.is_open_demand() {
        return Ok(AnswerOutcome::TaskClosed { task_id, status });
    }
    let (current, surveyed) = (context.current, context.surveyed);
    let merged = merge(current.as_ref().map(|c| &c.answer), answer);
    if current.as_ref().is_some_and(|c| c.answer == merged) {
        return Ok(AnswerOutcome::Recorded {
            task_id,
            changed: false,
            surveyed,
        });
    }
    surveys::save_answer(&mut tx, round_id, vpa, &merged, via, surveyed, now).await?;
    // A late answer updates the manager's notice too.
    if context.has_notice {
        super::escalation::queue_notice_refresh(&mut tx, task_id, now).await?;
    }
    enqueue(
        &mut tx,
        &Intent::RefreshSurveyPost { round_id },
        Some(&format!("refresh-round-{round_id}")),
        now + REFRESH_COALESCE,
        now,
    )
    .await?;
    let newly = current
        .as_ref()
        .is_none_or(|c| c.answer.kind() != merged.kind());
    if newly && matches!(merged, Answer::Accept) {
        if let Some(coordinator) = context.created_by {
            let text = messages::accepted_for_coordinator(vpa, vpa_name, task_id, surveyed);
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
    // The quick path leaves the reason or date open: ask for it privately.
    if newly && via == Via::Reaction {
        let ask = match &merged {
            Answer::Decline {
                reason: DeclineReason::NotGiven,
                ..
            } => Some((
                messages::ask_decline_reason(task_id),
                DmButton {
                    custom_id: format!("sv:d:{round_id}"),
                    label: messages::BUTTON_GIVE_REASON.into(),
                },
            )),
            Answer::Later { from: None } => Some((
                messages::ask_later_date(task_id),
                DmButton {
                    custom_id: format!("sv:l:{round_id}"),
                    label: messages::BUTTON_GIVE_DATE.into(),
                },
            )),
            _ => None,
        };
        if let Some((text, button)) = ask {
            enqueue(
                &mut tx,
                &Intent::Dm {
                    user_id: vpa.0,
                    text,
                    buttons: vec![button],
                },
                None,
                now,
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    desk.publish(DeskEvent::AnswerRecorded {
        round_id,
        vpa,
        at: std::time::Instant::now(),
    });
    desk.ring_outbox();
    Ok(AnswerOutcome::Recorded {
        task_id,
        changed: true,
        surveyed,
    })
}

/// A reaction repeating the current kind of answer keeps what the VPA already told us (a reason
/// or a date given through the DM); a note added later keeps the chosen reason.
fn merge(current: Option<&Answer>, new: Answer) -> Answer {
    match (current, new) {
        (
            Some(Answer::Decline { reason, note }),
            Answer::Decline {
                reason: DeclineReason::NotGiven,
                note: None,
            },
        ) => Answer::Decline {
            reason: *reason,
            note: note.clone(),
        },
        (Some(Answer::Later { from: Some(day) }), Answer::Later { from: None }) => {
            Answer::Later { from: Some(*day) }
        }
        (_, new) => new,
    }
}

/// A removed reaction withdraws the answer when it is the one that answer stands for.
#[tracing::instrument(skip_all, fields(round_id, vpa = %vpa, emoji))]
pub async fn withdraw_by_reaction(
    desk: &Desk,
    round_id: i64,
    vpa: DiscordId,
    emoji: &str,
) -> anyhow::Result<AnswerOutcome> {
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    let Some(round) = surveys::get_round(&mut tx, round_id).await? else {
        return Ok(AnswerOutcome::UnknownRound);
    };
    let Some(current) = surveys::current_answer(&mut tx, round_id, vpa).await? else {
        return Ok(AnswerOutcome::Ignored);
    };
    if current.answer.emoji() != emoji {
        return Ok(AnswerOutcome::Ignored);
    }
    surveys::withdraw_answer(&mut tx, round_id, vpa, Via::Reaction, now).await?;
    enqueue(
        &mut tx,
        &Intent::RefreshSurveyPost { round_id },
        Some(&format!("refresh-round-{round_id}")),
        now + REFRESH_COALESCE,
        now,
    )
    .await?;
    tx.commit().await?;
    desk.publish(DeskEvent::AnswerRecorded {
        round_id,
        vpa,
        at: std::time::Instant::now(),
    });
    desk.ring_outbox();
    Ok(AnswerOutcome::Withdrawn {
        task_id: round.task_id,
    })
}

/// Adds a free-text note to an existing decline ("Begründung ergänzen").
pub async fn add_decline_note(
    desk: &Desk,
    round_id: i64,
    vpa: DiscordId,
    vpa_name: &str,
    note: String,
) -> anyhow::Result<AnswerOutcome> {
    let reason = {
        let mut conn = desk.db.pool.acquire().await?;
        match surveys::current_answer(&mut conn, round_id, vpa)
            .await?
            .map(|a| a.answer)
        {
            Some(Answer::Decline { reason, .. }) => reason,
            _ => DeclineReason::Other,
        }
    };
    let note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
    record_answer(
        desk,
        round_id,
        vpa,
        vpa_name,
        Answer::Decline { reason, note },
        Via::Button,
    )
    .await
}

/// Marks a gateway event as handled; false for a repeat delivery.
pub async fn first_time(desk: &Desk, event_key: &str) -> anyhow::Result<bool> {
    let _turn = desk.db.write_turn().await;
    let mut conn = desk.db.pool.acquire().await?;
    Ok(surveys::first_time(&mut conn, event_key, desk.now()).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_quick_answer_keeps_the_details() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let later = Answer::Later { from: Some(day) };
        assert_eq!(merge(Some(&later), Answer::Later { from: None }), later);
        let declined = Answer::Decline {
            reason: DeclineReason::NoCapacity,
            note: Some("voll".into()),
        };
        assert_eq!(
            merge(
                Some(&declined),
                Answer::Decline {
                    reason: DeclineReason::NotGiven,
                    note: None
                }
            ),
            declined
        );
        assert_eq!(merge(Some(&declined), Answer::Accept), Answer::Accept);
    }
}
