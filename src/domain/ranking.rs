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
    /// Everyone else in pool order, with where their reasons stand in `reasons`: one list for
    /// all, since a pool of thousands would otherwise allocate a list per VPA left out.
    excluded: Vec<(DiscordId, u32, u32)>,
    reasons: Vec<Exclusion>,
}

impl Ranking {
    /// Everyone who does not fit, with every reason, in pool order.
    pub fn excluded(&self) -> impl ExactSizeIterator<Item = (DiscordId, &[Exclusion])> + '_ {
        self.excluded
            .iter()
            .map(|&(vpa, from, to)| (vpa, &self.reasons[from as usize..to as usize]))
    }
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
    let pool = pool.into_iter();
    let mut ranking = Ranking {
        fitting: Vec::with_capacity(pool.size_hint().0),
        excluded: Vec::with_capacity(pool.size_hint().0),
        reasons: Vec::with_capacity(pool.size_hint().0),
    };
    for vpa in pool {
        let from = ranking.reasons.len() as u32;
        match offer.check_into(vpa, &mut ranking.reasons) {
            Some(fit) => ranking.fitting.push(RankedVpa {
                discord_id: vpa.discord_id,
                level: fit.level,
                utilization: fit.utilization,
            }),
            None => {
                let to = ranking.reasons.len() as u32;
                ranking.excluded.push((vpa.discord_id, from, to));
            }
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
        let excluded: Vec<_> = ranking.excluded().collect();
        assert_eq!(excluded.len(), 1);
        assert_eq!(excluded[0].0, DiscordId(9));
    }
}
