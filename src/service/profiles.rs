//! VPA self-service and coordinator edits of profiles: competences, schedule, VT-Stop, absence,
//! deactivation. Every change is recorded in the profile history with who made it.

use chrono::NaiveDate;

use super::desk::Desk;
use super::error::{Refusal, Result};
use crate::db::vpas::{ChangeSource, Saved, load_vpas, save_vpa};
use crate::domain::competence::{CompetenceId, Level};
use crate::domain::dates::parse_date;
use crate::domain::dropout::Gap;
use crate::domain::ids::DiscordId;
use crate::domain::newbie::{ProfileGap, profile_gaps};
use crate::domain::vpa::{HeldCompetence, Vpa};

/// Highest weekly hours a VPA can set; more is a typo.
pub use crate::domain::vpa::MAX_WEEKLY_HOURS;

/// A change to a profile.
#[derive(Debug, Clone, PartialEq)]
pub enum ProfileChange {
    /// Adds a competence or changes its level.
    SetCompetence {
        competence: CompetenceId,
        level: Level,
    },
    RemoveCompetence {
        competence: CompetenceId,
    },
    /// Adds competences not held yet with basic knowledge ("Grundkenntnisse reichen"); held
    /// ones keep their level (the picker's choice of an area).
    AddCompetences(Vec<CompetenceId>),
    /// Removes competences (the picker, after a confirmation).
    RemoveCompetences(Vec<CompetenceId>),
    Schedule {
        weekly_hours: f64,
        wants_tasks: bool,
        wants_new_clients: bool,
    },
    VtStop {
        until: Option<NaiveDate>,
    },
    /// Both none: no absence.
    Absence {
        from: Option<NaiveDate>,
        until: Option<NaiveDate>,
    },
    Deactivate,
}

/// Who changes a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub id: DiscordId,
    pub source: ChangeSource,
}

/// A profile as shown, after a change or on request.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileSaved {
    pub vpa: Vpa,
    /// Created by this request (first use).
    pub created: bool,
    /// Anything changed.
    pub changed: bool,
    /// Utilization this week (none without weekly hours).
    pub utilization: Option<f64>,
    /// Joined within `newbies.period_days`.
    pub newbie: bool,
    /// What the profile lacks to be complete (`newbies.min_competences`, one in the back
    /// office); empty when complete.
    pub gaps: Vec<ProfileGap>,
    /// The day it was read on (VT-Stop and absence are shown as of it).
    pub today: NaiveDate,
    /// Tasks an absence or a deactivation handed on, and what the bot did for each.
    pub handed_on: Vec<super::dropout::HandedOn>,
    /// Since when Discord refuses DMs to the VPA (until one goes through).
    pub dm_unreachable_since: Option<chrono::DateTime<chrono::Utc>>,
}

impl ProfileSaved {
    fn new(desk: &Desk, vpa: Vpa, created: bool, changed: bool) -> ProfileSaved {
        let today = desk.today();
        ProfileSaved {
            utilization: crate::domain::utilization::utilization(
                &vpa.commitments,
                vpa.weekly_hours,
                today,
            ),
            newbie: vpa.is_newbie(today, desk.config.settings.newbies.period_days),
            gaps: gaps_of(desk, &vpa),
            today,
            vpa,
            created,
            changed,
            handed_on: Vec::new(),
            dm_unreachable_since: None,
        }
    }

    /// With the VPA's DM mark, as it is now.
    async fn with_dm_mark(mut self, desk: &Desk) -> Result<ProfileSaved> {
        self.dm_unreachable_since = desk.db.dm_unreachable_since(self.vpa.discord_id).await?;
        Ok(self)
    }
}

/// What `vpa`'s profile lacks, by the configured minimum.
pub fn gaps_of(desk: &Desk, vpa: &Vpa) -> Vec<ProfileGap> {
    profile_gaps(
        vpa,
        &desk.config.catalog,
        desk.config.settings.newbies.min_competences,
    )
}

/// Keeps the mark of when a newbie's profile became complete (the digest lists who completed
/// in its week): set when a change completes it while the VPA is a newbie, cleared when one
/// makes it incomplete again.
async fn mark_completion(
    tx: &mut crate::db::WriteTx,
    desk: &Desk,
    before: Option<&Vpa>,
    after: &Vpa,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    if let Some(at) = completion_mark(&desk.config, desk.today(), before, after, now) {
        crate::db::newbies::set_profile_completed(tx, after.discord_id, at).await?;
    }
    Ok(())
}

/// How a change moves the mark of a newbie's completed profile: `Some(Some(now))` completed
/// while a newbie, `Some(None)` incomplete again (or completed as no newbie), `None`
/// untouched. Before the change `None`: a profile just created, incomplete.
pub(crate) fn completion_mark(
    config: &crate::config::Config,
    today: chrono::NaiveDate,
    before: Option<&Vpa>,
    after: &Vpa,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Option<chrono::DateTime<chrono::Utc>>> {
    let newbies = &config.settings.newbies;
    let complete = |v: &Vpa| profile_gaps(v, &config.catalog, newbies.min_competences).is_empty();
    let complete_after = complete(after);
    if before.is_some_and(complete) == complete_after {
        return None;
    }
    let newbie = after.is_newbie(today, newbies.period_days);
    Some((complete_after && newbie).then_some(now))
}

/// Loads a profile; creates it (weekly hours 0, wants no tasks) when `create_if_missing`.
pub async fn profile(
    desk: &Desk,
    id: DiscordId,
    name: &str,
    create_if_missing: bool,
) -> Result<Option<ProfileSaved>> {
    if let Some(vpa) = desk.db.get_vpa(&desk.config.catalog, id).await? {
        return Ok(Some(
            ProfileSaved::new(desk, vpa, false, false)
                .with_dm_mark(desk)
                .await?,
        ));
    }
    if !create_if_missing {
        return Ok(None);
    }
    let mut tx = desk.db.begin_write().await?;
    let vpa = new_profile(desk, id, name);
    save_vpa(
        &mut tx,
        &desk.config.catalog,
        &vpa,
        ChangeSource::Profile,
        Some(id),
        desk.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(ProfileSaved::new(desk, vpa, true, true)))
}

fn new_profile(desk: &Desk, id: DiscordId, name: &str) -> Vpa {
    // A Discord name may hold anything: stored and shown defused.
    let mut vpa = Vpa::new(id, crate::domain::vpa::safe_name(name));
    vpa.joined_on = Some(desk.today());
    vpa
}

/// Applies a change, creating the profile first if the VPA has none.
#[tracing::instrument(skip_all, fields(vpa = %id, by = %actor.id))]
pub async fn change(
    desk: &Desk,
    id: DiscordId,
    name: &str,
    change: ProfileChange,
    actor: Actor,
) -> Result<ProfileSaved> {
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    let existing = load_vpas(&mut tx, &desk.config.catalog, Some(id))
        .await?
        .pop();
    let created = existing.is_none();
    let before = existing.clone();
    let mut vpa = existing.unwrap_or_else(|| new_profile(desk, id, name));
    let today = desk.today();
    let gap = match &change {
        ProfileChange::Absence { from, until } => Gap::absence(*from, *until, today),
        ProfileChange::Deactivate if vpa.active => Some(Gap::deactivation(today)),
        _ => None,
    };
    let absence_change = matches!(change, ProfileChange::Absence { .. });
    match change {
        ProfileChange::SetCompetence { competence, level } => {
            match vpa
                .competences
                .iter_mut()
                .find(|c| c.competence == competence)
            {
                Some(held) => held.level = level,
                None => vpa.competences.push(HeldCompetence { competence, level }),
            }
        }
        ProfileChange::RemoveCompetence { competence } => {
            vpa.competences.retain(|c| c.competence != competence)
        }
        ProfileChange::AddCompetences(added) => {
            for competence in added {
                if !vpa.competences.iter().any(|c| c.competence == competence) {
                    vpa.competences.push(HeldCompetence {
                        competence,
                        level: Level::Basic,
                    });
                }
            }
        }
        ProfileChange::RemoveCompetences(removed) => {
            vpa.competences.retain(|c| !removed.contains(&c.competence))
        }
        ProfileChange::Schedule {
            weekly_hours,
            wants_tasks,
            wants_new_clients,
        } => {
            vpa.weekly_hours = weekly_hours;
            vpa.wants_tasks = wants_tasks;
            vpa.wants_new_clients = wants_new_clients;
        }
        ProfileChange::VtStop { until } => vpa.vt_stop_until = until,
        ProfileChange::Absence { from, until } => {
            vpa.absent_from = from;
            vpa.absent_until = until;
        }
        ProfileChange::Deactivate => vpa.active = false,
    }
    let saved = save_vpa(
        &mut tx,
        &desk.config.catalog,
        &vpa,
        actor.source,
        Some(actor.id),
        now,
    )
    .await?;
    let mut handed_on = Vec::new();
    if saved != Saved::Unchanged {
        mark_completion(&mut tx, desk, before.as_ref(), &vpa, now).await?;
        if absence_change {
            super::dropout::absence_changed(&mut tx, desk, id, gap.as_ref(), now).await?;
        }
        if let Some(gap) = &gap {
            handed_on = super::dropout::hand_on(&mut tx, desk, id, gap, actor.id, now).await?;
        }
    }
    tx.commit().await?;
    if saved != Saved::Unchanged {
        desk.pool_changed();
        desk.ring_outbox();
        desk.ring_timers();
    }
    let mut shown = ProfileSaved::new(desk, vpa, created, saved != Saved::Unchanged);
    if !handed_on.is_empty() {
        // The assignments handed on no longer count towards this week.
        if let Some(fresh) = desk.db.get_vpa(&desk.config.catalog, id).await? {
            shown = ProfileSaved::new(desk, fresh, created, true);
        }
    }
    shown.handed_on = handed_on;
    shown.with_dm_mark(desk).await
}

/// Reads weekly hours typed by a person (0 to 80, quarter hours allowed).
pub fn parse_weekly_hours(hours: f64) -> Result<f64, Refusal> {
    if (0.0..=MAX_WEEKLY_HOURS).contains(&hours) {
        Ok((hours * 4.0).round() / 4.0)
    } else {
        Err(Refusal::WeeklyHoursInvalid {
            hours,
            max: MAX_WEEKLY_HOURS,
        })
    }
}

/// Reads a VT-Stop end: a day from today on, or "aus" to end the VT-Stop.
pub fn parse_vt_stop(input: &str, today: NaiveDate) -> Result<Option<NaiveDate>, Refusal> {
    let input = input.trim();
    if is_off(input) {
        return Ok(None);
    }
    match parse_date(input) {
        None => Err(Refusal::VtStopInvalid {
            input: input.to_string(),
        }),
        Some(day) if day < today => Err(Refusal::DateInPast { day, today }),
        Some(day) => Ok(Some(day)),
    }
}

/// "aus" (German) or "off" ends a VT-Stop or an absence.
fn is_off(input: &str) -> bool {
    ["aus", "off"].iter().any(|w| input.eq_ignore_ascii_case(w))
}

/// Reads an absence: `from` a day or "aus" (no absence), `until` a day not before `from` and
/// not in the past. No reason is asked or stored: it may be health data.
pub fn parse_absence(
    from: &str,
    until: Option<&str>,
    today: NaiveDate,
) -> Result<(Option<NaiveDate>, Option<NaiveDate>), Refusal> {
    let from = from.trim();
    if is_off(from) {
        return Ok((None, None));
    }
    let invalid = |input: &str| Refusal::AbsenceInvalid {
        input: input.to_string(),
    };
    let start = parse_date(from).ok_or_else(|| invalid(from))?;
    let end = match until.map(str::trim).filter(|u| !u.is_empty()) {
        None => None,
        Some(u) => Some(parse_date(u).ok_or_else(|| invalid(u))?),
    };
    if let Some(end) = end {
        if end < start {
            return Err(Refusal::AbsenceOrder {
                from: start,
                until: end,
            });
        }
        if end < today {
            return Err(Refusal::DateInPast { day: end, today });
        }
    }
    Ok((Some(start), end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn inputs_are_checked() {
        let today = d("2026-11-30");
        assert_eq!(parse_weekly_hours(12.3), Ok(12.25));
        assert!(parse_weekly_hours(81.0).is_err());
        assert!(parse_weekly_hours(-1.0).is_err());
        assert_eq!(parse_vt_stop("aus", today), Ok(None));
        assert_eq!(
            parse_vt_stop("31.12.2026", today),
            Ok(Some(d("2026-12-31")))
        );
        assert!(parse_vt_stop("29.11.2026", today).is_err());
        assert!(parse_vt_stop("bald", today).is_err());
        assert_eq!(
            parse_absence("01.12.2026", Some("05.12.2026"), today),
            Ok((Some(d("2026-12-01")), Some(d("2026-12-05"))))
        );
        assert_eq!(parse_absence("aus", None, today), Ok((None, None)));
        assert!(parse_absence("05.12.2026", Some("01.12.2026"), today).is_err());
        assert!(parse_absence("01.11.2026", Some("02.11.2026"), today).is_err());
        assert_eq!(
            parse_absence("01.12.2026", None, today),
            Ok((Some(d("2026-12-01")), None))
        );
    }
}

/// What an erasure will remove and keep (for the confirmation) or did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forgetting {
    pub vpa: DiscordId,
    pub name: String,
    /// Assignments kept, anonymous, for the hours per week and area.
    pub assignments: i64,
    /// Answers kept, anonymous, as counts.
    pub answers: i64,
    /// After the erasure: the random id the kept rows carry.
    pub pseudonym: Option<DiscordId>,
}

/// What erasing `vpa` would do; refused when there is no profile or the VPA is still active
/// (deactivate first: that hands on their tasks).
pub async fn forget_preview(desk: &Desk, vpa: DiscordId) -> Result<Forgetting> {
    let Some(profile) = desk.db.get_vpa(&desk.config.catalog, vpa).await? else {
        return Err(Refusal::NoProfile(vpa).into());
    };
    if profile.active {
        return Err(Refusal::ForgetActive(vpa).into());
    }
    let (assignments, answers) = desk.db.kept_on_forget(vpa).await?;
    Ok(Forgetting {
        vpa,
        name: profile.name.as_str().to_string(),
        assignments,
        answers,
        pseudonym: None,
    })
}

/// Erases `vpa`'s personal data (see `db::erasure`), in one transaction; the same checks as
/// [`forget_preview`] inside it.
pub async fn forget(desk: &Desk, vpa: DiscordId, act: &super::desk::Act) -> Result<Forgetting> {
    let mut preview = forget_preview(desk, vpa).await?;
    let pseudonym = fresh_pseudonym(desk).await?;
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    desk.mark_handled(&mut tx, act).await?;
    let erased = crate::db::erasure::forget(&mut tx, vpa, &preview.name, pseudonym, now).await?;
    tx.commit().await?;
    desk.db.fold_wal().await?;
    desk.pool_changed();
    tracing::info!(
        deleted = erased.deleted,
        rewritten = erased.rewritten,
        "a VPA was erased"
    );
    preview.pseudonym = Some(erased.pseudonym);
    Ok(preview)
}

/// A random id no VPA has, in the range of Discord's ids (so it reads like one, and is none).
async fn fresh_pseudonym(desk: &Desk) -> Result<DiscordId> {
    use std::hash::{BuildHasher, Hasher};
    loop {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos(),
        );
        // 10^17 .. 10^18: 18 digits, like the ids of the last years.
        let id = DiscordId(100_000_000_000_000_000 + h.finish() % 900_000_000_000_000_000);
        if !desk.db.vpa_exists(id).await? {
            return Ok(id);
        }
    }
}
