//! Escalations to the VPA manager ("melde dies umgehend an den VPA Manager"): why a task's
//! notice was raised or updated.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use super::ids::{DiscordId, RoundId};
use super::survey::keyed;

/// Why a task was escalated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EscalationCause {
    /// A survey round closed with nobody accepting.
    RoundFailed,
    /// Nobody fitted when the task was created.
    NobodyFits,
    /// A coordinator reported it by hand.
    Reported,
    /// VPAs accepted but nobody was assigned, one window after the coordinator was asked.
    AcceptedUnassigned,
}

keyed!(EscalationCause {
    RoundFailed => "round-failed",
    NobodyFits => "nobody-fits",
    Reported => "reported",
    AcceptedUnassigned => "accepted-unassigned",
});

impl EscalationCause {
    /// Whether a further event of this cause pings the manager again in a reply to the notice
    /// (the first one raised the notice itself).
    pub fn pings_again(self) -> bool {
        !matches!(self, EscalationCause::NobodyFits)
    }
}

/// One reason a task's notice was raised or updated.
#[derive(Debug, Clone, PartialEq)]
pub struct EscalationEvent {
    pub cause: EscalationCause,
    /// The round that failed, for round causes.
    pub round_id: Option<RoundId>,
    /// What the coordinator wrote, for a report.
    pub note: Option<String>,
    pub reported_by: Option<DiscordId>,
    pub created_at: DateTime<Utc>,
}

/// Why the manager is pinged in a reply to a task's notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PingCause {
    /// A further escalation of the task.
    RoundFailed,
    NobodyFits,
    Reported,
    AcceptedUnassigned,
    /// The notice was posted during quiet hours without its role ping; this is the ping.
    QuietHours,
}

impl From<EscalationCause> for PingCause {
    fn from(cause: EscalationCause) -> PingCause {
        match cause {
            EscalationCause::RoundFailed => PingCause::RoundFailed,
            EscalationCause::NobodyFits => PingCause::NobodyFits,
            EscalationCause::Reported => PingCause::Reported,
            EscalationCause::AcceptedUnassigned => PingCause::AcceptedUnassigned,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_keep_the_keys_stored_before_they_had_types() {
        for cause in EscalationCause::ALL {
            assert_eq!(cause.key().parse::<EscalationCause>().unwrap(), *cause);
            // Outbox rows store the ping's cause as this key.
            assert_eq!(
                serde_json::to_string(&PingCause::from(*cause)).unwrap(),
                format!("\"{}\"", cause.key())
            );
        }
        assert_eq!(
            serde_json::from_str::<PingCause>("\"quiet-hours\"").unwrap(),
            PingCause::QuietHours
        );
    }
}
