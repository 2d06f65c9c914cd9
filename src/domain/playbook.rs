//! The fallback playbook ("Was tun, wenn du keinen VPA findest?"): each of the source's options
//! computed from the data, with the concrete people or numbers.

use chrono::NaiveDate;

use super::competence::{Catalog, CompetenceId};
use super::ids::DiscordId;
use super::ranking::rank;
use super::survey::{Answer, DeclineReason};
use super::task::Task;
use super::utilization::utilization;
use super::vpa::Vpa;

/// The settings the playbook needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlaybookRules {
    /// Tasks from this many hours may be split (the source's 20 h).
    pub large_hours: f64,
    /// Parts are at most this many hours (the source's standard 10 h).
    pub standard_hours: f64,
    /// "keine Kapazität" looks illogical below this utilization (0.8 = 80 %).
    pub illogical_below: f64,
    /// Newbies joined within this many days.
    pub newbie_days: u32,
}

/// Someone answered "later, from" a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaterFrom {
    pub vpa: DiscordId,
    pub from: NaiveDate,
}

/// The options for one task.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Playbook {
    /// 1a. VPAs who fit but were not surveyed yet — a survey post mentions at most
    ///     `survey.max_mentions` — in ranking order: an extended survey asks them first.
    pub unasked: Vec<DiscordId>,
    /// 1. VPAs with the competence who don't want new clients or tasks (present, active, not
    ///    surveyed yet): an extended survey mentions only them.
    pub extend: Vec<DiscordId>,
    /// 1b. Declined with "keine Kapazität" although they want tasks and are utilized below the share.
    pub illogical_decliners: Vec<DiscordId>,
    /// 2. "Later, from" answers, earliest first.
    pub later: Vec<LaterFrom>,
    /// 3. Related competences and how many VPAs would fit under each.
    pub related: Vec<(CompetenceId, usize)>,
    /// 4. Newbies without any competence in the task's area.
    pub newbies: Vec<DiscordId>,
    /// 5. For large tasks: a split into parts of at most the standard size.
    pub split: Option<Vec<f64>>,
    /// 6. VPAs willing to train who hold a related competence or another of the same area.
    pub training: Vec<DiscordId>,
}

/// Computes the playbook for `task` from the pool and the latest answers (`answers`: per VPA).
pub fn compute(
    task: &Task,
    pool: &[Vpa],
    answers: &[(DiscordId, Answer)],
    already_surveyed: &[DiscordId],
    catalog: &Catalog,
    rules: &PlaybookRules,
    today: NaiveDate,
) -> Playbook {
    let competence = catalog.get(task.competence);
    let present = |v: &Vpa| v.active && !v.vt_stop_active(today) && !v.absent_on(today);
    let offer = task.offer();
    let new_for = |v: &Vpa| offer.is_new_client_for(v);
    let extend = pool
        .iter()
        .filter(|v| present(v) && v.level_in(task.competence).is_some())
        .filter(|v| !v.wants_tasks || (new_for(v) && !v.wants_new_clients))
        .filter(|v| !already_surveyed.contains(&v.discord_id))
        .map(|v| v.discord_id)
        .collect();
    let unasked = rank(pool, &task.offer(), today)
        .fitting
        .iter()
        .map(|f| f.discord_id)
        .filter(|id| !already_surveyed.contains(id))
        .collect();
    let illogical_decliners = answers
        .iter()
        .filter(|(_, a)| {
            matches!(
                a,
                Answer::Decline {
                    reason: DeclineReason::NoCapacity,
                    ..
                }
            )
        })
        .filter_map(|(id, _)| pool.iter().find(|v| v.discord_id == *id))
        .filter(|v| v.active && v.wants_tasks)
        .filter(|v| {
            utilization(&v.commitments, v.weekly_hours, today)
                .is_some_and(|u| u < rules.illogical_below)
        })
        .map(|v| v.discord_id)
        .collect();
    let mut later: Vec<LaterFrom> = answers
        .iter()
        .filter_map(|(vpa, a)| match a {
            Answer::Later { from: Some(from) } => Some(LaterFrom {
                vpa: *vpa,
                from: *from,
            }),
            _ => None,
        })
        .collect();
    later.sort_by_key(|l| (l.from, l.vpa));
    let related = competence
        .related
        .iter()
        .map(|other| {
            let offer = crate::domain::task::Offer {
                competence: *other,
                ..task.offer()
            };
            (*other, rank(pool, &offer, today).fitting.len())
        })
        .collect();
    let newbies = pool
        .iter()
        .filter(|v| v.active && v.is_newbie(today, rules.newbie_days))
        .filter(|v| {
            !v.competences
                .iter()
                .any(|c| catalog.get(c.competence).area == task.area)
        })
        .map(|v| v.discord_id)
        .collect();
    let split =
        (task.hours >= rules.large_hours).then(|| split_hours(task.hours, rules.standard_hours));
    let training = pool
        .iter()
        .filter(|v| present(v) && v.willing_to_train && v.level_in(task.competence).is_none())
        .filter(|v| {
            v.competences.iter().any(|c| {
                competence.related.contains(&c.competence)
                    || catalog.get(c.competence).area == task.area
            })
        })
        .map(|v| v.discord_id)
        .collect();
    Playbook {
        unasked,
        extend,
        illogical_decliners,
        later,
        related,
        newbies,
        split,
        training,
    }
}

impl Playbook {
    /// Everybody an extended survey would ask: the unasked who fit, then those who do not want
    /// new clients or tasks.
    pub fn extend_count(&self) -> usize {
        self.unasked.len() + self.extend.len()
    }
}

/// Splits `hours` into the fewest parts of at most `max` hours, as even as quarter hours allow,
/// summing exactly to the whole.
pub fn split_hours(hours: f64, max: f64) -> Vec<f64> {
    let quarters = (hours * 4.0).round() as i64;
    let max_quarters = ((max * 4.0).floor() as i64).max(1);
    let parts = ((quarters + max_quarters - 1) / max_quarters).max(1);
    let base = quarters / parts;
    let extra = quarters % parts;
    (0..parts)
        .map(|i| (base + i64::from(i < extra)) as f64 / 4.0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_into_the_fewest_even_parts_summing_to_the_whole() {
        assert_eq!(split_hours(20.0, 10.0), vec![10.0, 10.0]);
        assert_eq!(split_hours(25.0, 10.0), vec![8.5, 8.25, 8.25]);
        assert_eq!(split_hours(21.5, 10.0), vec![7.25, 7.25, 7.0]);
        for hours in [20.0, 20.25, 33.0, 99.75, 500.0] {
            let parts = split_hours(hours, 10.0);
            assert!(
                (parts.iter().sum::<f64>() - hours).abs() < 1e-9,
                "{hours}: {parts:?}"
            );
            assert!(parts.iter().all(|p| *p <= 10.0), "{hours}: {parts:?}");
        }
    }
}
