//! When a VPA drops out (an absence or a deactivation): which of their assignments are handed
//! on, and how — a one-off whose remaining work falls into the gap for good, a recurring one
//! covered for the weeks of the absence and back to its holder afterwards. A VT-Stop is no
//! drop-out: it stops new placements only.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Duration, NaiveDate};

use super::ids::{AssignmentId, TaskId};
use super::survey::keyed;

/// Why a VPA drops out. Stored neutral; the absence's reason is never asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropCause {
    Absent,
    Deactivated,
}

keyed!(DropCause {
    Absent => "absent",
    Deactivated => "deactivated",
});

/// The days a VPA is gone: from `from` (inclusive) to `until` (inclusive; none: open-ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub cause: DropCause,
}

impl Gap {
    /// An absence as saved on a profile, seen on `today` (an absence without a start has
    /// begun already). None when it is over or there is none.
    pub fn absence(
        from: Option<NaiveDate>,
        until: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Option<Gap> {
        if from.is_none() && until.is_none() {
            return None;
        }
        let from = from.unwrap_or(today).max(today);
        if until.is_some_and(|u| u < from) {
            return None;
        }
        Some(Gap {
            from,
            until,
            cause: DropCause::Absent,
        })
    }

    /// A deactivation on `today`: gone for good.
    pub fn deactivation(today: NaiveDate) -> Gap {
        Gap {
            from: today,
            until: None,
            cause: DropCause::Deactivated,
        }
    }

    fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && self.until.is_none_or(|u| day <= u)
    }
}

/// An assignment the VPA holds now, as the rule needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Held {
    pub assignment: AssignmentId,
    pub task_id: TaskId,
    pub hours: f64,
    pub recurring: bool,
    /// One-off: the deadline; recurring: when the work started.
    pub deadline: NaiveDate,
    /// A cover ends on this day (none: the VPA holds it for good).
    pub until: Option<NaiveDate>,
}

/// What happens to one assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandOn {
    /// The holder gives it up: a one-off whose remaining work falls into the gap, a cover the
    /// holder took, or anything of a deactivated VPA.
    ForGood,
    /// A recurring assignment, covered from the Monday of the gap's first week to the Sunday
    /// of its last (none: until the holder is back); the holder takes it back the Monday after.
    Cover {
        from: NaiveDate,
        until: Option<NaiveDate>,
    },
}

impl HandOn {
    /// The Monday the holder takes a cover back (none: for good, or not known yet).
    pub fn returns_on(&self) -> Option<NaiveDate> {
        match self {
            HandOn::ForGood => None,
            HandOn::Cover { until, .. } => until.map(|u| u + Duration::days(1)),
        }
    }
}

/// An assignment that the gap hands on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Affected {
    pub held: Held,
    pub hand_on: HandOn,
}

/// The Monday of the week of `day`.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(day.weekday().num_days_from_monday() as i64)
}

/// The Sunday of the week of `day`.
pub fn sunday_of(day: NaiveDate) -> NaiveDate {
    monday_of(day) + Duration::days(6)
}

/// Which of `held` the gap hands on, in the order given. A one-off is handed on when its
/// deadline lies inside the gap (what is left of it cannot be done before); one due before the
/// gap starts or after it ends stays. A recurring assignment is covered for the gap's weeks
/// (a cover held by someone else: what is left of it), and handed on for good on a
/// deactivation.
pub fn affected(held: &[Held], gap: &Gap) -> Vec<Affected> {
    held.iter()
        .filter_map(|h| {
            let hand_on = if !h.recurring {
                gap.contains(h.deadline).then_some(HandOn::ForGood)?
            } else if gap.cause == DropCause::Deactivated {
                HandOn::ForGood
            } else {
                // A cover that ends before the gap starts is not touched.
                if h.until.is_some_and(|u| u < gap.from) {
                    return None;
                }
                if h.until.is_some() {
                    // Someone covering a cover: the next one takes what is left of it.
                    HandOn::Cover {
                        from: monday_of(gap.from),
                        until: h.until,
                    }
                } else {
                    HandOn::Cover {
                        from: monday_of(gap.from),
                        until: gap.until.map(sunday_of),
                    }
                }
            };
            Some(Affected { held: *h, hand_on })
        })
        .collect()
}

/// A cover's new end when its holder is back early (or gives the open-ended absence an end):
/// the holder takes it back on the Monday after the week of `back_on`'s day before.
pub fn cover_end_when_back(last_absent_day: NaiveDate) -> NaiveDate {
    sunday_of(last_absent_day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn one_off(id: i64, deadline: &str) -> Held {
        Held {
            assignment: AssignmentId(id),
            task_id: TaskId(id),
            hours: 5.0,
            recurring: false,
            deadline: d(deadline),
            until: None,
        }
    }

    fn recurring(id: i64) -> Held {
        Held {
            recurring: true,
            ..one_off(id, "2026-11-02")
        }
    }

    fn absence(from: &str, until: Option<&str>) -> Gap {
        Gap {
            from: d(from),
            until: until.map(d),
            cause: DropCause::Absent,
        }
    }

    #[test]
    fn a_one_off_is_handed_on_when_its_deadline_falls_into_the_gap() {
        let held = [
            one_off(1, "2026-12-03"), // before the gap: done before
            one_off(2, "2026-12-08"), // inside
            one_off(3, "2026-12-20"), // after: the VPA is back in time
        ];
        let gap = absence("2026-12-07", Some("2026-12-11"));
        let tasks: Vec<i64> = affected(&held, &gap)
            .iter()
            .map(|a| a.held.task_id.0)
            .collect();
        assert_eq!(tasks, vec![2]);
        // Open-ended: every deadline from the start on.
        let open = absence("2026-12-07", None);
        let tasks: Vec<i64> = affected(&held, &open)
            .iter()
            .map(|a| a.held.task_id.0)
            .collect();
        assert_eq!(tasks, vec![2, 3]);
    }

    #[test]
    fn a_recurring_assignment_is_covered_for_the_weeks_of_the_gap() {
        // Wednesday 9 to Tuesday 22 December: the weeks of 7 and 14 and 21 December.
        let gap = absence("2026-12-09", Some("2026-12-22"));
        let got = affected(&[recurring(1)], &gap);
        assert_eq!(
            got[0].hand_on,
            HandOn::Cover {
                from: d("2026-12-07"),
                until: Some(d("2026-12-27")),
            }
        );
        assert_eq!(got[0].hand_on.returns_on(), Some(d("2026-12-28")));
    }

    #[test]
    fn a_deactivation_ends_everything() {
        let held = [recurring(1), one_off(2, "2027-03-01")];
        let got = affected(&held, &Gap::deactivation(d("2026-12-02")));
        assert!(got.iter().all(|a| a.hand_on == HandOn::ForGood));
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn an_absence_seen_today() {
        let today = d("2026-12-02");
        assert_eq!(Gap::absence(None, None, today), None);
        assert_eq!(Gap::absence(None, Some(d("2026-12-01")), today), None);
        let began = Gap::absence(Some(d("2026-11-20")), Some(d("2026-12-04")), today).unwrap();
        assert_eq!(began.from, today);
        assert_eq!(began.until, Some(d("2026-12-04")));
    }

    #[test]
    fn weeks() {
        assert_eq!(monday_of(d("2026-12-06")), d("2026-11-30"));
        assert_eq!(sunday_of(d("2026-11-30")), d("2026-12-06"));
        assert_eq!(cover_end_when_back(d("2026-12-02")), d("2026-12-06"));
    }
}
