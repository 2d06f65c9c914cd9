//! Recording survey answers from buttons, selects, modals and reactions.
//!
//! Gateway events run concurrently and may arrive twice. Answers are written by group commit:
//! each request joins a queue, and one writer at a time takes everything queued and records it
//! in one `BEGIN IMMEDIATE` transaction of a few statements (contexts read, answers stored,
//! messages queued), whatever the batch's size. Each request is compared with the stored (or
//! earlier in the batch) answer, so a duplicate changes nothing and queues nothing. Under a
//! burst, answers share transactions instead of queueing for one each.

use std::collections::{HashMap, HashSet};

use anyhow::Context as _;
use chrono::{DateTime, Duration, Utc};
use futures_util::FutureExt as _;
use tokio::sync::oneshot;

use super::desk::{Desk, DeskEvent};
use crate::db::outbox::{DmButton, Intent, NewItem, enqueue_many, refresh_post};
use crate::db::surveys::{self, AnswerContext, AnswerWrite, RoundRef, StoredAnswer};
use crate::domain::ids::DiscordId;
use crate::domain::survey::{Answer, DeclineReason, Via};
use crate::domain::task::TaskStatus;
use crate::messages;

/// Live counts on a post are refreshed at most this often: answers in between fold into one edit.
pub const REFRESH_COALESCE: Duration = Duration::milliseconds(1500);

/// Most requests one transaction takes; the rest go into the next.
const MAX_BATCH: usize = 256;

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

/// What a VPA did.
#[derive(Debug, Clone, PartialEq)]
enum Change {
    Give(Answer, Via),
    /// "Begründung ergänzen": a note on the current decline, keeping its reason.
    Note(String),
    /// The reaction with this emoji was removed.
    Withdraw {
        emoji: String,
    },
}

/// One VPA's answer waiting to be written.
#[derive(Debug, Clone, PartialEq)]
struct AnswerRequest {
    round: RoundRef,
    vpa: DiscordId,
    vpa_name: String,
    change: Change,
    at: DateTime<Utc>,
}

#[derive(Debug)]
struct Queued {
    request: AnswerRequest,
    reply: oneshot::Sender<anyhow::Result<AnswerOutcome>>,
}

/// Answers waiting for the writer, and whether a writer is at work. A std mutex: it is held for
/// a push or a drain only, never across an await.
#[derive(Debug, Default)]
pub struct AnswerQueue {
    state: std::sync::Mutex<QueueState>,
}

#[derive(Debug, Default)]
struct QueueState {
    waiting: Vec<Queued>,
    writing: bool,
}

impl AnswerQueue {
    /// Queues a request; true when the caller must start the writer.
    fn push(&self, queued: Queued) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.waiting.push(queued);
        !std::mem::replace(&mut state.writing, true)
    }

    /// The next batch; none (and the writer stops) when nothing waits. Checked under the same
    /// lock as `push` sets `writing`, so no request is left without a writer.
    fn next_batch(&self) -> Option<Vec<Queued>> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.waiting.is_empty() {
            state.writing = false;
            return None;
        }
        let n = state.waiting.len().min(MAX_BATCH);
        Some(state.waiting.drain(..n).collect())
    }
}

/// Records `answer` by `vpa` in `round_id` (buttons, selects, modals).
#[tracing::instrument(skip_all, fields(round_id, vpa = %vpa, answer = answer.kind(), via = %via))]
pub async fn record_answer(
    desk: &Desk,
    round_id: i64,
    vpa: DiscordId,
    vpa_name: &str,
    answer: Answer,
    via: Via,
) -> anyhow::Result<AnswerOutcome> {
    submit(
        desk,
        RoundRef::Id(round_id),
        vpa,
        vpa_name,
        Change::Give(answer, via),
    )
    .await
}

/// Records a reaction's answer on the survey post `message`.
#[tracing::instrument(skip_all, fields(message = %message, vpa = %vpa, answer = answer.kind()))]
pub async fn record_reaction(
    desk: &Desk,
    message: DiscordId,
    vpa: DiscordId,
    vpa_name: &str,
    answer: Answer,
) -> anyhow::Result<AnswerOutcome> {
    let change = Change::Give(answer, Via::Reaction);
    submit(desk, RoundRef::Message(message), vpa, vpa_name, change).await
}

/// A removed reaction on the survey post `message` withdraws the answer when it is the one
/// that answer stands for.
#[tracing::instrument(skip_all, fields(message = %message, vpa = %vpa, emoji))]
pub async fn withdraw_reaction(
    desk: &Desk,
    message: DiscordId,
    vpa: DiscordId,
    emoji: &str,
) -> anyhow::Result<AnswerOutcome> {
    let change = Change::Withdraw {
        emoji: emoji.to_string(),
    };
    submit(desk, RoundRef::Message(message), vpa, "", change).await
}

/// Adds a free-text note to an existing decline ("Begründung ergänzen"); without one, the note
/// becomes a decline for another reason.
pub async fn add_decline_note(
    desk: &Desk,
    round_id: i64,
    vpa: DiscordId,
    vpa_name: &str,
    note: String,
) -> anyhow::Result<AnswerOutcome> {
    submit(
        desk,
        RoundRef::Id(round_id),
        vpa,
        vpa_name,
        Change::Note(note),
    )
    .await
}

async fn submit(
    desk: &Desk,
    round: RoundRef,
    vpa: DiscordId,
    vpa_name: &str,
    change: Change,
) -> anyhow::Result<AnswerOutcome> {
    let request = AnswerRequest {
        round,
        vpa,
        vpa_name: vpa_name.to_string(),
        change,
        at: desk.now(),
    };
    let (reply, outcome) = oneshot::channel();
    if desk.answer_queue.push(Queued { request, reply }) {
        // Its own task, so a caller that goes away (a cancelled handler) cannot take other
        // callers' answers with it.
        tokio::spawn(write_queued(desk.clone()));
    }
    outcome.await.context("the answer writer stopped")?
}

/// The writer: batches until the queue is empty.
async fn write_queued(desk: Desk) {
    let mut stopping = WriterStop {
        queue: &desk.answer_queue,
        armed: true,
    };
    loop {
        let Some(batch) = desk.answer_queue.next_batch() else {
            // `next_batch` cleared `writing`: a new writer may already be at work.
            stopping.armed = false;
            return;
        };
        let (requests, replies): (Vec<_>, Vec<_>) =
            batch.into_iter().map(|q| (q.request, q.reply)).unzip();
        match guarded(write_batch(&desk, &requests)).await {
            Ok(outcomes) => {
                for (reply, outcome) in replies.into_iter().zip(outcomes) {
                    let _ = reply.send(Ok(outcome));
                }
            }
            // One bad request must not fail the others: each is tried in a transaction of
            // its own, and only its own error reaches its caller.
            Err(e) if requests.len() > 1 => {
                tracing::warn!(
                    error = format!("{e:#}"),
                    batch = requests.len(),
                    "answer batch failed; writing one by one"
                );
                for (request, reply) in requests.iter().zip(replies) {
                    let outcome = guarded(write_batch(&desk, std::slice::from_ref(request)))
                        .await
                        .map(|mut o| o.remove(0));
                    let _ = reply.send(outcome);
                }
            }
            Err(e) => {
                for reply in replies {
                    let _ = reply.send(Err(anyhow::anyhow!("{e:#}")));
                }
            }
        }
    }
}

/// A writer dropped mid-way (its runtime shutting down) clears its mark, so the queue does not
/// wait for it forever; the requests it had not taken fail instead of hanging.
struct WriterStop<'a> {
    queue: &'a AnswerQueue,
    armed: bool,
}

impl Drop for WriterStop<'_> {
    fn drop(&mut self) {
        if self.armed {
            let mut state = self.queue.state.lock().unwrap_or_else(|e| e.into_inner());
            state.writing = false;
            state.waiting.clear();
        }
    }
}

/// A panic while writing becomes an error of the batch instead of a writer that never clears
/// its `writing` mark.
async fn guarded<T>(
    write: impl std::future::Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<T> {
    std::panic::AssertUnwindSafe(write)
        .catch_unwind()
        .await
        .unwrap_or_else(|_| Err(anyhow::anyhow!("writing answers panicked")))
}

/// What a request does to the stored answer.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Save(Answer, Via),
    Withdraw,
}

/// Decides a request against its round's context and the VPA's current answer.
fn decide(
    request: &AnswerRequest,
    context: Option<&AnswerContext>,
    current: Option<&StoredAnswer>,
) -> anyhow::Result<(AnswerOutcome, Option<Step>)> {
    let Some(context) = context else {
        return Ok((AnswerOutcome::UnknownRound, None));
    };
    let task_id = context.task_id;
    let given = match &request.change {
        // Taking back a reaction is allowed on a closed task: it only clears the VPA's mark.
        Change::Withdraw { emoji } => {
            return Ok(match current {
                Some(c) if c.answer.emoji() == emoji => {
                    (AnswerOutcome::Withdrawn { task_id }, Some(Step::Withdraw))
                }
                _ => (AnswerOutcome::Ignored, None),
            });
        }
        Change::Give(answer, via) => (answer.clone(), *via),
        Change::Note(note) => {
            let reason = match current.map(|c| &c.answer) {
                Some(Answer::Decline { reason, .. }) => *reason,
                _ => DeclineReason::Other,
            };
            let note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
            (Answer::Decline { reason, note }, Via::Button)
        }
    };
    let status: TaskStatus = context.task_status.parse().map_err(anyhow::Error::msg)?;
    if !status.is_open_demand() {
        return Ok((AnswerOutcome::TaskClosed { task_id, status }, None));
    }
    let (answer, via) = given;
    let merged = merge(current.map(|c| &c.answer), answer);
    let changed = current.is_none_or(|c| c.answer != merged);
    let outcome = AnswerOutcome::Recorded {
        task_id,
        changed,
        surveyed: context.surveyed,
    };
    Ok((outcome, changed.then_some(Step::Save(merged, via))))
}

/// The messages an answer causes.
fn messages_for(
    request: &AnswerRequest,
    context: &AnswerContext,
    previous: Option<&Answer>,
    answer: &Answer,
    via: Via,
    out: &mut Vec<NewItem>,
) {
    let newly = previous.is_none_or(|p| p.kind() != answer.kind());
    let dm = |user_id: u64, text: String, buttons: Vec<DmButton>| NewItem {
        intent: Intent::Dm {
            user_id,
            text,
            buttons,
        },
        coalesce_key: None,
        due: request.at,
    };
    if newly && matches!(answer, Answer::Accept) {
        if let Some(coordinator) = context.created_by {
            let text = messages::accepted_for_coordinator(
                request.vpa,
                &request.vpa_name,
                context.task_id,
                context.surveyed,
            );
            out.push(dm(coordinator.0, text, Vec::new()));
        }
    }
    // The quick path leaves the reason or date open: ask for it privately.
    if newly && via == Via::Reaction {
        let round_id = context.round_id;
        let ask = match answer {
            Answer::Decline {
                reason: DeclineReason::NotGiven,
                ..
            } => Some((
                messages::ask_decline_reason(context.task_id),
                DmButton {
                    custom_id: format!("sv:d:{round_id}"),
                    label: messages::BUTTON_GIVE_REASON.into(),
                },
            )),
            Answer::Later { from: None } => Some((
                messages::ask_later_date(context.task_id),
                DmButton {
                    custom_id: format!("sv:l:{round_id}"),
                    label: messages::BUTTON_GIVE_DATE.into(),
                },
            )),
            _ => None,
        };
        if let Some((text, button)) = ask {
            out.push(dm(request.vpa.0, text, vec![button]));
        }
    }
}

/// Writes a batch in one transaction and returns each request's outcome.
async fn write_batch(
    desk: &Desk,
    requests: &[AnswerRequest],
) -> anyhow::Result<Vec<AnswerOutcome>> {
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    let keys: Vec<_> = requests.iter().map(|r| (r.round, r.vpa)).collect();
    let contexts = surveys::answer_contexts(&mut tx, &keys).await?;
    // The current answers as the batch goes: a later request of the same VPA sees an earlier one.
    let mut current: HashMap<(i64, DiscordId), Option<StoredAnswer>> = HashMap::new();
    let mut saves: Vec<AnswerWrite> = Vec::new();
    let mut items: Vec<NewItem> = Vec::new();
    let mut refreshed_rounds = HashSet::new();
    let mut refreshed_notices = HashSet::new();
    let mut outcomes = Vec::with_capacity(requests.len());
    let mut committed = Vec::new();
    for (request, context) in requests.iter().zip(&contexts) {
        let key = context.as_ref().map(|c| (c.round_id, request.vpa));
        let stored = match key {
            Some(key) => current
                .entry(key)
                .or_insert_with(|| context.as_ref().and_then(|c| c.current.clone()))
                .clone(),
            None => None,
        };
        let (outcome, step) = decide(request, context.as_ref(), stored.as_ref())?;
        outcomes.push(outcome);
        let (Some(step), Some(context), Some(key)) = (step, context, key) else {
            continue;
        };
        match step {
            Step::Save(answer, via) => {
                messages_for(
                    request,
                    context,
                    stored.as_ref().map(|s| &s.answer),
                    &answer,
                    via,
                    &mut items,
                );
                // A late answer updates the manager's notice too.
                if context.has_notice && refreshed_notices.insert(context.task_id) {
                    items.push(super::escalation::notice_refresh(
                        context.task_id,
                        request.at,
                    ));
                }
                current.insert(
                    key,
                    Some(StoredAnswer {
                        vpa: request.vpa,
                        answer: answer.clone(),
                        via: via.key().to_string(),
                        surveyed: stored.as_ref().map_or(context.surveyed, |s| s.surveyed),
                        answered_at: request.at,
                    }),
                );
                saves.push(AnswerWrite {
                    round_id: context.round_id,
                    vpa: request.vpa,
                    answer,
                    via,
                    surveyed: context.surveyed,
                    at: request.at,
                });
            }
            Step::Withdraw => {
                // Rare: earlier answers of the batch go first, so the history keeps the order.
                surveys::save_answers(&mut tx, &std::mem::take(&mut saves)).await?;
                surveys::withdraw_answer(
                    &mut tx,
                    context.round_id,
                    request.vpa,
                    Via::Reaction,
                    request.at,
                )
                .await?;
                current.insert(key, None);
            }
        }
        if refreshed_rounds.insert(context.round_id) {
            items.push(refresh_post(
                context.round_id,
                request.at + REFRESH_COALESCE,
            ));
        }
        committed.push(key);
    }
    surveys::save_answers(&mut tx, &saves).await?;
    enqueue_many(&mut tx, &items, now).await?;
    tx.commit().await?;
    let at = std::time::Instant::now();
    for (round_id, vpa) in committed {
        desk.publish(DeskEvent::AnswerRecorded { round_id, vpa, at });
    }
    if !items.is_empty() {
        desk.ring_outbox();
    }
    Ok(outcomes)
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

/// Marks a gateway event as handled; false for a repeat delivery.
pub async fn first_time(desk: &Desk, event_key: &str) -> anyhow::Result<bool> {
    let _turn = desk.db.write_turn().await;
    let mut conn = desk.db.pool.acquire().await?;
    Ok(surveys::first_time(&mut conn, event_key, desk.now()).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(status: TaskStatus) -> AnswerContext {
        AnswerContext {
            round_id: 3,
            task_id: 7,
            task_status: status.key().into(),
            created_by: Some(DiscordId(1)),
            current: None,
            surveyed: true,
            has_notice: false,
        }
    }

    fn request(change: Change) -> AnswerRequest {
        AnswerRequest {
            round: RoundRef::Id(3),
            vpa: DiscordId(5),
            vpa_name: "Anna".into(),
            change,
            at: chrono::Utc::now(),
        }
    }

    fn stored(answer: Answer) -> StoredAnswer {
        StoredAnswer {
            vpa: DiscordId(5),
            answer,
            via: "reaction".into(),
            surveyed: true,
            answered_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn a_closed_task_takes_no_answers_but_lets_a_reaction_be_taken_back() {
        let closed = context(TaskStatus::Done);
        let accept = request(Change::Give(Answer::Accept, Via::Button));
        assert_eq!(
            decide(&accept, Some(&closed), None).unwrap(),
            (
                AnswerOutcome::TaskClosed {
                    task_id: 7,
                    status: TaskStatus::Done
                },
                None
            )
        );
        let withdraw = request(Change::Withdraw {
            emoji: "✅".into()
        });
        let current = stored(Answer::Accept);
        assert_eq!(
            decide(&withdraw, Some(&closed), Some(&current)).unwrap(),
            (
                AnswerOutcome::Withdrawn { task_id: 7 },
                Some(Step::Withdraw)
            )
        );
        // Another emoji than the current answer's, or no answer at all: nothing to take back.
        let other = request(Change::Withdraw {
            emoji: "❌".into()
        });
        assert_eq!(
            decide(&other, Some(&closed), Some(&current)).unwrap().0,
            AnswerOutcome::Ignored
        );
        assert_eq!(
            decide(&withdraw, Some(&closed), None).unwrap().0,
            AnswerOutcome::Ignored
        );
        assert_eq!(
            decide(&accept, None, None).unwrap(),
            (AnswerOutcome::UnknownRound, None)
        );
    }

    #[test]
    fn a_note_keeps_the_reason_or_declines_for_another_one() {
        let open = context(TaskStatus::Surveying);
        let note = request(Change::Note("  ".into()));
        let declined = stored(Answer::Decline {
            reason: DeclineReason::NoCapacity,
            note: None,
        });
        // A blank note changes nothing on a decline that has none.
        assert_eq!(
            decide(&note, Some(&open), Some(&declined)).unwrap(),
            (
                AnswerOutcome::Recorded {
                    task_id: 7,
                    changed: false,
                    surveyed: true
                },
                None
            )
        );
        let note = request(Change::Note(" voll ".into()));
        assert_eq!(
            decide(&note, Some(&open), None).unwrap().1,
            Some(Step::Save(
                Answer::Decline {
                    reason: DeclineReason::Other,
                    note: Some("voll".into())
                },
                Via::Button
            ))
        );
    }

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
