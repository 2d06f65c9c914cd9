//! Survey answers (Umfrage): accept, decline with a reason, or "later, from date X".

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

/// Why a VPA declined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

    pub fn german(self) -> &'static str {
        match self {
            DeclineReason::NoCapacity => "keine Kapazität",
            DeclineReason::MissingCompetence => "Kompetenz fehlt",
            DeclineReason::NoInterest => "kein Interesse",
            DeclineReason::DeadlineTooTight => "Deadline zu knapp",
            DeclineReason::Other => "Sonstiges",
            DeclineReason::NotGiven => "nicht angegeben",
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

/// How an answer came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Button,
    Reaction,
}

impl Via {
    pub fn key(self) -> &'static str {
        match self {
            Via::Button => "button",
            Via::Reaction => "reaction",
        }
    }
}

impl fmt::Display for Via {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundKind {
    First,
    Extended,
    Related,
    Split,
}

impl RoundKind {
    pub fn key(self) -> &'static str {
        match self {
            RoundKind::First => "first",
            RoundKind::Extended => "extended",
            RoundKind::Related => "related",
            RoundKind::Split => "split",
        }
    }
}

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
    fn reasons_round_trip() {
        for r in DeclineReason::CHOOSABLE
            .into_iter()
            .chain([DeclineReason::NotGiven])
        {
            assert_eq!(r.key().parse::<DeclineReason>().unwrap(), r);
        }
    }
}
