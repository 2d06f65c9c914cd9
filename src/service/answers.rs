//! Recording survey answers from buttons, selects, modals and reactions: the use cases the bot
//! calls. Each request goes through the answer writer ([`super::answer_writer`]), which applies
//! the answer rules (`domain::answering`) and writes answers by group commit.

use super::answer_writer::{AnswerRequest, submit};
use super::desk::Desk;
use super::error::Result;
use crate::db::surveys::RoundRef;
use crate::domain::answering::AnswerChange;
use crate::domain::ids::{DiscordId, RoundId, TaskId};
use crate::domain::survey::{Answer, AnswerVia};
use crate::domain::task::TaskStatus;

/// What happened to an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerOutcome {
    /// Stored (or already stored: `changed` is false for a repeat).
    Recorded {
        task_id: TaskId,
        changed: bool,
        surveyed: bool,
    },
    /// A reaction's removal withdrew the answer.
    Withdrawn { task_id: TaskId },
    /// Nothing to do (e.g. removing a reaction that is not the current answer).
    Ignored,
    /// The round does not exist (an old or foreign message).
    UnknownRound,
    /// The task no longer needs anybody.
    TaskClosed { task_id: TaskId, status: TaskStatus },
    /// The same interaction was recorded before (Discord delivered it twice): nothing changed.
    Duplicate,
}

/// Who answers, through which interaction (none for reactions: they carry no id, and a repeat
/// is caught by comparing with the stored answer).
#[derive(Debug, Clone, PartialEq)]
pub struct Answerer {
    pub vpa: DiscordId,
    pub name: String,
    /// `interaction:<id>`, marked as handled with the answer.
    pub event: Option<String>,
}

/// Records `answer` in `round_id` (buttons, selects, modals).
#[tracing::instrument(skip_all, fields(%round_id, vpa = %who.vpa, answer = answer.kind(), %via))]
pub async fn record_answer(
    desk: &Desk,
    round_id: RoundId,
    who: &Answerer,
    answer: Answer,
    via: AnswerVia,
) -> Result<AnswerOutcome> {
    submit(
        desk,
        request(
            desk,
            RoundRef::Id(round_id),
            who,
            AnswerChange::Give(answer, via),
        ),
    )
    .await
}

/// Records a reaction's answer on the survey post `message`.
#[tracing::instrument(skip_all, fields(%message, vpa = %who.vpa, answer = answer.kind()))]
pub async fn record_reaction(
    desk: &Desk,
    message: DiscordId,
    who: &Answerer,
    answer: Answer,
) -> Result<AnswerOutcome> {
    let change = AnswerChange::Give(answer, AnswerVia::Reaction);
    submit(desk, request(desk, RoundRef::Message(message), who, change)).await
}

/// A removed reaction on the survey post `message` withdraws the answer when it is the one
/// that answer stands for.
#[tracing::instrument(skip_all, fields(%message, vpa = %who.vpa, emoji))]
pub async fn withdraw_reaction(
    desk: &Desk,
    message: DiscordId,
    who: &Answerer,
    emoji: &str,
) -> Result<AnswerOutcome> {
    let change = AnswerChange::Withdraw {
        emoji: emoji.to_string(),
    };
    submit(desk, request(desk, RoundRef::Message(message), who, change)).await
}

/// Adds a free-text note to an existing decline ("Begründung ergänzen"); without one, the note
/// becomes a decline for another reason.
pub async fn add_decline_note(
    desk: &Desk,
    round_id: RoundId,
    who: &Answerer,
    note: String,
) -> Result<AnswerOutcome> {
    submit(
        desk,
        request(desk, RoundRef::Id(round_id), who, AnswerChange::Note(note)),
    )
    .await
}

fn request(desk: &Desk, round: RoundRef, who: &Answerer, change: AnswerChange) -> AnswerRequest {
    AnswerRequest {
        round,
        vpa: who.vpa,
        // A Discord name may hold anything: stored and shown defused.
        vpa_name: crate::domain::vpa::safe_name(&who.name),
        change,
        event: who.event.clone(),
        at: desk.now(),
        submitted: std::time::Instant::now(),
    }
}

/// Whether `user` was invited to answer in a round (surveyed in it, or sent its DM).
pub async fn is_invited(desk: &Desk, round_id: RoundId, user: DiscordId) -> Result<bool> {
    Ok(desk.db.is_invitee(round_id, user).await?)
}

/// Whether a round exists (its components still work).
pub async fn round_exists(desk: &Desk, round_id: RoundId) -> Result<bool> {
    Ok(desk.db.get_round(round_id).await?.is_some())
}

/// The VPA's current answer in a round.
pub async fn current_answer(
    desk: &Desk,
    round_id: RoundId,
    vpa: DiscordId,
) -> Result<Option<Answer>> {
    Ok(desk.db.answer_of(round_id, vpa).await?.map(|a| a.answer))
}
