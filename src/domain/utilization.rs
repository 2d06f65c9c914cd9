//! Utilization (Auslastung): hours committed in an ISO week ÷ the VPA's weekly hours.
//!
//! A one-off assignment's hours are spread evenly over the Monday–Friday days from the day it
//! was assigned to its deadline, both included (all on the assignment day if there are none).
//! A recurring assignment adds its weekly hours to every week from its start until it ends.

use chrono::{Duration, NaiveDate};

use super::dates::{day_number, week_start, workdays_before};

/// How an assignment takes up a VPA's hours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Commitment {
    /// `hours` in total, between `assigned_on` and `deadline`.
    OneOff {
        hours: f64,
        assigned_on: NaiveDate,
        deadline: NaiveDate,
    },
    /// `hours_per_week` every week from `from` until `until` (inclusive; none: ongoing).
    Recurring {
        hours_per_week: f64,
        from: NaiveDate,
        until: Option<NaiveDate>,
    },
}

impl Commitment {
    /// The hours this commitment puts into the ISO week that contains `day`.
    pub fn hours_in_week_of(&self, day: NaiveDate) -> f64 {
        self.hours_in_week(monday_number(day))
    }

    /// The hours in the week starting on the Monday with day number `monday`.
    ///
    /// Works on plain day numbers rather than `NaiveDate`: ranking a pool calls this for every
    /// commitment of every VPA, and calendar arithmetic was most of that time.
    pub(crate) fn hours_in_week(&self, monday: i64) -> f64 {
        let sunday = monday + 6;
        match *self {
            Commitment::OneOff {
                hours,
                assigned_on,
                deadline,
            } => {
                let assigned_on = day_number(assigned_on);
                let deadline = day_number(deadline);
                let days = workdays_in(assigned_on, deadline);
                if days == 0 {
                    return if (monday..=sunday).contains(&assigned_on) {
                        hours
                    } else {
                        0.0
                    };
                }
                let from = assigned_on.max(monday);
                let to = deadline.min(sunday);
                hours * workdays_in(from, to) as f64 / days as f64
            }
            Commitment::Recurring {
                hours_per_week,
                from,
                until,
            } => {
                let started = monday_number(from) <= monday;
                let not_ended = until.is_none_or(|u| day_number(u) >= monday);
                if started && not_ended {
                    hours_per_week
                } else {
                    0.0
                }
            }
        }
    }

    /// The last week this commitment touches (none: it goes on).
    pub fn last_day(&self) -> Option<NaiveDate> {
        match *self {
            Commitment::OneOff {
                assigned_on,
                deadline,
                ..
            } => Some(deadline.max(assigned_on)),
            Commitment::Recurring { until, .. } => until,
        }
    }
}

/// Hours all `commitments` put into the week of `day`.
pub fn load_in_week_of(commitments: &[Commitment], day: NaiveDate) -> f64 {
    load_in_week(commitments, monday_number(day))
}

/// Hours all `commitments` put into the week starting on the Monday with day number `monday`.
pub(crate) fn load_in_week(commitments: &[Commitment], monday: i64) -> f64 {
    commitments.iter().map(|c| c.hours_in_week(monday)).sum()
}

/// The day number (see [`day_number`]) of the Monday of the week that contains `day`.
pub(crate) fn monday_number(day: NaiveDate) -> i64 {
    let n = day_number(day);
    n - n.rem_euclid(7)
}

/// Monday–Friday days between two day numbers, both included (0 when `to` is before `from`).
fn workdays_in(from: i64, to: i64) -> i64 {
    if to < from {
        0
    } else {
        workdays_before(to + 1) - workdays_before(from)
    }
}

/// Utilization in the week of `day` as a share (0.5 = 50 %); none when weekly hours are 0.
pub fn utilization(commitments: &[Commitment], weekly_hours: f64, day: NaiveDate) -> Option<f64> {
    (weekly_hours > 0.0).then(|| load_in_week_of(commitments, day) / weekly_hours)
}

/// Mondays of every week from the week of `from` to the week of `to`.
pub fn weeks_between(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let first = week_start(from);
    let last = week_start(to.max(from));
    std::iter::successors(Some(first), |w| Some(*w + Duration::days(7)))
        .take_while(move |w| *w <= last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn one_off_hours_spread_over_workdays_to_the_deadline() {
        // Mon 2026-11-23 to Fri 2026-12-04: 10 workdays, 10 h → 5 h in each week.
        let c = Commitment::OneOff {
            hours: 10.0,
            assigned_on: d("2026-11-23"),
            deadline: d("2026-12-04"),
        };
        assert!((c.hours_in_week_of(d("2026-11-25")) - 5.0).abs() < 1e-9);
        assert!((c.hours_in_week_of(d("2026-12-06")) - 5.0).abs() < 1e-9);
        assert_eq!(c.hours_in_week_of(d("2026-12-07")), 0.0);
        assert_eq!(c.hours_in_week_of(d("2026-11-22")), 0.0);
    }

    #[test]
    fn one_off_without_workdays_lands_on_the_assignment_day() {
        let c = Commitment::OneOff {
            hours: 4.0,
            assigned_on: d("2026-11-28"),
            deadline: d("2026-11-29"),
        };
        assert_eq!(c.hours_in_week_of(d("2026-11-23")), 4.0);
        assert_eq!(c.hours_in_week_of(d("2026-11-30")), 0.0);
    }

    #[test]
    fn recurring_hours_count_every_week_until_ended() {
        let c = Commitment::Recurring {
            hours_per_week: 6.0,
            from: d("2026-11-26"),
            until: Some(d("2026-12-08")),
        };
        assert_eq!(c.hours_in_week_of(d("2026-11-16")), 0.0);
        assert_eq!(c.hours_in_week_of(d("2026-11-23")), 6.0); // started Thursday: that week counts
        assert_eq!(c.hours_in_week_of(d("2026-12-07")), 6.0);
        assert_eq!(c.hours_in_week_of(d("2026-12-14")), 0.0);
    }

    #[test]
    fn utilization_is_load_over_weekly_hours() {
        let commitments = [
            Commitment::Recurring {
                hours_per_week: 5.0,
                from: d("2026-11-02"),
                until: None,
            },
            Commitment::OneOff {
                hours: 5.0,
                assigned_on: d("2026-11-23"),
                deadline: d("2026-11-27"),
            },
        ];
        assert_eq!(utilization(&commitments, 20.0, d("2026-11-25")), Some(0.5));
        assert_eq!(utilization(&commitments, 0.0, d("2026-11-25")), None);
    }

    #[test]
    fn day_numbers_give_the_same_hours_as_calendar_dates() {
        use crate::domain::dates::workdays_between;
        // The rule written with calendar dates, as it reads in the module docs.
        let by_dates = |c: &Commitment, day: NaiveDate| -> f64 {
            let monday = week_start(day);
            let sunday = monday + Duration::days(6);
            match *c {
                Commitment::OneOff {
                    hours,
                    assigned_on,
                    deadline,
                } => {
                    let days = workdays_between(assigned_on, deadline);
                    if days == 0 {
                        return if (monday..=sunday).contains(&assigned_on) {
                            hours
                        } else {
                            0.0
                        };
                    }
                    let from = assigned_on.max(monday);
                    let to = deadline.min(sunday);
                    hours * workdays_between(from, to) as f64 / days as f64
                }
                Commitment::Recurring {
                    hours_per_week,
                    from,
                    until,
                } => {
                    if week_start(from) <= monday && until.is_none_or(|u| u >= monday) {
                        hours_per_week
                    } else {
                        0.0
                    }
                }
            }
        };
        let base = d("2026-11-20");
        for start in 0..10 {
            for len in -2..25 {
                let a = base + Duration::days(start);
                let b = a + Duration::days(len);
                let commitments = [
                    Commitment::OneOff {
                        hours: 7.0,
                        assigned_on: a,
                        deadline: b,
                    },
                    Commitment::Recurring {
                        hours_per_week: 3.0,
                        from: a,
                        until: Some(b),
                    },
                ];
                for c in commitments {
                    for offset in -8..30 {
                        let day = base + Duration::days(offset);
                        assert_eq!(c.hours_in_week_of(day), by_dates(&c, day), "{c:?} {day}");
                    }
                }
            }
        }
    }

    #[test]
    fn weeks_between_lists_mondays() {
        let weeks: Vec<_> = weeks_between(d("2026-11-28"), d("2026-12-08")).collect();
        assert_eq!(
            weeks,
            vec![d("2026-11-23"), d("2026-11-30"), d("2026-12-07")]
        );
    }
}
