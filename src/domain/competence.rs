//! The competence catalog (Kompetenzen) and competence levels.
//!
//! Competences are interned as small [`CompetenceId`]s when the catalog loads, so checking
//! thousands of VPAs against a task compares integers, not strings.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use super::area::WorkArea;

/// How well a VPA masters a competence. Any level is enough to be offered a task.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Grundkenntnisse.
    Basic,
    Good,
    Expert,
}

impl Level {
    /// All levels, lowest first.
    pub const ALL: [Level; 3] = [Level::Basic, Level::Good, Level::Expert];

    /// The stable key stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            Level::Basic => "basic",
            Level::Good => "good",
            Level::Expert => "expert",
        }
    }

    /// Parses the English key or the German name, case-insensitively.
    pub fn parse(text: &str) -> Option<Level> {
        match text.trim().to_lowercase().as_str() {
            "basic" | "grundkenntnisse" => Some(Level::Basic),
            "good" | "gut" => Some(Level::Good),
            "expert" | "experte" => Some(Level::Expert),
            _ => None,
        }
    }
}

impl std::str::FromStr for Level {
    type Err = String;

    /// The stored key exactly (see [`Level::parse`] for what people type).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Level::ALL
            .into_iter()
            .find(|l| l.key() == s)
            .ok_or_else(|| format!("unknown level {s:?}"))
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Index of a competence in its [`Catalog`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CompetenceId(pub u16);

/// One competence of the catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct Competence {
    pub id: CompetenceId,
    /// English key, e.g. `creative-copywriting`.
    pub key: String,
    /// Name in the agency's language (German), e.g. "Kreatives Texten".
    pub name: String,
    /// Names in other languages by language tag (`en` → "Creative copywriting").
    pub names: BTreeMap<String, String>,
    pub area: WorkArea,
    /// Related competences, symmetric (newsletter ↔ creative copywriting).
    pub related: Vec<CompetenceId>,
}

/// A competence as written in the catalog file, before validation.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompetenceEntry {
    pub key: String,
    pub name: String,
    /// Optional names in other languages, e.g. `names = { en = "Research" }`.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    pub area: WorkArea,
    #[serde(default)]
    pub related: Vec<String>,
}

/// Why a catalog file was refused.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum CatalogError {
    #[error("competence key {0:?} appears twice")]
    DuplicateKey(String),
    #[error("competence key {0:?} must be lowercase letters, digits and '-'")]
    BadKey(String),
    #[error("competence {competence:?} names unknown related competence {related:?}")]
    UnknownRelated { competence: String, related: String },
    #[error("the catalog is empty")]
    Empty,
    #[error("the catalog has more than 65535 competences")]
    TooLarge,
}

/// An input that matched no competence, with the closest names to suggest.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownCompetence {
    pub input: String,
    /// Up to three competences, closest first.
    pub suggestions: Vec<CompetenceId>,
}

/// The whole catalog, grouped by work area.
#[derive(Debug, Clone)]
pub struct Catalog {
    competences: Vec<Competence>,
    by_key: HashMap<String, CompetenceId>,
}

impl Catalog {
    /// Validates catalog entries: unique keys, known related competences; relations made symmetric.
    pub fn new(entries: Vec<CompetenceEntry>) -> Result<Catalog, CatalogError> {
        if entries.is_empty() {
            return Err(CatalogError::Empty);
        }
        if entries.len() > u16::MAX as usize {
            return Err(CatalogError::TooLarge);
        }
        let mut by_key = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            let valid = !e.key.is_empty()
                && e.key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !valid {
                return Err(CatalogError::BadKey(e.key.clone()));
            }
            if by_key
                .insert(e.key.clone(), CompetenceId(i as u16))
                .is_some()
            {
                return Err(CatalogError::DuplicateKey(e.key.clone()));
            }
        }
        let mut competences: Vec<Competence> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| Competence {
                id: CompetenceId(i as u16),
                key: e.key.clone(),
                name: e.name.clone(),
                names: e.names.clone(),
                area: e.area,
                related: Vec::new(),
            })
            .collect();
        for (i, e) in entries.iter().enumerate() {
            for related in &e.related {
                let other = *by_key
                    .get(related)
                    .ok_or_else(|| CatalogError::UnknownRelated {
                        competence: e.key.clone(),
                        related: related.clone(),
                    })?;
                let this = CompetenceId(i as u16);
                if other == this {
                    continue;
                }
                if !competences[i].related.contains(&other) {
                    competences[i].related.push(other);
                }
                let back = &mut competences[other.0 as usize].related;
                if !back.contains(&this) {
                    back.push(this);
                }
            }
        }
        Ok(Catalog {
            competences,
            by_key,
        })
    }

    /// Every competence in catalog order.
    pub fn all(&self) -> &[Competence] {
        &self.competences
    }

    /// The competence with this id. Ids only come from this catalog, so this cannot miss.
    pub fn get(&self, id: CompetenceId) -> &Competence {
        &self.competences[id.0 as usize]
    }

    /// Looks up an English key exactly.
    pub fn by_key(&self, key: &str) -> Option<&Competence> {
        self.by_key.get(key).map(|id| self.get(*id))
    }

    /// Competences of one work area.
    pub fn in_area(&self, area: WorkArea) -> impl Iterator<Item = &Competence> {
        self.competences.iter().filter(move |c| c.area == area)
    }

    /// Resolves what a person typed: the key or a name in any language, ignoring case and
    /// spacing.
    pub fn resolve(&self, input: &str) -> Result<&Competence, UnknownCompetence> {
        let wanted = normalize(input);
        if let Some(found) = self
            .competences
            .iter()
            .find(|c| c.spellings().any(|s| normalize(s) == wanted))
        {
            return Ok(found);
        }
        Err(UnknownCompetence {
            input: input.trim().to_string(),
            suggestions: self.closest(input, 3).into_iter().map(|c| c.id).collect(),
        })
    }

    /// The `n` competences whose key or name is closest to `input`.
    pub fn closest(&self, input: &str, n: usize) -> Vec<&Competence> {
        let wanted = normalize(input);
        let mut scored: Vec<(f64, &Competence)> = self
            .competences
            .iter()
            .map(|c| {
                let best = c
                    .spellings()
                    .map(|s| similarity(&wanted, &normalize(s)))
                    .fold(0.0, f64::max);
                (best, c)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
        scored.into_iter().take(n).map(|(_, c)| c).collect()
    }

    /// Autocomplete: competences whose key or name contains the typed text, at most `limit`.
    pub fn autocomplete(&self, partial: &str, limit: usize) -> Vec<&Competence> {
        let wanted = normalize(partial);
        let mut hits: Vec<&Competence> = self
            .competences
            .iter()
            .filter(|c| wanted.is_empty() || c.spellings().any(|s| normalize(s).contains(&wanted)))
            .collect();
        if hits.is_empty() {
            hits = self.closest(partial, limit);
        }
        hits.truncate(limit);
        hits
    }
}

impl Competence {
    /// The name in a language (by its tag, e.g. `en`); the agency's name where none is given.
    pub fn name_in(&self, language: &str) -> &str {
        self.names.get(language).map_or(&self.name, String::as_str)
    }

    /// Everything a person may type for this competence: the key and every name.
    fn spellings(&self) -> impl Iterator<Item = &str> {
        [self.key.as_str(), self.name.as_str()]
            .into_iter()
            .chain(self.names.values().map(String::as_str))
    }
}

fn normalize(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == '_' || c == ' ' { '-' } else { c })
        .collect()
}

/// Similarity in 0..=1 that rewards shared prefixes (typos at the end) and substrings.
fn similarity(a: &str, b: &str) -> f64 {
    let base = strsim::jaro_winkler(a, b);
    if !a.is_empty() && b.contains(a) {
        base.max(0.9)
    } else {
        base
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The shipped catalog, for tests across the domain.
    pub(crate) fn shipped() -> Catalog {
        #[derive(serde::Deserialize)]
        struct File {
            competence: Vec<CompetenceEntry>,
        }
        let file: File =
            toml::from_str(include_str!("../../config/competences.toml")).expect("catalog parses");
        Catalog::new(file.competence).expect("catalog is valid")
    }

    #[test]
    fn shipped_catalog_has_the_required_keys_and_symmetric_relations() {
        let catalog = shipped();
        for key in [
            "research",
            "document-creation",
            "data-entry",
            "email-management",
            "bookkeeping-prep",
            "appointment-organisation",
            "travel-booking",
            "phone-service",
            "correspondence",
            "social-media",
            "copywriting",
            "creative-copywriting",
            "newsletter",
            "seo",
            "graphic-design",
            "sales",
            "lead-generation",
            "crm",
            "wordpress",
            "excel-vba",
            "hubspot",
        ] {
            assert!(catalog.by_key(key).is_some(), "{key} missing");
        }
        let related = |a: &str, b: &str| {
            let a = catalog.by_key(a).unwrap();
            let b = catalog.by_key(b).unwrap();
            a.related.contains(&b.id) && b.related.contains(&a.id)
        };
        assert!(related("newsletter", "creative-copywriting"));
        assert!(related("copywriting", "creative-copywriting"));
        assert!(related("social-media", "copywriting"));
    }

    #[test]
    fn resolves_keys_and_german_names_and_suggests_three_closest() {
        let catalog = shipped();
        assert_eq!(
            catalog.resolve("Kreatives Texten").unwrap().key,
            "creative-copywriting"
        );
        assert_eq!(catalog.resolve(" newsletter ").unwrap().key, "newsletter");
        let err = catalog.resolve("Newsleter").unwrap_err();
        assert_eq!(err.suggestions.len(), 3);
        assert_eq!(catalog.get(err.suggestions[0]).name, "Newsletter");
    }

    #[test]
    fn refuses_unknown_related_and_duplicate_keys() {
        let entry = |key: &str, related: &[&str]| CompetenceEntry {
            key: key.into(),
            name: key.into(),
            names: BTreeMap::new(),
            area: WorkArea::Marketing,
            related: related.iter().map(|s| s.to_string()).collect(),
        };
        assert_eq!(
            Catalog::new(vec![entry("a", &["b"])]).unwrap_err(),
            CatalogError::UnknownRelated {
                competence: "a".into(),
                related: "b".into()
            }
        );
        assert_eq!(
            Catalog::new(vec![entry("a", &[]), entry("a", &[])]).unwrap_err(),
            CatalogError::DuplicateKey("a".into())
        );
        assert_eq!(
            Catalog::new(vec![entry("A b", &[])]).unwrap_err(),
            CatalogError::BadKey("A b".into())
        );
    }

    #[test]
    fn levels_parse_in_english_and_german() {
        assert_eq!(Level::parse("Grundkenntnisse"), Some(Level::Basic));
        assert_eq!(Level::parse("gut"), Some(Level::Good));
        assert_eq!(Level::parse("EXPERT"), Some(Level::Expert));
        assert_eq!(Level::parse("master"), None);
        assert!(Level::Expert > Level::Basic);
    }

    #[test]
    fn autocomplete_caps_results() {
        let catalog = shipped();
        assert_eq!(
            catalog.autocomplete("", 25).len(),
            catalog.all().len().min(25)
        );
        assert!(
            catalog
                .autocomplete("text", 25)
                .iter()
                .any(|c| c.key == "copywriting")
        );
    }
}
