//! Discord ids: u64 snowflakes in Discord, i64 in SQLite. Converted here and nowhere else.

use std::fmt;

/// A Discord snowflake (user, channel, message, role).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
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
        let text = text.trim();
        if text.is_empty() || text.len() > 20 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let value: u64 = text.parse().ok()?;
        (value > 0 && value <= i64::MAX as u64).then_some(DiscordId(value))
    }
}

impl fmt::Display for DiscordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

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
        assert_eq!(DiscordId::parse("1.2E+17"), None);
        assert_eq!(DiscordId::parse("-5"), None);
        assert_eq!(DiscordId::parse("99999999999999999999"), None);
    }
}
