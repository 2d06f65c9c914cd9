//! Who fits a task, and — for everyone who does not — every reason why, so a coordinator can see
//! why someone was left out.

use chrono::{Duration, NaiveDate};

use super::competence::Level;
use super::dates::day_number;
use super::task::Offer;
use super::utilization::{load_in_week, monday_number};
use super::vpa::Vpa;

/// How far ahead room is checked. Plans further out change anyway; this bounds the work per VPA.
pub const ROOM_HORIZON_WEEKS: usize = 26;

/// Tolerance for sums of quarter hours in floating point.
const EPSILON: f64 = 1e-9;

/// A VPA who fits, with what ranking needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub level: Level,
    /// Utilization this week before the task (0.5 = 50 %).
    pub utilization: f64,
}

/// Why a VPA was left out of a survey.
#[derive(Debug, Clone, PartialEq)]
pub enum Exclusion {
    /// Deactivated: left the agency.
    Inactive,
    NoCompetence,
    VtStop {
        until: NaiveDate,
    },
    Absent {
        until: Option<NaiveDate>,
    },
    DoesNotWantTasks,
    DoesNotWantNewClients,
    NoWeeklyHours,
    /// In the week starting `week`, `load` hours plus the task's `share` exceed `weekly_hours`.
    NoRoom {
        week: NaiveDate,
        load: f64,
        share: f64,
        weekly_hours: f64,
    },
}

/// The kind of a reason, for grouping who was left out (the details — until when, which week —
/// stay with each VPA's reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExclusionKind {
    VtStop,
    Absent,
    NoRoom,
    DoesNotWantNewClients,
    DoesNotWantTasks,
    NoWeeklyHours,
    Inactive,
    NoCompetence,
}

impl Exclusion {
    pub fn kind(&self) -> ExclusionKind {
        match self {
            Exclusion::Inactive => ExclusionKind::Inactive,
            Exclusion::NoCompetence => ExclusionKind::NoCompetence,
            Exclusion::VtStop { .. } => ExclusionKind::VtStop,
            Exclusion::Absent { .. } => ExclusionKind::Absent,
            Exclusion::DoesNotWantTasks => ExclusionKind::DoesNotWantTasks,
            Exclusion::DoesNotWantNewClients => ExclusionKind::DoesNotWantNewClients,
            Exclusion::NoWeeklyHours => ExclusionKind::NoWeeklyHours,
            Exclusion::NoRoom { .. } => ExclusionKind::NoRoom,
        }
    }
}

/// Checks one VPA against one offer on `today`: a fit, or every reason it does not fit.
pub fn check(vpa: &Vpa, offer: &Offer, today: NaiveDate) -> Result<Fit, Vec<Exclusion>> {
    PreparedOffer::new(offer, today).check(vpa)
}

/// An offer made ready for checking many VPAs on one day: whatever does not depend on the VPA
/// is worked out once, so ranking a pool of thousands pays for it once.
pub(crate) struct PreparedOffer<'a> {
    offer: &'a Offer,
    today: NaiveDate,
    /// Day number of the Monday of today's week (see [`day_number`](super::dates::day_number)).
    this_week: i64,
    /// The Monday of the task's last week; none for recurring work (it goes on).
    last_week: Option<i64>,
    /// The task's hours in each week of the horizon, from this week on (as if assigned today).
    shares: [f64; ROOM_HORIZON_WEEKS],
}

impl<'a> PreparedOffer<'a> {
    pub(crate) fn new(offer: &'a Offer, today: NaiveDate) -> PreparedOffer<'a> {
        let task = offer.as_commitment(today);
        let this_week = monday_number(today);
        let mut shares = [0.0; ROOM_HORIZON_WEEKS];
        for (n, share) in shares.iter_mut().enumerate() {
            *share = task.hours_in_week(this_week + 7 * n as i64);
        }
        PreparedOffer {
            offer,
            today,
            this_week,
            last_week: task.last_day().map(|day| monday_number(day.max(today))),
            shares,
        }
    }

    /// Checks one VPA: a fit, or every reason it does not fit.
    pub(crate) fn check(&self, vpa: &Vpa) -> Result<Fit, Vec<Exclusion>> {
        let mut reasons = Vec::new();
        self.check_into(vpa, &mut reasons).ok_or(reasons)
    }

    /// Checks one VPA: a fit, or none with every reason it does not fit added to `reasons`
    /// (nothing added for a fit).
    pub(crate) fn check_into(&self, vpa: &Vpa, reasons: &mut Vec<Exclusion>) -> Option<Fit> {
        let (offer, today) = (self.offer, self.today);
        let before = reasons.len();
        if !vpa.active {
            reasons.push(Exclusion::Inactive);
        }
        let level = vpa.level_in(offer.competence);
        if level.is_none() {
            reasons.push(Exclusion::NoCompetence);
        }
        if let Some(until) = vpa.vt_stop_until.filter(|_| vpa.vt_stop_active(today)) {
            reasons.push(Exclusion::VtStop { until });
        }
        if vpa.absent_on(today) {
            reasons.push(Exclusion::Absent {
                until: vpa.absent_until,
            });
        }
        if !vpa.wants_tasks {
            reasons.push(Exclusion::DoesNotWantTasks);
        }
        if offer.is_new_client_for(vpa) && !vpa.wants_new_clients {
            reasons.push(Exclusion::DoesNotWantNewClients);
        }
        // This week's load serves both the room check and the utilization of a fit.
        let mut this_week_load = 0.0;
        if vpa.weekly_hours <= 0.0 {
            reasons.push(Exclusion::NoWeeklyHours);
        } else {
            this_week_load = load_in_week(&vpa.commitments, self.this_week);
            if let Some(no_room) = self.lacks_room(vpa, this_week_load) {
                reasons.push(no_room);
            }
        }
        match level {
            Some(level) if reasons.len() == before => Some(Fit {
                level,
                // Weekly hours are above 0 here, or `NoWeeklyHours` would have excluded the VPA.
                utilization: this_week_load / vpa.weekly_hours,
            }),
            _ => None,
        }
    }

    /// Room: in every week the task touches, the load there plus the task's share stays within
    /// the VPA's weekly hours (as if assigned today).
    fn lacks_room(&self, vpa: &Vpa, this_week_load: f64) -> Option<Exclusion> {
        let last_week = self.last_week.unwrap_or_else(|| {
            // Recurring work goes on: check as far as any existing commitment reaches.
            let last = vpa
                .commitments
                .iter()
                .map(|c| c.last_day().unwrap_or(self.today))
                .max()
                .unwrap_or(self.today)
                .max(self.today);
            monday_number(last)
        });
        let weeks = (0..).map(|n| (n, self.this_week + 7 * n as i64));
        for (n, week) in weeks
            .take_while(|(_, week)| *week <= last_week)
            .take(ROOM_HORIZON_WEEKS)
        {
            let share = self.shares[n];
            let load = if n == 0 {
                this_week_load
            } else {
                load_in_week(&vpa.commitments, week)
            };
            if load + share > vpa.weekly_hours + EPSILON {
                return Some(Exclusion::NoRoom {
                    week: self.today + Duration::days(week - day_number(self.today)),
                    load,
                    share,
                    weekly_hours: vpa.weekly_hours,
                });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::competence::CompetenceId;
    use crate::domain::ids::DiscordId;
    use crate::domain::utilization::Commitment;
    use crate::domain::vpa::HeldCompetence;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const TODAY: &str = "2026-11-30"; // a Monday
    const RESEARCH: CompetenceId = CompetenceId(0);

    fn ready_vpa() -> Vpa {
        let mut vpa = Vpa::new(DiscordId(7), "Anna");
        vpa.weekly_hours = 20.0;
        vpa.wants_tasks = true;
        vpa.wants_new_clients = true;
        vpa.competences = vec![HeldCompetence {
            competence: RESEARCH,
            level: Level::Good,
        }];
        vpa
    }

    fn offer() -> Offer {
        Offer {
            competence: RESEARCH,
            hours: 10.0,
            recurring: false,
            deadline: d("2026-12-04"),
            client_id: Some(crate::domain::ids::ClientId(1)),
            new_client: false,
        }
    }

    fn reasons(vpa: &Vpa) -> Vec<Exclusion> {
        check(vpa, &offer(), d(TODAY)).err().unwrap_or_default()
    }

    #[test]
    fn a_ready_vpa_fits_at_their_level() {
        let fit = check(&ready_vpa(), &offer(), d(TODAY)).unwrap();
        assert_eq!(fit.level, Level::Good);
        assert_eq!(fit.utilization, 0.0);
    }

    #[test]
    fn each_exclusion_reason_on_its_own() {
        type Change = Box<dyn Fn(&mut Vpa)>;
        let cases: Vec<(Change, Exclusion)> = vec![
            (Box::new(|v| v.active = false), Exclusion::Inactive),
            (Box::new(|v| v.competences.clear()), Exclusion::NoCompetence),
            (
                Box::new(|v| v.vt_stop_until = Some(d(TODAY))),
                Exclusion::VtStop { until: d(TODAY) },
            ),
            (
                Box::new(|v| v.absent_until = Some(d("2026-12-02"))),
                Exclusion::Absent {
                    until: Some(d("2026-12-02")),
                },
            ),
            (
                Box::new(|v| v.wants_tasks = false),
                Exclusion::DoesNotWantTasks,
            ),
            (
                Box::new(|v| v.wants_new_clients = false),
                Exclusion::DoesNotWantNewClients,
            ),
            (Box::new(|v| v.weekly_hours = 0.0), Exclusion::NoWeeklyHours),
        ];
        for (change, expected) in cases {
            let mut vpa = ready_vpa();
            change(&mut vpa);
            assert_eq!(reasons(&vpa), vec![expected]);
        }
    }

    #[test]
    fn vt_stop_and_absence_over_the_day_after_their_end() {
        let mut vpa = ready_vpa();
        vpa.vt_stop_until = Some(d("2026-11-29"));
        vpa.absent_until = Some(d("2026-11-29"));
        assert!(check(&vpa, &offer(), d(TODAY)).is_ok());
    }

    #[test]
    fn no_room_when_the_week_is_full() {
        let mut vpa = ready_vpa();
        vpa.weekly_hours = 12.0;
        vpa.commitments.push(Commitment::Recurring {
            hours_per_week: 5.0,
            from: d("2026-11-02"),
            until: None,
        });
        // 5 h recurring + 10 h task this week > 12 h.
        match reasons(&vpa).as_slice() {
            [Exclusion::NoRoom { load, share, .. }] => {
                assert_eq!(*load, 5.0);
                assert_eq!(*share, 10.0);
            }
            other => panic!("{other:?}"),
        }
        vpa.weekly_hours = 15.0; // exactly full is still room
        assert!(check(&vpa, &offer(), d(TODAY)).is_ok());
    }

    #[test]
    fn a_known_client_needs_no_wish_for_new_clients() {
        let mut vpa = ready_vpa();
        vpa.wants_new_clients = false;
        vpa.clients_served.insert(crate::domain::ids::ClientId(1));
        assert!(check(&vpa, &offer(), d(TODAY)).is_ok());
    }

    #[test]
    fn several_reasons_are_all_listed() {
        let mut vpa = ready_vpa();
        vpa.wants_tasks = false;
        vpa.competences.clear();
        assert_eq!(
            reasons(&vpa),
            vec![Exclusion::NoCompetence, Exclusion::DoesNotWantTasks]
        );
    }

    #[test]
    fn recurring_share_counts_every_week() {
        let mut vpa = ready_vpa();
        vpa.weekly_hours = 10.0;
        vpa.commitments.push(Commitment::OneOff {
            hours: 10.0,
            assigned_on: d("2026-12-07"),
            deadline: d("2026-12-11"),
        });
        let recurring = Offer {
            recurring: true,
            hours: 4.0,
            ..offer()
        };
        // Free this week, but the week of 7 December is full: 10 + 4 > 10.
        assert!(matches!(
            check(&vpa, &recurring, d(TODAY)).unwrap_err().as_slice(),
            [Exclusion::NoRoom { .. }]
        ));
    }
}
