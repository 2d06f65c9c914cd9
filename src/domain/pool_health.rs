//! Pool health: "immer ca. 10 VPAs im Pool, die Neukunden möchten und keinen VT-Stop haben".
//!
//! Counted in total and per work area; a VPA counts in an area when they hold a competence of it.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::area::WorkArea;
use super::competence::Catalog;
use super::vpa::Vpa;

/// The figures of one work area.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct AreaHealth {
    /// Active VPAs with a competence in the area who want new clients, have no VT-Stop, are present.
    pub available_for_new_clients: u32,
    /// Active VPAs with a competence in the area.
    pub vpas: u32,
    /// Of those, on VT-Stop that day.
    pub vt_stop: u32,
    /// Of those, absent that day.
    pub absent: u32,
    /// The area's own minimum, when one is configured.
    #[serde(skip)]
    pub minimum: Option<u32>,
}

impl AreaHealth {
    /// Below its own minimum (areas without one are never below).
    pub fn below_minimum(&self) -> bool {
        self.minimum
            .is_some_and(|m| self.available_for_new_clients < m)
    }
}

/// The pool's health on one day.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PoolHealth {
    #[serde(skip)]
    pub date: NaiveDate,
    pub threshold: u32,
    pub available_for_new_clients: u32,
    pub healthy: bool,
    pub areas: BTreeMap<WorkArea, AreaHealth>,
}

impl PoolHealth {
    /// Areas below their own configured minimum.
    pub fn areas_below_minimum(&self) -> Vec<WorkArea> {
        self.areas
            .iter()
            .filter(|(_, h)| h.below_minimum())
            .map(|(a, _)| *a)
            .collect()
    }
}

/// Evaluates the pool on `day`. Healthy when the total reaches `threshold` and no area is below
/// its own minimum.
pub fn evaluate<'a>(
    pool: impl IntoIterator<Item = &'a Vpa>,
    catalog: &Catalog,
    day: NaiveDate,
    threshold: u32,
    area_minimums: &BTreeMap<WorkArea, u32>,
) -> PoolHealth {
    let mut areas: BTreeMap<WorkArea, AreaHealth> = WorkArea::ALL
        .into_iter()
        .map(|a| {
            (
                a,
                AreaHealth {
                    minimum: area_minimums.get(&a).copied(),
                    ..AreaHealth::default()
                },
            )
        })
        .collect();
    let mut total = 0;
    for vpa in pool.into_iter().filter(|v| v.active) {
        let available = vpa.available_for_new_clients(day);
        let vt_stop = vpa.vt_stop_active(day);
        let absent = vpa.absent_on(day);
        if available {
            total += 1;
        }
        let mut seen = [false; WorkArea::ALL.len()];
        for held in &vpa.competences {
            let area = catalog.get(held.competence).area;
            let slot = WorkArea::ALL.iter().position(|a| *a == area).unwrap_or(0);
            if std::mem::replace(&mut seen[slot], true) {
                continue;
            }
            let figures = areas.entry(area).or_default();
            figures.vpas += 1;
            figures.vt_stop += u32::from(vt_stop);
            figures.absent += u32::from(absent);
            figures.available_for_new_clients += u32::from(available);
        }
    }
    let healthy = total >= threshold && areas.values().all(|a| !a.below_minimum());
    PoolHealth {
        date: day,
        threshold,
        available_for_new_clients: total,
        healthy,
        areas,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::competence::{Level, tests::shipped};
    use crate::domain::ids::DiscordId;
    use crate::domain::vpa::HeldCompetence;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn pool(n: u64, catalog: &Catalog) -> Vec<Vpa> {
        let research = catalog.by_key("research").unwrap().id;
        let newsletter = catalog.by_key("newsletter").unwrap().id;
        (1..=n)
            .map(|i| {
                let mut v = Vpa::new(DiscordId(i), format!("VPA {i}"));
                v.wants_new_clients = true;
                v.competences = vec![
                    HeldCompetence {
                        competence: research,
                        level: Level::Basic,
                    },
                    HeldCompetence {
                        competence: newsletter,
                        level: Level::Good,
                    },
                ];
                v
            })
            .collect()
    }

    #[test]
    fn healthy_from_the_threshold_on() {
        let catalog = shipped();
        let none = BTreeMap::new();
        for (n, healthy) in [(9, false), (10, true), (11, true)] {
            let h = evaluate(&pool(n, &catalog), &catalog, d("2026-11-30"), 10, &none);
            assert_eq!(h.available_for_new_clients, n as u32);
            assert_eq!(h.healthy, healthy, "{n}");
            assert_eq!(h.areas[&WorkArea::Backoffice].vpas, n as u32);
            assert_eq!(
                h.areas[&WorkArea::Marketing].available_for_new_clients,
                n as u32
            );
            assert_eq!(h.areas[&WorkArea::Sales].vpas, 0);
        }
    }

    #[test]
    fn vt_stop_and_absence_count_by_date() {
        let catalog = shipped();
        let mut vpas = pool(10, &catalog);
        vpas[0].vt_stop_until = Some(d("2026-12-01"));
        vpas[1].absent_from = Some(d("2026-12-01"));
        vpas[1].absent_until = Some(d("2026-12-03"));
        vpas[2].active = false;
        let none = BTreeMap::new();
        let on = |day: &str| evaluate(&vpas, &catalog, d(day), 10, &none);
        let nov30 = on("2026-11-30");
        assert_eq!((nov30.available_for_new_clients, nov30.healthy), (8, false));
        assert_eq!(nov30.areas[&WorkArea::Backoffice].vt_stop, 1);
        assert_eq!(nov30.areas[&WorkArea::Backoffice].absent, 0);
        assert_eq!(nov30.areas[&WorkArea::Backoffice].vpas, 9);
        let dec1 = on("2026-12-01");
        assert_eq!(dec1.available_for_new_clients, 7);
        assert_eq!(dec1.areas[&WorkArea::Backoffice].absent, 1);
        assert_eq!(on("2026-12-02").available_for_new_clients, 8);
        assert_eq!(on("2026-12-04").available_for_new_clients, 9);
    }

    #[test]
    fn an_area_minimum_makes_the_pool_unhealthy() {
        let catalog = shipped();
        let minimums = BTreeMap::from([(WorkArea::Sales, 1)]);
        let h = evaluate(
            &pool(12, &catalog),
            &catalog,
            d("2026-11-30"),
            10,
            &minimums,
        );
        assert!(!h.healthy);
        assert_eq!(h.areas_below_minimum(), vec![WorkArea::Sales]);
    }
}
