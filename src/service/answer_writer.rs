//! The answer writer: group commit of survey answers.
//!
//! Gateway events run concurrently and may arrive twice. Each answer request joins a queue, and
//! one writer at a time takes everything queued and records it in one `BEGIN IMMEDIATE`
//! transaction of a few statements (interaction marks, contexts read, answers stored, messages
//! queued), whatever the batch's size. Each request is decided by the answer rules against the
//! stored (or earlier in the batch) answer, so a duplicate changes nothing and queues nothing.
//! Under a burst, answers share transactions instead of queueing for one each.

use std::collections::{HashMap, HashSet};

use anyhow::Context as _;
use chrono::{DateTime, Duration, Utc};
use futures_util::FutureExt as _;
use tokio::sync::oneshot;

use super::answers::AnswerOutcome;
use super::desk::{Desk, DeskEvent};
use super::error::{Error, Result};
use super::tasks::direct;
use crate::db::outbox::{self, NewItem, enqueue_many, refresh_post};
use crate::db::surveys::{self, AnswerContext, AnswerWrite, RoundRef, StoredAnswer};
use crate::db::{Busy, events};
use crate::domain::answering::{AnswerChange, Ask, Decision, decide, follow_ups};
use crate::domain::ids::{DiscordId, RoundId};
use crate::domain::outbox::DirectMessage;
use crate::domain::survey::{Answer, AnswerVia};

/// Live counts on a post are refreshed at most this often: answers in between fold into one edit.
pub const REFRESH_COALESCE: Duration = Duration::milliseconds(1500);

/// Most requests one transaction takes; the rest go into the next.
const MAX_BATCH: usize = 256;

/// One VPA's answer waiting to be written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AnswerRequest {
    pub round: RoundRef,
    pub vpa: DiscordId,
    pub vpa_name: String,
    pub change: AnswerChange,
    /// The interaction it came with, marked as handled in the batch's transaction.
    pub event: Option<String>,
    pub at: DateTime<Utc>,
    /// When it reached the service (for the breakdown in [`super::desk::AnswerStages`]).
    pub submitted: std::time::Instant,
}

#[derive(Debug)]
struct Queued {
    request: AnswerRequest,
    reply: oneshot::Sender<Result<AnswerOutcome>>,
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

/// Queues a request and waits for its outcome.
pub(crate) async fn submit(desk: &Desk, request: AnswerRequest) -> Result<AnswerOutcome> {
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
            // Another process holds the lock: one by one would only wait again, each.
            Err(e) if requests.len() > 1 && e.downcast_ref::<Busy>().is_none() => {
                tracing::warn!(
                    error = format!("{e:#}"),
                    batch = requests.len(),
                    "answer batch failed; writing one by one"
                );
                for (request, reply) in requests.iter().zip(replies) {
                    let outcome = guarded(write_batch(&desk, std::slice::from_ref(request)))
                        .await
                        .map(|mut o| o.remove(0));
                    let _ = reply.send(outcome.map_err(Error::Internal));
                }
            }
            Err(e) => {
                let busy = e.downcast_ref::<Busy>().copied();
                for reply in replies {
                    let error = match busy {
                        Some(busy) => anyhow::Error::new(busy),
                        None => anyhow::anyhow!("{e:#}"),
                    };
                    let _ = reply.send(Err(Error::Internal(error)));
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

/// The messages an answer causes.
fn messages_for(
    request: &AnswerRequest,
    context: &AnswerContext,
    previous: Option<&Answer>,
    answer: &Answer,
    via: AnswerVia,
    out: &mut Vec<NewItem>,
) {
    let given_before = context.given_before.iter().any(|k| k == answer.kind());
    let follow = follow_ups(previous, answer, via, given_before);
    let task_id = context.task_id;
    if follow.tell_coordinator {
        if let Some(coordinator) = context.created_by {
            let message = DirectMessage::AcceptedForCoordinator {
                task_id,
                vpa: request.vpa,
                name: request.vpa_name.clone(),
                surveyed: context.surveyed,
            };
            out.push(direct(coordinator, message, request.at));
        }
    }
    let round_id = context.round_id;
    let ask = match follow.ask {
        Some(Ask::DeclineReason) => Some(DirectMessage::AskDeclineReason { task_id, round_id }),
        Some(Ask::LaterDate) => Some(DirectMessage::AskLaterDate { task_id, round_id }),
        None => None,
    };
    if let Some(message) = ask {
        out.push(direct(request.vpa, message, request.at));
    }
}

/// The writes of one layer of a batch: at most one per VPA and round.
#[derive(Default)]
struct Layer {
    withdrawals: Vec<surveys::Withdrawal>,
    saves: Vec<AnswerWrite>,
}

/// The layer a VPA's next write of the batch goes to: their first to the first, their second to
/// the second…
fn next_layer<'a>(
    layers: &'a mut Vec<Layer>,
    writes_of: &mut HashMap<(RoundId, DiscordId), usize>,
    key: (RoundId, DiscordId),
) -> &'a mut Layer {
    let n = writes_of.entry(key).or_default();
    *n += 1;
    if layers.len() < *n {
        layers.resize_with(*n, Layer::default);
    }
    &mut layers[*n - 1]
}

/// Writes a batch in one transaction and returns each request's outcome.
async fn write_batch(
    desk: &Desk,
    requests: &[AnswerRequest],
) -> anyhow::Result<Vec<AnswerOutcome>> {
    let now = desk.now();
    let batch_started = std::time::Instant::now();
    let mut tx = desk.db.begin_write().await?;
    let locked = std::time::Instant::now();
    // Interactions already handled change nothing (a replayed delivery).
    let keys: Vec<&str> = requests.iter().filter_map(|r| r.event.as_deref()).collect();
    let mut fresh: HashSet<String> = events::mark_processed_many(&mut tx, &keys, now)
        .await?
        .into_iter()
        .collect();
    let refs: Vec<_> = requests.iter().map(|r| (r.round, r.vpa)).collect();
    let contexts = surveys::answer_contexts(&mut tx, &refs).await?;
    // The current answers as the batch goes: a later request of the same VPA sees an earlier one.
    let mut current: HashMap<(RoundId, DiscordId), Option<StoredAnswer>> = HashMap::new();
    // Writes go in layers: a VPA's first write of the batch in the first, their second in the
    // second… Each layer is one withdrawal and one save statement, so every VPA's history keeps
    // the order their answers came in, and a burst of answers taken back and given again costs a
    // few statements, not one per change of kind.
    let mut layers: Vec<Layer> = Vec::new();
    let mut writes_of: HashMap<(RoundId, DiscordId), usize> = HashMap::new();
    let mut items: Vec<NewItem> = Vec::new();
    let mut refreshed_rounds = HashSet::new();
    let mut refreshed_notices = HashSet::new();
    let mut outcomes = Vec::with_capacity(requests.len());
    let mut committed = Vec::new();
    for (request, context) in requests.iter().zip(&contexts) {
        // Taking the key out of `fresh` makes a second request with it in the batch a repeat.
        if request.event.as_ref().is_some_and(|k| !fresh.remove(k)) {
            outcomes.push(AnswerOutcome::Duplicate);
            continue;
        }
        let Some(context) = context else {
            outcomes.push(AnswerOutcome::UnknownRound);
            continue;
        };
        let key = (context.round_id, request.vpa);
        let stored = current
            .entry(key)
            .or_insert_with(|| context.current.clone())
            .clone();
        let task_id = context.task_id;
        let decision = decide(
            &request.change,
            context.task_status,
            stored.as_ref().map(|s| &s.answer),
        );
        match decision {
            Decision::TaskClosed(status) => {
                outcomes.push(AnswerOutcome::TaskClosed { task_id, status });
                continue;
            }
            Decision::Ignore => {
                outcomes.push(AnswerOutcome::Ignored);
                continue;
            }
            Decision::Record { changed: false, .. } => {
                outcomes.push(AnswerOutcome::Recorded {
                    task_id,
                    changed: false,
                    surveyed: context.surveyed,
                });
                continue;
            }
            Decision::Record { answer, via, .. } => {
                outcomes.push(AnswerOutcome::Recorded {
                    task_id,
                    changed: true,
                    surveyed: context.surveyed,
                });
                messages_for(
                    request,
                    context,
                    stored.as_ref().map(|s| &s.answer),
                    &answer,
                    via,
                    &mut items,
                );
                // A late answer updates the manager's notice too.
                if context.has_notice && refreshed_notices.insert(task_id) {
                    items.push(outbox::notice(task_id, request.at));
                }
                current.insert(
                    key,
                    Some(StoredAnswer {
                        round_id: context.round_id,
                        vpa: request.vpa,
                        answer: answer.clone(),
                        via,
                        surveyed: stored.as_ref().map_or(context.surveyed, |s| s.surveyed),
                        answered_at: request.at,
                    }),
                );
                let layer = next_layer(&mut layers, &mut writes_of, key);
                layer.saves.push(AnswerWrite {
                    round_id: context.round_id,
                    vpa: request.vpa,
                    answer,
                    via,
                    surveyed: context.surveyed,
                    at: request.at,
                });
            }
            Decision::Withdraw => {
                outcomes.push(AnswerOutcome::Withdrawn { task_id });
                let layer = next_layer(&mut layers, &mut writes_of, key);
                layer.withdrawals.push(surveys::Withdrawal {
                    round_id: context.round_id,
                    vpa: request.vpa,
                    via: AnswerVia::Reaction,
                    at: request.at,
                });
                current.insert(key, None);
            }
        }
        if refreshed_rounds.insert(context.round_id) {
            items.push(refresh_post(
                context.round_id,
                request.at + REFRESH_COALESCE,
            ));
        }
        committed.push((key.0, key.1, request.submitted));
    }
    for layer in &layers {
        surveys::withdraw_answers(&mut tx, &layer.withdrawals).await?;
        surveys::save_answers(&mut tx, &layer.saves).await?;
    }
    enqueue_many(&mut tx, &items, now).await?;
    let committing = std::time::Instant::now();
    tx.commit().await?;
    let at = std::time::Instant::now();
    for (round_id, vpa, submitted) in committed {
        let stages = super::desk::AnswerStages {
            submitted,
            batch_started,
            locked,
            committing,
        };
        desk.publish(DeskEvent::AnswerRecorded {
            round_id,
            vpa,
            at,
            stages,
        });
    }
    if !items.is_empty() {
        desk.ring_outbox();
    }
    Ok(outcomes)
}
