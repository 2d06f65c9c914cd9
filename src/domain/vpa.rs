//! A VPA's profile (Zeitplanung, competences, VT-Stop, absence) and their availability on a day.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{Duration, NaiveDate};

use super::competence::{CompetenceId, Level};
use super::ids::{ClientId, DiscordId};
use super::utilization::Commitment;

/// Highest weekly hours a VPA can want; more is a typo.
pub const MAX_WEEKLY_HOURS: f64 = 80.0;

/// Why a typed or imported name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    /// Line breaks, tabs or other control characters (they break posts and tables).
    ControlCharacters,
    /// Discord mention syntax (`<@…>`, `<@&…>`, `<#…>`, `@everyone`, `@here`): a name must not
    /// call anybody.
    Mention,
}

/// Checks a name as a person typed it (CSV import): no control characters, no mentions.
pub fn check_name(name: &str) -> Result<(), NameProblem> {
    if name.chars().any(char::is_control) {
        return Err(NameProblem::ControlCharacters);
    }
    if has_mention(name) {
        return Err(NameProblem::Mention);
    }
    Ok(())
}

fn has_mention(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("@everyone")
        || lower.contains("@here")
        || MENTION_STARTS.iter().any(|p| lower.contains(p))
}

/// A name Discord gave (a nickname, a user name) made safe to store and show: control
/// characters become spaces and mention syntax is defused with a zero-width space, so the
/// name reads the same and calls nobody.
pub fn safe_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    for pattern in MENTION_STARTS {
        out = out.replace(pattern, &format!("<\u{200b}{}", &pattern[1..]));
    }
    for word in ["@everyone", "@here"] {
        out = out.replace(word, &format!("@\u{200b}{}", &word[1..]));
    }
    let trimmed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if trimmed.is_empty() {
        "?".into()
    } else {
        trimmed
    }
}

/// How Discord's mentions and other markup references begin.
const MENTION_STARTS: [&str; 6] = ["<@", "<#", "</", "<:", "<a:", "<t:"];

/// Who changed a profile, recorded in the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeSource {
    /// The CSV import (`vpa-desk import-vpas`).
    Import,
    /// The VPA themselves (`/profile …`).
    Profile,
    /// A coordinator for the VPA (`vpa:`).
    Coordinator,
    /// The VPA manager for the VPA.
    Manager,
}

super::survey::keyed!(ChangeSource {
    Import => "import",
    Profile => "profile",
    Coordinator => "coordinator",
    Manager => "manager",
});

/// A competence a VPA holds, with their level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldCompetence {
    pub competence: CompetenceId,
    pub level: Level,
}

/// A VPA with everything the rules need: profile, competences, current commitments.
#[derive(Debug, Clone, PartialEq)]
pub struct Vpa {
    pub discord_id: DiscordId,
    pub name: String,
    /// Hours per week the VPA wants to work (Zeitplanung). 0 means no room at all.
    pub weekly_hours: f64,
    pub wants_tasks: bool,
    pub wants_new_clients: bool,
    /// VT-Stop until this day, inclusive.
    pub vt_stop_until: Option<NaiveDate>,
    /// Absent from this day (none: already begun when `absent_until` is set).
    pub absent_from: Option<NaiveDate>,
    /// Absent until this day, inclusive (none with a start: open-ended).
    pub absent_until: Option<NaiveDate>,
    pub willing_to_train: bool,
    pub joined_on: Option<NaiveDate>,
    /// Deactivated VPAs (left the agency) count nowhere.
    pub active: bool,
    pub competences: Vec<HeldCompetence>,
    /// Assignments that take up hours (ongoing or future).
    pub commitments: Vec<Commitment>,
    /// Clients this VPA has or had an assignment with: a task for them is not a new client.
    pub clients_served: BTreeSet<ClientId>,
}

impl Vpa {
    /// A fresh profile as created on first use: no hours, wants no tasks until the VPA says so.
    pub fn new(discord_id: DiscordId, name: impl Into<String>) -> Vpa {
        Vpa {
            discord_id,
            name: name.into(),
            weekly_hours: 0.0,
            wants_tasks: false,
            wants_new_clients: false,
            vt_stop_until: None,
            absent_from: None,
            absent_until: None,
            willing_to_train: false,
            joined_on: None,
            active: true,
            competences: Vec::new(),
            commitments: Vec::new(),
            clients_served: BTreeSet::new(),
        }
    }

    /// VT-Stop is active on every day up to and including its end day.
    pub fn vt_stop_active(&self, day: NaiveDate) -> bool {
        self.vt_stop_until.is_some_and(|until| day <= until)
    }

    /// Absent on `day`: an absence without a start has already begun; without an end it is open.
    pub fn absent_on(&self, day: NaiveDate) -> bool {
        match (self.absent_from, self.absent_until) {
            (None, None) => false,
            (from, until) => from.is_none_or(|f| f <= day) && until.is_none_or(|u| day <= u),
        }
    }

    /// Available for new clients (pool health): wants new clients, no VT-Stop, not absent, active.
    pub fn available_for_new_clients(&self, day: NaiveDate) -> bool {
        self.active && self.wants_new_clients && !self.vt_stop_active(day) && !self.absent_on(day)
    }

    /// The level the VPA holds in a competence, if any.
    pub fn level_in(&self, competence: CompetenceId) -> Option<Level> {
        self.competences
            .iter()
            .find(|c| c.competence == competence)
            .map(|c| c.level)
    }

    /// A newbie joined within the last `period_days` days.
    pub fn is_newbie(&self, day: NaiveDate, period_days: u32) -> bool {
        self.joined_on
            .is_some_and(|j| j <= day && day - j < Duration::days(period_days as i64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_would_call_somebody_or_break_lines_are_refused_or_defused() {
        assert_eq!(check_name("Anna Schmidt"), Ok(()));
        assert_eq!(check_name("Anna <@&123>"), Err(NameProblem::Mention));
        assert_eq!(check_name("@everyone"), Err(NameProblem::Mention));
        assert_eq!(
            check_name("Anna\nSchmidt"),
            Err(NameProblem::ControlCharacters)
        );
        assert_eq!(check_name("Tom <Tomcat>"), Ok(()));
        assert_eq!(safe_name("Anna\u{7}\nSchmidt"), "Anna Schmidt");
        assert_eq!(
            safe_name("x <@&123> @here"),
            "x <\u{200b}@&123> @\u{200b}here"
        );
        assert!(!has_mention(&safe_name("<@1> <#2> </a:1> <t:5> @everyone")));
        assert_eq!(safe_name("\u{0}\u{1}"), "?");
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn vt_stop_until_is_inclusive() {
        let mut vpa = Vpa::new(DiscordId(1), "A");
        vpa.vt_stop_until = Some(d("2026-12-01"));
        assert!(vpa.vt_stop_active(d("2026-11-30")));
        assert!(vpa.vt_stop_active(d("2026-12-01")));
        assert!(!vpa.vt_stop_active(d("2026-12-02")));
    }

    #[test]
    fn absence_bounds() {
        let mut vpa = Vpa::new(DiscordId(1), "A");
        assert!(!vpa.absent_on(d("2026-12-01")));
        vpa.absent_until = Some(d("2026-12-01")); // no start: already begun
        assert!(vpa.absent_on(d("2020-01-01")));
        assert!(vpa.absent_on(d("2026-12-01")));
        assert!(!vpa.absent_on(d("2026-12-02")));
        vpa.absent_from = Some(d("2026-11-29"));
        assert!(!vpa.absent_on(d("2026-11-28")));
        assert!(vpa.absent_on(d("2026-11-29")));
        vpa.absent_until = None; // open-ended
        assert!(vpa.absent_on(d("2030-01-01")));
    }

    #[test]
    fn newbie_period() {
        let mut vpa = Vpa::new(DiscordId(1), "A");
        assert!(!vpa.is_newbie(d("2026-11-28"), 90));
        vpa.joined_on = Some(d("2026-09-01"));
        assert!(vpa.is_newbie(d("2026-11-28"), 90));
        assert!(!vpa.is_newbie(d("2026-11-30"), 90));
    }
}
