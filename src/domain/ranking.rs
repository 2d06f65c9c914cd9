//! Ranking the VPAs who fit a task so that utilization stays balanced: the least utilized first,
//! then the higher level, then the Discord id (a stable tie-break, so reruns mention the same people).

use std::cmp::Ordering;

use chrono::NaiveDate;

use super::competence::Level;
use super::eligibility::{Exclusion, PreparedOffer};
use super::ids::DiscordId;
use super::task::Offer;
use super::vpa::Vpa;

/// A fitting VPA with their place in the ranking.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankedVpa {
    pub discord_id: DiscordId,
    pub level: Level,
    pub utilization: f64,
}

/// The outcome of ranking a pool for one offer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ranking {
    /// Best first.
    pub fitting: Vec<RankedVpa>,
    /// Everyone else with their reasons, in pool order.
    pub excluded: Vec<(DiscordId, Vec<Exclusion>)>,
}

/// Orders two fitting VPAs: lower utilization, then higher level, then lower id.
pub fn compare(a: &RankedVpa, b: &RankedVpa) -> Ordering {
    a.utilization
        .total_cmp(&b.utilization)
        .then(b.level.cmp(&a.level))
        .then(a.discord_id.cmp(&b.discord_id))
}

/// Ranks the whole pool for `offer` on `today`.
pub fn rank<'a>(
    pool: impl IntoIterator<Item = &'a Vpa>,
    offer: &Offer,
    today: NaiveDate,
) -> Ranking {
    let offer = PreparedOffer::new(offer, today);
    let mut ranking = Ranking::default();
    for vpa in pool {
        match offer.check(vpa) {
            Ok(fit) => ranking.fitting.push(RankedVpa {
                discord_id: vpa.discord_id,
                level: fit.level,
                utilization: fit.utilization,
            }),
            Err(reasons) => ranking.excluded.push((vpa.discord_id, reasons)),
        }
    }
    ranking.fitting.sort_unstable_by(compare);
    ranking
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::competence::CompetenceId;
    use crate::domain::utilization::Commitment;
    use crate::domain::vpa::HeldCompetence;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn vpa(id: u64, level: Level, busy_hours: f64) -> Vpa {
        let mut v = Vpa::new(DiscordId(id), format!("VPA {id}"));
        v.weekly_hours = 20.0;
        v.wants_tasks = true;
        v.wants_new_clients = true;
        v.competences = vec![HeldCompetence {
            competence: CompetenceId(3),
            level,
        }];
        if busy_hours > 0.0 {
            v.commitments.push(Commitment::Recurring {
                hours_per_week: busy_hours,
                from: d("2026-11-02"),
                until: None,
            });
        }
        v
    }

    #[test]
    fn least_utilized_first_then_level_then_id() {
        let pool = vec![
            vpa(5, Level::Expert, 10.0),
            vpa(4, Level::Basic, 0.0),
            vpa(3, Level::Expert, 0.0),
            vpa(2, Level::Basic, 0.0),
            vpa(1, Level::Good, 5.0),
            vpa(9, Level::Expert, 20.0), // full: excluded for lack of room
        ];
        let offer = Offer {
            competence: CompetenceId(3),
            hours: 2.0,
            recurring: false,
            deadline: d("2026-12-04"),
            client_id: None,
            new_client: false,
        };
        let ranking = rank(&pool, &offer, d("2026-11-30"));
        let order: Vec<u64> = ranking.fitting.iter().map(|r| r.discord_id.0).collect();
        assert_eq!(order, vec![3, 2, 4, 1, 5]);
        assert_eq!(ranking.excluded.len(), 1);
        assert_eq!(ranking.excluded[0].0, DiscordId(9));
    }
}
