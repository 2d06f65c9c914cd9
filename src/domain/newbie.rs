//! Newbies completing their profiles: when a profile counts as complete (the source: newbies
//! should check and complete their competences, "ggf. nur mit Grundkenntnissen"), and the pages
//! of the guided competence picker (one select menu per area, paged at Discord's 25 options).

use serde::{Deserialize, Serialize};

use super::area::WorkArea;
use super::competence::{Catalog, Competence, CompetenceId};
use super::vpa::Vpa;

/// What an incomplete profile lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "gap", rename_all = "snake_case")]
pub enum ProfileGap {
    /// No competence at all (the others follow from it, so it stands alone).
    NoCompetence,
    /// None in the back office, where most standard tasks are.
    NoBackoffice,
    /// Fewer than the configured minimum.
    TooFew { have: u32, min: u32 },
}

/// What `vpa`'s profile lacks; empty when it is complete.
pub fn profile_gaps(vpa: &Vpa, catalog: &Catalog, min_competences: u32) -> Vec<ProfileGap> {
    if vpa.competences.is_empty() {
        return vec![ProfileGap::NoCompetence];
    }
    let mut gaps = Vec::new();
    if !vpa
        .competences
        .iter()
        .any(|c| catalog.get(c.competence).area == WorkArea::Backoffice)
    {
        gaps.push(ProfileGap::NoBackoffice);
    }
    let have = u32::try_from(vpa.competences.len()).unwrap_or(u32::MAX);
    if have < min_competences {
        gaps.push(ProfileGap::TooFew {
            have,
            min: min_competences,
        });
    }
    gaps
}

/// Most options of one select menu (Discord's limit).
pub const OPTIONS_PER_PAGE: usize = 25;

/// One page of the picker: an area's competences, or a slice of 25 of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PickerPage {
    pub area: WorkArea,
    /// From 0; areas with up to 25 competences have one page.
    pub page: u8,
}

/// Every page of the picker in the order shown: the areas in their order, each paged.
pub fn picker_pages(catalog: &Catalog) -> Vec<PickerPage> {
    let mut pages = Vec::new();
    for area in WorkArea::ALL {
        let count = catalog.in_area(area).count();
        for page in 0..count.div_ceil(OPTIONS_PER_PAGE) {
            pages.push(PickerPage {
                area,
                page: u8::try_from(page).unwrap_or(u8::MAX),
            });
        }
    }
    pages
}

/// The competences a page offers.
pub fn page_competences(catalog: &Catalog, page: PickerPage) -> Vec<&Competence> {
    catalog
        .in_area(page.area)
        .skip(usize::from(page.page) * OPTIONS_PER_PAGE)
        .take(OPTIONS_PER_PAGE)
        .collect()
}

/// What a choice on a page changes: the chosen ones not held yet are added; the held ones of
/// the page that were left unchosen are to be removed (after a confirmation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageChoice {
    pub added: Vec<CompetenceId>,
    pub removed: Vec<CompetenceId>,
}

/// Compares what was chosen on a page with what is held.
pub fn page_choice(
    offered: &[CompetenceId],
    held: &[CompetenceId],
    chosen: &[CompetenceId],
) -> PageChoice {
    PageChoice {
        added: offered
            .iter()
            .filter(|c| chosen.contains(c) && !held.contains(c))
            .copied()
            .collect(),
        removed: offered
            .iter()
            .filter(|c| held.contains(c) && !chosen.contains(c))
            .copied()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::competence::{CompetenceEntry, Level};
    use crate::domain::ids::DiscordId;
    use crate::domain::vpa::HeldCompetence;

    fn entry(key: &str, area: &str) -> CompetenceEntry {
        CompetenceEntry {
            key: key.into(),
            name: key.into(),
            names: Default::default(),
            area: area.parse().unwrap(),
            related: Vec::new(),
        }
    }

    fn catalog(extra_marketing: usize) -> Catalog {
        let mut entries = vec![
            entry("research", "backoffice"),
            entry("data-entry", "backoffice"),
            entry("calendar", "secretarial"),
        ];
        for i in 0..extra_marketing {
            entries.push(entry(&format!("m{i}"), "marketing"));
        }
        Catalog::new(entries).unwrap()
    }

    fn holding(catalog: &Catalog, keys: &[&str]) -> Vpa {
        let mut v = Vpa::new(DiscordId(1), "Anna");
        v.competences = keys
            .iter()
            .map(|k| HeldCompetence {
                competence: catalog.by_key(k).unwrap().id,
                level: Level::Basic,
            })
            .collect();
        v
    }

    #[test]
    fn a_profile_is_complete_with_enough_competences_one_in_the_back_office() {
        let c = catalog(3);
        assert_eq!(
            profile_gaps(&holding(&c, &[]), &c, 3),
            vec![ProfileGap::NoCompetence]
        );
        assert_eq!(
            profile_gaps(&holding(&c, &["calendar", "m0"]), &c, 3),
            vec![
                ProfileGap::NoBackoffice,
                ProfileGap::TooFew { have: 2, min: 3 }
            ]
        );
        assert_eq!(
            profile_gaps(&holding(&c, &["calendar", "m0", "m1"]), &c, 3),
            vec![ProfileGap::NoBackoffice]
        );
        assert_eq!(
            profile_gaps(&holding(&c, &["research"]), &c, 3),
            vec![ProfileGap::TooFew { have: 1, min: 3 }]
        );
        assert!(profile_gaps(&holding(&c, &["research", "calendar", "m2"]), &c, 3).is_empty());
        assert!(profile_gaps(&holding(&c, &["research"]), &c, 1).is_empty());
    }

    #[test]
    fn an_area_with_more_than_25_competences_gets_pages() {
        let c = catalog(30);
        let pages = picker_pages(&c);
        let marketing: Vec<_> = pages
            .iter()
            .filter(|p| p.area == WorkArea::Marketing)
            .collect();
        assert_eq!(marketing.len(), 2);
        assert_eq!(page_competences(&c, *marketing[0]).len(), 25);
        assert_eq!(page_competences(&c, *marketing[1]).len(), 5);
        // Areas without competences have no page.
        assert!(!pages.iter().any(|p| p.area == WorkArea::Software));
        assert_eq!(pages[0].area, WorkArea::Backoffice);
    }

    #[test]
    fn a_choice_adds_the_new_and_names_the_left_out_for_removal() {
        let ids = |n: &[u16]| n.iter().map(|i| CompetenceId(*i)).collect::<Vec<_>>();
        let choice = page_choice(&ids(&[0, 1, 2]), &ids(&[1, 2, 7]), &ids(&[0, 1]));
        assert_eq!(choice.added, ids(&[0]));
        assert_eq!(choice.removed, ids(&[2]));
        assert_eq!(
            page_choice(&ids(&[0, 1]), &ids(&[1]), &ids(&[1])),
            PageChoice::default()
        );
    }
}
