//! Survey answers (Umfrage): accept, decline with a reason, or "later, from date X"; the kinds
//! of survey rounds and how they end. Every kind has a stable key, stored in the database.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};

use super::ids::{DiscordId, RoundId, TaskId};

/// Why a VPA declined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeclineReason {
    NoCapacity,
    MissingCompetence,
    NoInterest,
    DeadlineTooTight,
    Other,
    /// Declined by reaction without saying why.
    NotGiven,
}

impl DeclineReason {
    /// The reasons a VPA can pick (the quick path's "nicht angegeben" is not offered).
    pub const CHOOSABLE: [DeclineReason; 5] = [
        DeclineReason::NoCapacity,
        DeclineReason::MissingCompetence,
        DeclineReason::NoInterest,
        DeclineReason::DeadlineTooTight,
        DeclineReason::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DeclineReason::NoCapacity => "no-capacity",
            DeclineReason::MissingCompetence => "missing-competence",
            DeclineReason::NoInterest => "no-interest",
            DeclineReason::DeadlineTooTight => "deadline-too-tight",
            DeclineReason::Other => "other",
            DeclineReason::NotGiven => "not-given",
        }
    }
}

impl FromStr for DeclineReason {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DeclineReason::CHOOSABLE
            .into_iter()
            .chain([DeclineReason::NotGiven])
            .find(|r| r.key() == s)
            .ok_or_else(|| format!("unknown decline reason {s:?}"))
    }
}

/// A VPA's answer in a survey round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Accept,
    Decline {
        reason: DeclineReason,
        note: Option<String>,
    },
    /// "Später": the VPA could do it from this day (none: not said yet).
    Later {
        from: Option<NaiveDate>,
    },
}

impl Answer {
    /// The stored kind: `accept`, `decline` or `later`.
    pub fn kind(&self) -> &'static str {
        match self {
            Answer::Accept => "accept",
            Answer::Decline { .. } => "decline",
            Answer::Later { .. } => "later",
        }
    }

    /// The reaction that gives this answer on the quick path.
    pub fn emoji(&self) -> &'static str {
        match self {
            Answer::Accept => ACCEPT_EMOJI,
            Answer::Decline { .. } => DECLINE_EMOJI,
            Answer::Later { .. } => LATER_EMOJI,
        }
    }
}

/// ✅ accept.
pub const ACCEPT_EMOJI: &str = "✅";
/// ❌ decline.
pub const DECLINE_EMOJI: &str = "❌";
/// ⏳ later.
pub const LATER_EMOJI: &str = "⏳";
/// The three answer reactions, in the order the bot puts them on a post.
pub const ANSWER_EMOJIS: [&str; 3] = [ACCEPT_EMOJI, DECLINE_EMOJI, LATER_EMOJI];

/// The answer a reaction stands for, if it is one of the bot's three.
pub fn answer_for_emoji(emoji: &str) -> Option<Answer> {
    match emoji {
        ACCEPT_EMOJI => Some(Answer::Accept),
        DECLINE_EMOJI => Some(Answer::Decline {
            reason: DeclineReason::NotGiven,
            note: None,
        }),
        LATER_EMOJI => Some(Answer::Later { from: None }),
        _ => None,
    }
}

/// Implements `key()`, `ALL`, `FromStr` and `Display` for an enum of stable keys.
macro_rules! keyed {
    ($name:ident { $($variant:ident => $key:literal),+ $(,)? }) => {
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable key stored in the database.
            pub fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key),+
                }
            }
        }

        impl FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.key() == s)
                    .ok_or_else(|| format!("unknown {} {s:?}", stringify!($name)))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.key())
            }
        }
    };
}
pub(crate) use keyed;

/// How an answer came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnswerVia {
    Button,
    Reaction,
}

keyed!(AnswerVia {
    Button => "button",
    Reaction => "reaction",
});

/// Answer figures of a round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnswerCounts {
    pub surveyed: u32,
    pub accepted: u32,
    pub declined: u32,
    pub later: u32,
    /// Surveyed VPAs who have not answered.
    pub no_answer: u32,
}

/// What kind of round this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoundKind {
    /// The survey posted when the task was created.
    First,
    /// Widened to VPAs who don't want new clients or tasks (playbook option 1).
    Extended,
    /// Re-advertised under a related competence (playbook option 3).
    Related,
    /// The first round of a part of a split task.
    Split,
}

keyed!(RoundKind {
    First => "first",
    Extended => "extended",
    Related => "related",
    Split => "split",
});

/// A survey round of a task: one post, its audience and its window.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    pub id: RoundId,
    pub task_id: TaskId,
    pub kind: RoundKind,
    /// The competence asked for (a related one for a re-advertised task), by catalog key.
    pub competence: String,
    pub opened_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub channel_id: Option<DiscordId>,
    pub message_id: Option<DiscordId>,
}

impl Round {
    /// Where the round's post landed, once it is out.
    pub fn post(&self) -> Option<(DiscordId, DiscordId)> {
        self.channel_id.zip(self.message_id)
    }
}

/// How a round ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoundOutcome {
    /// Nobody fitted: the round surveyed nobody and failed at once.
    NobodyFits,
    /// The window closed with nobody accepting: escalated to the manager.
    NobodyAccepted,
    /// Somebody accepted but nobody was assigned: the coordinator is asked first.
    AcceptedUnassigned,
    /// The task no longer needed anybody (assigned, done, cancelled, …).
    Settled,
}

keyed!(RoundOutcome {
    NobodyFits => "nobody-fits",
    NobodyAccepted => "nobody-accepted",
    AcceptedUnassigned => "accepted-unassigned",
    Settled => "settled",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reactions_map_to_answers() {
        assert_eq!(answer_for_emoji("✅"), Some(Answer::Accept));
        assert_eq!(
            answer_for_emoji("❌"),
            Some(Answer::Decline {
                reason: DeclineReason::NotGiven,
                note: None
            })
        );
        assert_eq!(answer_for_emoji("⏳"), Some(Answer::Later { from: None }));
        assert_eq!(answer_for_emoji("👍"), None);
        for a in [Answer::Accept, Answer::Later { from: None }] {
            assert_eq!(answer_for_emoji(a.emoji()).unwrap().kind(), a.kind());
        }
    }

    #[test]
    fn kinds_round_trip() {
        for k in RoundKind::ALL {
            assert_eq!(k.key().parse::<RoundKind>().unwrap(), *k);
        }
        for o in RoundOutcome::ALL {
            assert_eq!(o.key().parse::<RoundOutcome>().unwrap(), *o);
        }
        assert_eq!(
            "reaction".parse::<AnswerVia>().unwrap(),
            AnswerVia::Reaction
        );
        assert!("telepathy".parse::<AnswerVia>().is_err());
    }

    #[test]
    fn reasons_round_trip() {
        for r in DeclineReason::CHOOSABLE
            .into_iter()
            .chain([DeclineReason::NotGiven])
        {
            assert_eq!(r.key().parse::<DeclineReason>().unwrap(), r);
        }
    }
}
