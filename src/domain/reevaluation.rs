//! What an edit of a task means for the people around it: whose answer it outdated and why,
//! who fits now who did not before, whether the VPAs holding the task still fit, and whether the
//! new hours put one of them over their weekly hours.
//!
//! "Fits" is measured before and after on the same day, so only what the edit changed makes a
//! difference: someone who went on VT-Stop since answering is not told the edit is to blame.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::dates::day_number;
use super::eligibility::{Exclusion, ROOM_HORIZON_WEEKS, check};
use super::ids::DiscordId;
use super::ranking::{RankedVpa, rank};
use super::survey::Answer;
use super::task::Offer;
use super::utilization::{Commitment, load_in_week, monday_number};
use super::vpa::Vpa;

/// Tolerance for sums of quarter hours in floating point.
const EPSILON: f64 = 1e-9;

/// Why the task as edited no longer fits a VPA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum Mismatch {
    /// The task now asks for a competence the VPA does not hold.
    NoCompetence,
    /// The task is now a new client for the VPA, who wants no new clients.
    NewClient,
    /// In the week starting `week`, `load` hours plus the task's `share` exceed their hours.
    NoRoom {
        week: NaiveDate,
        load: f64,
        share: f64,
        weekly_hours: f64,
    },
    /// The deadline now lies before the day they said they could start ("später ab").
    StartsTooLate {
        from: NaiveDate,
        deadline: NaiveDate,
    },
}

impl Mismatch {
    /// The reasons an edit can cause (the others — VT-Stop, absence, … — do not depend on the
    /// task).
    fn of(exclusion: &Exclusion) -> Option<Mismatch> {
        match *exclusion {
            Exclusion::NoCompetence => Some(Mismatch::NoCompetence),
            Exclusion::DoesNotWantNewClients => Some(Mismatch::NewClient),
            Exclusion::NoRoom {
                week,
                load,
                share,
                weekly_hours,
            } => Some(Mismatch::NoRoom {
                week,
                load,
                share,
                weekly_hours,
            }),
            _ => None,
        }
    }
}

/// A VPA holding the task whom the edited hours put over their weekly hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverHours {
    pub vpa: DiscordId,
    /// The Monday of the first week over.
    pub week: NaiveDate,
    /// Hours in that week with the edit.
    pub load: f64,
    pub weekly_hours: f64,
}

/// What an edit changes for whom.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reevaluation {
    /// Accepted or said "later", fitted before and no longer: with why.
    pub outdated: Vec<(DiscordId, Vec<Mismatch>)>,
    /// Accepted or said "later" and fit the task as it is now.
    pub still_fitting: Vec<DiscordId>,
    /// Did not fit before, fit now, never asked: best first.
    pub newly_fitting: Vec<RankedVpa>,
    /// Holding the task, and the edit took away what made them fit (the coordinator decides).
    pub holders_unfit: Vec<(DiscordId, Vec<Mismatch>)>,
    /// Holding the task, and the edit puts them over their weekly hours.
    pub over_hours: Vec<OverHours>,
}

/// Everything [`reevaluate`] weighs.
pub struct Around<'a> {
    /// Profiles of the holders of the new competence, of those who answered and of those
    /// holding the task — without the task's own commitments.
    pub people: &'a [Vpa],
    /// The latest answer of each VPA who answered the task's surveys.
    pub answers: &'a [(DiscordId, Answer)],
    /// Everyone any round of the task mentioned.
    pub invited: &'a HashSet<DiscordId>,
    /// The VPAs holding the task, each with the commitment it is for them now.
    pub holding: &'a [(DiscordId, Commitment)],
}

/// Weighs the edit from `before` to `after` on `today`.
pub fn reevaluate(
    before: &Offer,
    after: &Offer,
    around: &Around,
    today: NaiveDate,
) -> Reevaluation {
    let verdict = |offer: &Offer, vpa: &Vpa, answer: Option<&Answer>| {
        let mut v = Verdict::default();
        if let Err(reasons) = check(vpa, offer, today) {
            for reason in &reasons {
                match Mismatch::of(reason) {
                    Some(m) => v.caused.push(m),
                    None => v.other = true,
                }
            }
        }
        if let Some(Answer::Later { from: Some(from) }) = answer
            && *from > offer.deadline
        {
            v.caused.push(Mismatch::StartsTooLate {
                from: *from,
                deadline: offer.deadline,
            });
        }
        v
    };
    let by_id: HashMap<DiscordId, &Vpa> = around.people.iter().map(|p| (p.discord_id, p)).collect();
    let holding: HashSet<DiscordId> = around.holding.iter().map(|(v, _)| *v).collect();
    let mut out = Reevaluation::default();
    for (vpa_id, answer) in around.answers {
        if holding.contains(vpa_id) || matches!(answer, Answer::Decline { .. }) {
            continue;
        }
        let Some(vpa) = by_id.get(vpa_id).copied() else {
            continue;
        };
        let was = verdict(before, vpa, Some(answer));
        let is = verdict(after, vpa, Some(answer));
        if is.fits() {
            out.still_fitting.push(*vpa_id);
        } else if was.fits() && !is.caused.is_empty() {
            out.outdated.push((*vpa_id, is.caused));
        }
    }
    let ranked = rank(around.people, after, today);
    let answered: HashSet<DiscordId> = around.answers.iter().map(|(v, _)| *v).collect();
    out.newly_fitting = ranked
        .fitting
        .into_iter()
        .filter(|r| {
            !around.invited.contains(&r.discord_id)
                && !answered.contains(&r.discord_id)
                && !holding.contains(&r.discord_id)
        })
        .filter(|r| {
            by_id
                .get(&r.discord_id)
                .is_some_and(|p| check(p, before, today).is_err())
        })
        .collect();
    for (vpa_id, now_held) in around.holding {
        let Some(vpa) = by_id.get(vpa_id).copied() else {
            continue;
        };
        // Holding the task, a VPA keeps its client and the hours are checked below: only the
        // competence can make them unfit.
        if before.competence != after.competence && vpa.level_in(after.competence).is_none() {
            out.holders_unfit
                .push((*vpa_id, vec![Mismatch::NoCompetence]));
        }
        let edited = follow(now_held, after);
        if let Some(over) = over_hours(vpa, now_held, &edited, today) {
            out.over_hours.push(over);
        }
    }
    out
}

/// Whether a VPA fits an offer, split into what an edit can cause and the rest.
#[derive(Default)]
struct Verdict {
    caused: Vec<Mismatch>,
    /// Unfit for a reason no edit causes (VT-Stop, absent, …).
    other: bool,
}

impl Verdict {
    fn fits(&self) -> bool {
        self.caused.is_empty() && !self.other
    }
}

/// The commitment an assignment becomes when its task takes the edited hours and deadline.
pub fn follow(held: &Commitment, after: &Offer) -> Commitment {
    match *held {
        Commitment::OneOff { assigned_on, .. } => Commitment::OneOff {
            hours: after.hours,
            assigned_on,
            deadline: after.deadline.max(assigned_on),
        },
        Commitment::Recurring { from, until, .. } => Commitment::Recurring {
            hours_per_week: after.hours,
            from,
            until,
        },
    }
}

/// The first week (from today's, over the room horizon) where `edited` instead of `held` puts
/// the VPA over their weekly hours and above what they had before the edit.
fn over_hours(
    vpa: &Vpa,
    held: &Commitment,
    edited: &Commitment,
    today: NaiveDate,
) -> Option<OverHours> {
    let this_week = monday_number(today);
    let last = [held.last_day(), edited.last_day()]
        .into_iter()
        .map(|d| d.unwrap_or(today + Duration::weeks(ROOM_HORIZON_WEEKS as i64)))
        .max()
        .unwrap_or(today)
        .max(today);
    let last_week = monday_number(last);
    (0..ROOM_HORIZON_WEEKS as i64)
        .map(|n| this_week + 7 * n)
        .take_while(|week| *week <= last_week)
        .find_map(|week| {
            let others = load_in_week(&vpa.commitments, week);
            let was = others + held.hours_in_week(week);
            let is = others + edited.hours_in_week(week);
            (is > vpa.weekly_hours + EPSILON && is > was + EPSILON).then(|| OverHours {
                vpa: vpa.discord_id,
                week: today + Duration::days(week - day_number(today)),
                load: is,
                weekly_hours: vpa.weekly_hours,
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::competence::{CompetenceId, Level};
    use crate::domain::ids::ClientId;
    use crate::domain::vpa::HeldCompetence;

    const RESEARCH: CompetenceId = CompetenceId(0);
    const NEWSLETTER: CompetenceId = CompetenceId(1);

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn today() -> NaiveDate {
        d("2026-11-30") // a Monday
    }

    fn vpa(id: u64, weekly_hours: f64, competences: &[CompetenceId]) -> Vpa {
        let mut v = Vpa::new(DiscordId(id), format!("VPA {id}"));
        v.weekly_hours = weekly_hours;
        v.wants_tasks = true;
        v.wants_new_clients = true;
        v.competences = competences
            .iter()
            .map(|c| HeldCompetence {
                competence: *c,
                level: Level::Good,
            })
            .collect();
        v
    }

    fn offer(hours: f64, deadline: &str) -> Offer {
        Offer {
            competence: RESEARCH,
            hours,
            recurring: false,
            deadline: d(deadline),
            client_id: Some(ClientId(1)),
            new_client: false,
        }
    }

    fn weigh(
        before: &Offer,
        after: &Offer,
        people: &[Vpa],
        answers: &[(DiscordId, Answer)],
        holding: &[(DiscordId, Commitment)],
    ) -> Reevaluation {
        let invited: HashSet<DiscordId> = answers.iter().map(|(v, _)| *v).collect();
        let around = Around {
            people,
            answers,
            invited: &invited,
            holding,
        };
        reevaluate(before, after, &around, today())
    }

    #[test]
    fn more_hours_outdate_an_accepter_without_room_and_ask_nobody_twice() {
        // 5 h fit both; 15 h fit only the one with 20 weekly hours.
        let people = [
            vpa(1, 10.0, &[RESEARCH]),
            vpa(2, 20.0, &[RESEARCH]),
            vpa(3, 20.0, &[RESEARCH]),
        ];
        let answers = [
            (DiscordId(1), Answer::Accept),
            (DiscordId(2), Answer::Accept),
        ];
        let r = weigh(
            &offer(5.0, "2026-12-04"),
            &offer(15.0, "2026-12-04"),
            &people,
            &answers,
            &[],
        );
        assert_eq!(r.outdated.len(), 1);
        assert_eq!(r.outdated[0].0, DiscordId(1));
        assert!(
            matches!(r.outdated[0].1[..], [Mismatch::NoRoom { weekly_hours, .. }] if weekly_hours == 10.0)
        );
        assert_eq!(r.still_fitting, vec![DiscordId(2)]);
        // VPA 3 fitted before too: not newly fitting (waves reach them).
        assert!(r.newly_fitting.is_empty());
    }

    #[test]
    fn fewer_hours_make_someone_fit_who_did_not() {
        let mut busy = vpa(4, 10.0, &[RESEARCH]);
        busy.commitments.push(Commitment::OneOff {
            hours: 8.0,
            assigned_on: today(),
            deadline: d("2026-12-04"),
        });
        let people = [busy, vpa(5, 0.0, &[RESEARCH])];
        let r = weigh(
            &offer(6.0, "2026-12-04"),
            &offer(2.0, "2026-12-04"),
            &people,
            &[],
            &[],
        );
        let ids: Vec<u64> = r.newly_fitting.iter().map(|f| f.discord_id.0).collect();
        assert_eq!(ids, vec![4], "no weekly hours fit at no size");
    }

    #[test]
    fn an_earlier_deadline_outdates_a_later_answer_after_it() {
        let people = [vpa(1, 20.0, &[RESEARCH]), vpa(2, 20.0, &[RESEARCH])];
        let answers = [
            (
                DiscordId(1),
                Answer::Later {
                    from: Some(d("2026-12-08")),
                },
            ),
            (
                DiscordId(2),
                Answer::Later {
                    from: Some(d("2026-12-02")),
                },
            ),
        ];
        let r = weigh(
            &offer(4.0, "2026-12-11"),
            &offer(4.0, "2026-12-04"),
            &people,
            &answers,
            &[],
        );
        assert_eq!(
            r.outdated,
            vec![(
                DiscordId(1),
                vec![Mismatch::StartsTooLate {
                    from: d("2026-12-08"),
                    deadline: d("2026-12-04")
                }]
            )]
        );
        assert_eq!(r.still_fitting, vec![DiscordId(2)]);
    }

    #[test]
    fn another_competence_outdates_accepters_and_holders_without_it_and_offers_its_holders() {
        let people = [
            vpa(1, 20.0, &[RESEARCH]),
            vpa(2, 20.0, &[RESEARCH, NEWSLETTER]),
            vpa(3, 20.0, &[NEWSLETTER]),
            vpa(9, 20.0, &[RESEARCH]),
        ];
        let answers = [
            (DiscordId(1), Answer::Accept),
            (DiscordId(2), Answer::Accept),
        ];
        let held = Commitment::OneOff {
            hours: 4.0,
            assigned_on: today(),
            deadline: d("2026-12-04"),
        };
        let after = Offer {
            competence: NEWSLETTER,
            ..offer(4.0, "2026-12-04")
        };
        let r = weigh(
            &offer(4.0, "2026-12-04"),
            &after,
            &people,
            &answers,
            &[(DiscordId(9), held)],
        );
        assert_eq!(
            r.outdated,
            vec![(DiscordId(1), vec![Mismatch::NoCompetence])]
        );
        let ids: Vec<u64> = r.newly_fitting.iter().map(|f| f.discord_id.0).collect();
        assert_eq!(ids, vec![3]);
        assert_eq!(
            r.holders_unfit,
            vec![(DiscordId(9), vec![Mismatch::NoCompetence])]
        );
        assert!(r.over_hours.is_empty());
    }

    #[test]
    fn unfit_for_another_reason_is_not_blamed_on_the_edit() {
        let mut stopped = vpa(1, 10.0, &[RESEARCH]);
        stopped.vt_stop_until = Some(d("2026-12-31"));
        let answers = [(DiscordId(1), Answer::Accept)];
        let r = weigh(
            &offer(5.0, "2026-12-04"),
            &offer(15.0, "2026-12-04"),
            &[stopped],
            &answers,
            &[],
        );
        assert!(r.outdated.is_empty() && r.still_fitting.is_empty());
    }

    #[test]
    fn marked_as_new_client_outdates_who_wants_none() {
        let mut known = vpa(1, 20.0, &[RESEARCH]);
        known.wants_new_clients = false;
        known.clients_served.insert(ClientId(1));
        let answers = [(DiscordId(1), Answer::Accept)];
        let after = Offer {
            new_client: true,
            ..offer(4.0, "2026-12-04")
        };
        let r = weigh(&offer(4.0, "2026-12-04"), &after, &[known], &answers, &[]);
        assert_eq!(r.outdated, vec![(DiscordId(1), vec![Mismatch::NewClient])]);
    }

    #[test]
    fn more_hours_over_a_holders_week_need_confirming_and_fewer_never() {
        let mut holder = vpa(9, 10.0, &[RESEARCH]);
        holder.commitments.push(Commitment::Recurring {
            hours_per_week: 4.0,
            from: d("2026-11-02"),
            until: None,
        });
        let held = Commitment::OneOff {
            hours: 5.0,
            assigned_on: today(),
            deadline: d("2026-12-04"),
        };
        let holding = [(DiscordId(9), held)];
        let people = [holder];
        let r = weigh(
            &offer(5.0, "2026-12-04"),
            &offer(8.0, "2026-12-04"),
            &people,
            &[],
            &holding,
        );
        assert_eq!(
            r.over_hours,
            vec![OverHours {
                vpa: DiscordId(9),
                week: today(),
                load: 12.0,
                weekly_hours: 10.0
            }]
        );
        let r = weigh(
            &offer(5.0, "2026-12-04"),
            &offer(4.0, "2026-12-04"),
            &people,
            &[],
            &holding,
        );
        assert!(r.over_hours.is_empty());
        // The same hours squeezed into fewer days of one week stay within it.
        let r = weigh(
            &offer(5.0, "2026-12-11"),
            &offer(5.0, "2026-12-04"),
            &people,
            &[],
            &holding,
        );
        assert!(r.over_hours.is_empty(), "{:?}", r.over_hours);
    }
}
