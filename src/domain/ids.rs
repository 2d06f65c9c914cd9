//! Identifiers: Discord snowflakes (u64 in Discord, i64 in SQLite, converted here and nowhere
//! else) and the database ids of tasks, survey rounds and clients, each a type of its own so
//! a round id can never be passed where a task id belongs.

use std::fmt;
use std::str::FromStr;

/// A Discord snowflake (user, channel, message, role).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct DiscordId(pub u64);

impl DiscordId {
    /// The value as SQLite stores it. Snowflakes stay below 2^63 for centuries, so the cast is lossless.
    pub fn to_db(self) -> i64 {
        self.0 as i64
    }

    /// The value read back from SQLite.
    pub fn from_db(value: i64) -> Self {
        DiscordId(value as u64)
    }

    /// Parses a snowflake typed or exported by a person (digits only, not zero, fits SQLite).
    pub fn parse(text: &str) -> Option<Self> {
        Self::read(text).ok()
    }

    /// Like [`DiscordId::parse`], saying what is wrong.
    pub fn read(text: &str) -> Result<Self, IdProblem> {
        let text = text.trim();
        if text.is_empty() {
            return Err(IdProblem::Empty);
        }
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdProblem::NotDigits);
        }
        let value = text.parse::<u64>().ok().filter(|v| *v <= i64::MAX as u64);
        match value {
            None => Err(IdProblem::TooLarge),
            Some(0) => Err(IdProblem::Zero),
            Some(v) => Ok(DiscordId(v)),
        }
    }

    /// Whether the value can be a snowflake (above 0, within SQLite's integers).
    pub fn is_snowflake(self) -> bool {
        self.0 > 0 && self.0 <= i64::MAX as u64
    }
}

/// Why a text is not a Discord id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdProblem {
    Empty,
    /// Other characters than digits (a sign, a decimal point, an exponent as spreadsheets write).
    NotDigits,
    /// Zero: Discord never gives it out.
    Zero,
    /// Beyond 9,223,372,036,854,775,807: no snowflake is that large.
    TooLarge,
}

impl fmt::Display for DiscordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

macro_rules! row_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

row_id!(
    /// A task (Aufgabe), as numbered for coordinators (`#12`).
    TaskId
);
row_id!(
    /// A survey round of a task.
    RoundId
);
row_id!(
    /// A client (Kunde).
    ClientId
);
row_id!(
    /// One VPA holding one task, from a day until a day.
    AssignmentId
);
row_id!(
    /// One hand-over of an assignment after its holder dropped out.
    HandOverId
);
row_id!(
    /// One offer of a handed-on task to a VPA of its waitlist.
    OfferId
);
row_id!(
    /// An edit of a task waiting for the coordinator's confirmation.
    PendingEditId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_database_type() {
        let id = DiscordId(1_234_567_890_123_456_789);
        assert_eq!(DiscordId::from_db(id.to_db()), id);
    }

    #[test]
    fn parses_only_plain_positive_numbers() {
        assert_eq!(
            DiscordId::parse(" 123456789012345678 "),
            Some(DiscordId(123456789012345678))
        );
        assert_eq!(DiscordId::parse("0"), None);
        assert_eq!(DiscordId::read("0"), Err(IdProblem::Zero));
        assert_eq!(
            DiscordId::read("9223372036854775808"),
            Err(IdProblem::TooLarge)
        );
        assert_eq!(
            DiscordId::read("9223372036854775807"),
            Ok(DiscordId(9223372036854775807))
        );
        assert_eq!(DiscordId::read("1.2E+17"), Err(IdProblem::NotDigits));
        assert_eq!(DiscordId::read(" "), Err(IdProblem::Empty));
        assert_eq!(DiscordId::parse("1.2E+17"), None);
        assert_eq!(DiscordId::parse("-5"), None);
        assert_eq!(DiscordId::parse("99999999999999999999"), None);
    }

    #[test]
    fn row_ids_serialize_as_plain_numbers() {
        // Outbox rows written before the ids had types hold plain numbers.
        assert_eq!(serde_json::to_string(&TaskId(7)).unwrap(), "7");
        assert_eq!(serde_json::from_str::<RoundId>("12").unwrap(), RoundId(12));
        assert_eq!("42".parse::<ClientId>().unwrap(), ClientId(42));
    }
}
