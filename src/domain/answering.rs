//! The rules of answering a survey: what a VPA's action does to their stored answer, and what
//! it causes (the coordinator told, the reason or date asked for). Pure: the answer writer
//! (`service::answer_writer`) reads the state, applies these rules and writes the result.

use super::survey::{Answer, AnswerVia, DeclineReason};
use super::task::TaskStatus;

/// What a VPA did.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerChange {
    /// An answer by button, select, modal or reaction.
    Give(Answer, AnswerVia),
    /// "Begründung ergänzen": a note on the current decline, keeping its reason.
    Note(String),
    /// The reaction with this emoji was removed.
    Withdraw { emoji: String },
}

/// What the change does to the stored answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Store `answer` (unless `changed` is false: a repeat changes nothing).
    Record {
        answer: Answer,
        via: AnswerVia,
        changed: bool,
    },
    /// Remove the current answer (the reaction it stood for was taken back).
    Withdraw,
    /// Nothing to do (e.g. removing a reaction that is not the current answer).
    Ignore,
    /// The task no longer needs anybody.
    TaskClosed(TaskStatus),
}

/// Decides a change against the task's status and the VPA's current answer.
pub fn decide(change: &AnswerChange, status: TaskStatus, current: Option<&Answer>) -> Decision {
    let (answer, via) = match change {
        // Taking back a reaction is allowed on a closed task: it only clears the VPA's mark.
        AnswerChange::Withdraw { emoji } => {
            return match current {
                Some(c) if c.emoji() == emoji => Decision::Withdraw,
                _ => Decision::Ignore,
            };
        }
        AnswerChange::Give(answer, via) => (answer.clone(), *via),
        AnswerChange::Note(note) => {
            let reason = match current {
                Some(Answer::Decline { reason, .. }) => *reason,
                _ => DeclineReason::Other,
            };
            let note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
            (Answer::Decline { reason, note }, AnswerVia::Button)
        }
    };
    if !status.is_open_demand() {
        return Decision::TaskClosed(status);
    }
    let merged = merge(current, answer);
    let changed = current != Some(&merged);
    Decision::Record {
        answer: merged,
        via,
        changed,
    }
}

/// A reaction repeating the current kind of answer keeps what the VPA already told us (a reason
/// or a date given through the DM); a note added later keeps the chosen reason.
pub fn merge(current: Option<&Answer>, new: Answer) -> Answer {
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

/// What a stored answer causes besides itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FollowUps {
    /// The creating coordinator hears of a new acceptance.
    pub tell_coordinator: bool,
    /// The quick path left the reason or date open: ask for it privately.
    pub ask: Option<Ask>,
}

/// What to ask a VPA after a quick answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    DeclineReason,
    LaterDate,
}

/// The follow-ups of storing `answer` after `previous` (only a new kind of answer causes any;
/// `given_before`: the VPA gave this kind in the round already and took it back since — nobody
/// is asked or told twice).
pub fn follow_ups(
    previous: Option<&Answer>,
    answer: &Answer,
    via: AnswerVia,
    given_before: bool,
) -> FollowUps {
    if given_before || previous.is_some_and(|p| p.kind() == answer.kind()) {
        return FollowUps::default();
    }
    let ask = match (via, answer) {
        (
            AnswerVia::Reaction,
            Answer::Decline {
                reason: DeclineReason::NotGiven,
                ..
            },
        ) => Some(Ask::DeclineReason),
        (AnswerVia::Reaction, Answer::Later { from: None }) => Some(Ask::LaterDate),
        _ => None,
    };
    FollowUps {
        tell_coordinator: matches!(answer, Answer::Accept),
        ask,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_task_takes_no_answers_but_lets_a_reaction_be_taken_back() {
        let accept = AnswerChange::Give(Answer::Accept, AnswerVia::Button);
        assert_eq!(
            decide(&accept, TaskStatus::Done, None),
            Decision::TaskClosed(TaskStatus::Done)
        );
        let withdraw = AnswerChange::Withdraw {
            emoji: "✅".into()
        };
        assert_eq!(
            decide(&withdraw, TaskStatus::Done, Some(&Answer::Accept)),
            Decision::Withdraw
        );
        // Another emoji than the current answer's, or no answer at all: nothing to take back.
        let other = AnswerChange::Withdraw {
            emoji: "❌".into()
        };
        assert_eq!(
            decide(&other, TaskStatus::Done, Some(&Answer::Accept)),
            Decision::Ignore
        );
        assert_eq!(decide(&withdraw, TaskStatus::Done, None), Decision::Ignore);
    }

    #[test]
    fn a_note_keeps_the_reason_or_declines_for_another_one() {
        let declined = Answer::Decline {
            reason: DeclineReason::NoCapacity,
            note: None,
        };
        // A blank note changes nothing on a decline that has none.
        assert_eq!(
            decide(
                &AnswerChange::Note("  ".into()),
                TaskStatus::Surveying,
                Some(&declined)
            ),
            Decision::Record {
                answer: declined.clone(),
                via: AnswerVia::Button,
                changed: false
            }
        );
        assert_eq!(
            decide(
                &AnswerChange::Note(" voll ".into()),
                TaskStatus::Surveying,
                None
            ),
            Decision::Record {
                answer: Answer::Decline {
                    reason: DeclineReason::Other,
                    note: Some("voll".into())
                },
                via: AnswerVia::Button,
                changed: true
            }
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

    #[test]
    fn only_a_new_kind_of_answer_causes_follow_ups() {
        let quick_no = Answer::Decline {
            reason: DeclineReason::NotGiven,
            note: None,
        };
        assert_eq!(
            follow_ups(None, &quick_no, AnswerVia::Reaction, false).ask,
            Some(Ask::DeclineReason)
        );
        assert_eq!(
            follow_ups(None, &quick_no, AnswerVia::Button, false).ask,
            None
        );
        assert!(follow_ups(None, &Answer::Accept, AnswerVia::Button, false).tell_coordinator);
        assert_eq!(
            follow_ups(
                Some(&Answer::Accept),
                &Answer::Accept,
                AnswerVia::Reaction,
                false
            ),
            FollowUps::default()
        );
        assert_eq!(
            follow_ups(
                None,
                &Answer::Later { from: None },
                AnswerVia::Reaction,
                false
            )
            .ask,
            Some(Ask::LaterDate)
        );
        // Taken back and given again: nobody is asked or told a second time.
        assert_eq!(
            follow_ups(
                None,
                &Answer::Later { from: None },
                AnswerVia::Reaction,
                true
            ),
            FollowUps::default()
        );
    }
}
