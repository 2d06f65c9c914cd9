//! Catching up on reactions given or taken back while the bot was offline: from the reactions a
//! survey post shows now and the answers recorded for its round, which reactions still have to
//! be recorded and which recorded answers lost their reaction. Pure: the bot reads the
//! reactions, `service::catch_up` the recorded answers, and each change then goes the way the
//! live reaction event would have gone.
//!
//! Reactions carry no time, so the reactions present now are taken as the VPA's current word,
//! with two limits:
//! - an answer that does not stand on a reaction (given by button, select or form) is kept
//!   whatever the reactions say: no reaction is no withdrawal, and a reaction left over from
//!   before the button (Discord keeps it) must not overturn the later answer;
//! - several answer reactions of one VPA, none of them the recorded answer, cannot be put in
//!   order: the first in the post's order (✅ ❌ ⏳) is taken.

use std::collections::BTreeMap;

use super::ids::DiscordId;
use super::survey::{ANSWER_EMOJIS, Answer, AnswerVia};

/// A VPA's recorded answer in a round, as far as reactions are concerned.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedAnswer {
    pub vpa: DiscordId,
    pub answer: Answer,
    /// The answer stands on a reaction: it was given by reacting (its reason or date may have
    /// been added since through the DM the reaction caused), so taking the reaction back
    /// withdraws it.
    pub by_reaction: bool,
}

/// Whether an answer stands on a reaction, from how it came in (`via`) and the VPA's answer
/// history in the round (kind and how each entry came in, oldest first): since the last entry
/// of another kind (or a withdrawal), one came by reaction. A ❌ whose reason was given
/// through the DM afterwards is stored as given by button, and still stands on the ❌.
pub fn stands_on_reaction<'a>(
    current: &Answer,
    via: AnswerVia,
    history: impl DoubleEndedIterator<Item = (&'a str, AnswerVia)>,
) -> bool {
    via == AnswerVia::Reaction
        || history
            .rev()
            .take_while(|(kind, _)| *kind == current.kind())
            .any(|(_, via)| via == AnswerVia::Reaction)
}

/// A user's answer reaction on a post (the bot's own and other bots' are left out before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostReaction {
    pub user: DiscordId,
    pub emoji: &'static str,
}

/// What catching up does for one user: what the missed reaction event would have done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReactionChange {
    /// As if `user` had just added `emoji`: recorded as their answer.
    Added {
        user: DiscordId,
        emoji: &'static str,
    },
    /// As if `user` had just taken `emoji` back: their answer is withdrawn.
    Removed {
        user: DiscordId,
        emoji: &'static str,
    },
}

/// The changes that bring the recorded answers of a round in line with its post's reactions,
/// by user id. Applied, they leave nothing to change: a second catch-up finds none.
pub fn reaction_changes(
    recorded: &[RecordedAnswer],
    present: &[PostReaction],
) -> Vec<ReactionChange> {
    let mut users: BTreeMap<DiscordId, (Option<&RecordedAnswer>, [bool; 3])> = BTreeMap::new();
    for r in recorded {
        users.entry(r.vpa).or_default().0 = Some(r);
    }
    for p in present {
        // Anything but the three answer emoji is no answer.
        if let Some(i) = ANSWER_EMOJIS.iter().position(|e| *e == p.emoji) {
            users.entry(p.user).or_default().1[i] = true;
        }
    }
    let mut changes = Vec::new();
    for (user, (recorded, reacted)) in users {
        let has = |emoji: &str| {
            ANSWER_EMOJIS
                .iter()
                .position(|e| *e == emoji)
                .is_some_and(|i| reacted[i])
        };
        let first = ANSWER_EMOJIS.iter().zip(reacted).find(|(_, on)| *on);
        match (recorded, first) {
            (Some(r), _) if has(r.answer.emoji()) => {}
            (Some(r), _) if !r.by_reaction => {}
            (_, Some((emoji, _))) => changes.push(ReactionChange::Added { user, emoji }),
            (Some(r), None) => changes.push(ReactionChange::Removed {
                user,
                emoji: r.answer.emoji(),
            }),
            (None, None) => {}
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::{
        ACCEPT_EMOJI, DECLINE_EMOJI, DeclineReason, LATER_EMOJI, answer_for_emoji,
    };

    fn recorded(vpa: u64, answer: Answer, by_reaction: bool) -> RecordedAnswer {
        RecordedAnswer {
            vpa: DiscordId(vpa),
            answer,
            by_reaction,
        }
    }

    fn reaction(user: u64, emoji: &'static str) -> PostReaction {
        PostReaction {
            user: DiscordId(user),
            emoji,
        }
    }

    fn added(user: u64, emoji: &'static str) -> ReactionChange {
        ReactionChange::Added {
            user: DiscordId(user),
            emoji,
        }
    }

    fn removed(user: u64, emoji: &'static str) -> ReactionChange {
        ReactionChange::Removed {
            user: DiscordId(user),
            emoji,
        }
    }

    /// What the live path makes of the changes (an added reaction becomes an answer given by
    /// reaction, a removed one takes it away).
    fn apply(recorded: &[RecordedAnswer], changes: &[ReactionChange]) -> Vec<RecordedAnswer> {
        let mut out: BTreeMap<DiscordId, RecordedAnswer> =
            recorded.iter().map(|r| (r.vpa, r.clone())).collect();
        for change in changes {
            match *change {
                ReactionChange::Added { user, emoji } => {
                    let answer = answer_for_emoji(emoji).unwrap();
                    out.insert(user, self::recorded(user.0, answer, true));
                }
                ReactionChange::Removed { user, .. } => {
                    out.remove(&user);
                }
            }
        }
        out.into_values().collect()
    }

    fn declined() -> Answer {
        Answer::Decline {
            reason: DeclineReason::NoCapacity,
            note: None,
        }
    }

    #[test]
    fn reactions_given_offline_are_added_and_taken_back_ones_removed() {
        let before = [recorded(1, Answer::Accept, true)];
        let now = [reaction(2, ACCEPT_EMOJI), reaction(3, DECLINE_EMOJI)];
        let changes = reaction_changes(&before, &now);
        assert_eq!(
            changes,
            [
                removed(1, ACCEPT_EMOJI),
                added(2, ACCEPT_EMOJI),
                added(3, DECLINE_EMOJI)
            ]
        );
        // Applied, nothing is left to do.
        assert!(reaction_changes(&apply(&before, &changes), &now).is_empty());
    }

    #[test]
    fn a_recorded_answer_whose_reaction_is_there_changes_nothing() {
        // Also with a reaction of another kind beside it (the older answer of the two).
        let before = [
            recorded(1, Answer::Accept, true),
            recorded(2, declined(), true),
        ];
        let now = [
            reaction(1, ACCEPT_EMOJI),
            reaction(1, LATER_EMOJI),
            reaction(2, DECLINE_EMOJI),
        ];
        assert!(reaction_changes(&before, &now).is_empty());
    }

    #[test]
    fn an_answer_not_given_by_reaction_stands_whatever_the_reactions_say() {
        // No reaction at all, and a reaction left over from before the button.
        let before = [
            recorded(1, Answer::Accept, false),
            recorded(2, Answer::Later { from: None }, false),
        ];
        let now = [reaction(2, DECLINE_EMOJI)];
        assert!(reaction_changes(&before, &now).is_empty());
    }

    #[test]
    fn a_reaction_answer_completed_by_dm_is_withdrawn_with_its_reaction() {
        // ❌, then the reason through the DM: it still stands on the ❌.
        let before = [recorded(1, declined(), true)];
        assert_eq!(reaction_changes(&before, &[]), [removed(1, DECLINE_EMOJI)]);
    }

    #[test]
    fn a_taken_back_reaction_with_another_left_becomes_that_answer() {
        let before = [recorded(1, Answer::Accept, true)];
        let now = [reaction(1, LATER_EMOJI)];
        let changes = reaction_changes(&before, &now);
        assert_eq!(changes, [added(1, LATER_EMOJI)]);
        assert!(reaction_changes(&apply(&before, &changes), &now).is_empty());
    }

    #[test]
    fn several_reactions_without_an_answer_take_the_first_in_the_posts_order() {
        let now = [
            reaction(1, LATER_EMOJI),
            reaction(1, DECLINE_EMOJI),
            reaction(1, DECLINE_EMOJI),
        ];
        assert_eq!(reaction_changes(&[], &now), [added(1, DECLINE_EMOJI)]);
    }

    #[test]
    fn an_answer_stands_on_a_reaction_while_its_kind_lasts() {
        use AnswerVia::{Button, Reaction};
        let stands = |current: &Answer, via, history: &[(&str, AnswerVia)]| {
            stands_on_reaction(current, via, history.iter().copied())
        };
        // ❌, then the reason through the DM (stored as by button).
        let trail = [("decline", Reaction), ("decline", Button)];
        assert!(stands(&declined(), Button, &trail));
        // Accepted by reaction, taken back, accepted by button.
        let trail = [
            ("accept", Reaction),
            ("withdrawn", Reaction),
            ("accept", Button),
        ];
        assert!(!stands(&Answer::Accept, Button, &trail));
        // A ✅ reaction, then "Später" by button.
        let trail = [("accept", Reaction), ("later", Button)];
        assert!(!stands(&Answer::Later { from: None }, Button, &trail));
        // How it came in decides even without a history (answers older than the history).
        assert!(stands(&Answer::Accept, Reaction, &[]));
        assert!(!stands(&Answer::Accept, Button, &[]));
    }

    #[test]
    fn foreign_emoji_and_nothing_at_all_change_nothing() {
        assert!(reaction_changes(&[], &[reaction(1, "👍")]).is_empty());
        assert!(reaction_changes(&[], &[]).is_empty());
        let before = [recorded(1, Answer::Accept, true)];
        assert_eq!(
            reaction_changes(&before, &[reaction(1, "👍")]),
            [removed(1, ACCEPT_EMOJI)]
        );
    }
}
