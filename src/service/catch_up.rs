//! Catch-up on every READY: reactions given or taken back while the bot was offline (or while
//! its gateway session was lost) are read back from the open survey posts and recorded the way
//! the live reaction events would have been. The bot reads the reactions from Discord and sends
//! each change through the live reaction path (`answers::record_reaction` and
//! `answers::withdraw_reaction`); this module says which posts to read, what is recorded for
//! them, and what has to change (`domain::catch_up`).

use std::collections::HashMap;

use super::desk::{Desk, DeskEvent};
use super::error::Result;
use crate::domain::catch_up::{
    PostReaction, ReactionChange, RecordedAnswer, reaction_changes, stands_on_reaction,
};
use crate::domain::ids::{DiscordId, RoundId};

pub use crate::db::surveys::OpenPost;

/// The survey posts still taking answers, whose reactions a catch-up reads.
#[tracing::instrument(skip_all)]
pub async fn open_posts(desk: &Desk) -> Result<Vec<OpenPost>> {
    Ok(desk.db.open_posts().await?)
}

/// What is recorded for a round, read before its reactions: a reaction given or taken back
/// while the catch-up runs is then either in the reactions read (and recorded once, by
/// whichever comes first, as the answer writer compares with the stored answer) or after them
/// (and handled live). Left open is a live change between reading the reactions and writing a
/// change (a few requests' time): a reaction taken back offline and given again in that moment
/// is withdrawn after its live answer — the reaction is still there, so the next READY or the
/// VPA's next reaction records it again.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    answers: Vec<RecordedAnswer>,
}

impl Recorded {
    /// The changes that bring the recorded answers in line with the reactions on the post.
    pub fn changes(&self, present: &[PostReaction]) -> Vec<ReactionChange> {
        reaction_changes(&self.answers, present)
    }
}

/// The answers recorded for a round, each with whether it stands on a reaction.
#[tracing::instrument(skip_all, fields(%round_id))]
pub async fn recorded(desk: &Desk, round_id: RoundId) -> Result<Recorded> {
    let (answers, history) = desk.db.answers_and_history(round_id).await?;
    let mut trails: HashMap<DiscordId, Vec<_>> = HashMap::new();
    for entry in &history {
        trails
            .entry(entry.vpa)
            .or_default()
            .push((entry.kind.as_str(), entry.via));
    }
    let answers = answers
        .into_iter()
        .map(|a| {
            let trail = trails.get(&a.vpa).map(Vec::as_slice).unwrap_or_default();
            RecordedAnswer {
                vpa: a.vpa,
                by_reaction: stands_on_reaction(&a.answer, a.via, trail.iter().copied()),
                answer: a.answer,
            }
        })
        .collect();
    Ok(Recorded { answers })
}

/// How a catch-up went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CatchUp {
    /// Open survey posts whose reactions were read.
    pub posts: usize,
    /// Answers recorded from reactions given meanwhile.
    pub added: usize,
    /// Answers withdrawn because their reaction was taken back meanwhile.
    pub withdrawn: usize,
    /// Posts that could not be read and changes that failed; the next READY tries again.
    pub failed: usize,
}

/// Logs a finished catch-up and tells listeners.
pub fn caught_up(desk: &Desk, done: CatchUp) {
    tracing::info!(
        posts = done.posts,
        added = done.added,
        withdrawn = done.withdrawn,
        failed = done.failed,
        "caught up on reactions"
    );
    desk.publish(DeskEvent::CaughtUp {
        posts: done.posts,
        added: done.added,
        withdrawn: done.withdrawn,
        failed: done.failed,
    });
}
