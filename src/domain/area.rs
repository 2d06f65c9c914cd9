//! Work areas (Arbeitsbereiche) and what the source document says about each.

use std::fmt;
use std::str::FromStr;

/// A work area of the competence catalog.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum WorkArea {
    Backoffice,
    Secretarial,
    Marketing,
    Sales,
    Software,
}

/// How urgently unfilled demand in an area goes to the VPA manager (from the source document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Urgency {
    /// Back office and secretarial: report at once and ping the manager.
    Immediate,
    /// Marketing: report at once; a client may wait a few days.
    MayWaitDays,
    /// Specialist areas: report even if we may not be able to cover it.
    MayNotBeCoverable,
}

impl WorkArea {
    /// All areas in the order they are shown.
    pub const ALL: [WorkArea; 5] = [
        WorkArea::Backoffice,
        WorkArea::Secretarial,
        WorkArea::Marketing,
        WorkArea::Sales,
        WorkArea::Software,
    ];

    /// The stable key used in config files, the database and JSON.
    pub fn key(self) -> &'static str {
        match self {
            WorkArea::Backoffice => "backoffice",
            WorkArea::Secretarial => "secretarial",
            WorkArea::Marketing => "marketing",
            WorkArea::Sales => "sales",
            WorkArea::Software => "software",
        }
    }

    /// Back office and secretarial together are "BO", about 90 % of all tasks.
    pub fn is_bo(self) -> bool {
        matches!(self, WorkArea::Backoffice | WorkArea::Secretarial)
    }

    /// Specialist areas: few VPAs, exotic expectations.
    pub fn is_specialist(self) -> bool {
        matches!(self, WorkArea::Sales | WorkArea::Software)
    }

    /// How unfilled demand in this area is escalated.
    pub fn urgency(self) -> Urgency {
        if self.is_bo() {
            Urgency::Immediate
        } else if self.is_specialist() {
            Urgency::MayNotBeCoverable
        } else {
            Urgency::MayWaitDays
        }
    }
}

impl fmt::Display for WorkArea {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for WorkArea {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WorkArea::ALL
            .into_iter()
            .find(|a| a.key() == s)
            .ok_or_else(|| format!("unknown work area {s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_urgency_follows_the_source() {
        for area in WorkArea::ALL {
            assert_eq!(area.key().parse::<WorkArea>().unwrap(), area);
        }
        assert_eq!(WorkArea::Backoffice.urgency(), Urgency::Immediate);
        assert_eq!(WorkArea::Secretarial.urgency(), Urgency::Immediate);
        assert_eq!(WorkArea::Marketing.urgency(), Urgency::MayWaitDays);
        assert_eq!(WorkArea::Sales.urgency(), Urgency::MayNotBeCoverable);
        assert_eq!(WorkArea::Software.urgency(), Urgency::MayNotBeCoverable);
    }
}
