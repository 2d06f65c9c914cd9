//! Newbies completing their profiles: the weekly nudge of those whose profile is incomplete,
//! and the guided competence picker (a select per area, then a level per newly chosen
//! competence; every step saved as it is made, so an abandoned picker keeps what was chosen).

use super::desk::Desk;
use super::error::{Refusal, Result, refuse};
use super::profiles::{self, Actor, ProfileChange, ProfileSaved, gaps_of};
use crate::db::outbox::{self, Intent};
use crate::db::vpas::{self, Selection};
use crate::domain::competence::{CompetenceId, Level};
use crate::domain::ids::DiscordId;
use crate::domain::newbie::{PickerPage, ProfileGap, page_choice, page_competences, picker_pages};
use crate::domain::outbox::DirectMessage;
use crate::domain::vpa::Vpa;

/// Queues the weekly nudge once its time has come, once per due day across restarts (after a
/// downtime over its time, once when back): a DM to every active newbie whose profile is
/// incomplete and who was not nudged within the cool-down. The DMs wait for the end of quiet
/// hours at delivery. How many were nudged; none when it ran already (see [`mark_first_start`]
/// for the first start).
pub async fn queue_weekly_nudge(desk: &Desk) -> Result<Option<u32>> {
    let now = desk.now();
    let n = &desk.config.settings.newbies;
    let due = latest_due(desk);
    if desk.db.nudge_run_recorded(due.date()).await? {
        return Ok(None);
    }
    let today = desk.today();
    let cooldown = chrono::Duration::days(i64::from(n.nudge_cooldown_days));
    let mut tx = desk.db.begin_write().await?;
    // Newbies only: the work follows them, not the pool.
    let selection = Selection {
        joined_since: today.checked_sub_signed(chrono::Duration::days(i64::from(n.period_days))),
        ..Selection::default()
    };
    let newbies = vpas::load_selected(&mut tx, &desk.config.catalog, &selection).await?;
    let mut items = Vec::new();
    for vpa in newbies
        .iter()
        .filter(|v| v.active && v.is_newbie(today, n.period_days))
        .filter(|v| !gaps_of(desk, v).is_empty())
    {
        let last = vpas::last_nudged_at(&mut tx, vpa.discord_id).await?;
        if last.is_some_and(|at| now - at < cooldown) {
            continue;
        }
        vpas::set_last_nudged(&mut tx, vpa.discord_id, now).await?;
        items.push(outbox::once(
            Intent::Direct {
                to: vpa.discord_id,
                message: DirectMessage::ProfileNudge {},
            },
            now,
        ));
    }
    let nudged = u32::try_from(items.len()).unwrap_or(u32::MAX);
    if !crate::db::newbies::record_nudge_run(&mut tx, due.date(), false, nudged, now).await? {
        return Ok(None);
    }
    outbox::enqueue_many(&mut tx, &items, now).await?;
    tx.commit().await?;
    if nudged > 0 {
        desk.ring_outbox();
    }
    tracing::info!(nudged, due = %due, "weekly nudge of newbies queued");
    Ok(Some(nudged))
}

/// The latest time the weekly nudge was due at (agency time).
fn latest_due(desk: &Desk) -> chrono::NaiveDateTime {
    let n = &desk.config.settings.newbies;
    let local = desk
        .now()
        .with_timezone(&desk.config.timezone)
        .naive_local();
    crate::domain::report::latest_digest(local, n.nudge_weekday, n.nudge_hour)
}

/// At the start, before any timer runs: on the first start of this version the latest due
/// time counts as done (the first nudge comes at its next time, not at once for a week gone).
pub async fn mark_first_start(desk: &Desk) -> Result<()> {
    let mut tx = desk.db.begin_write().await?;
    if !crate::db::newbies::any_nudge_run(&mut tx).await? {
        let due = latest_due(desk).date();
        crate::db::newbies::record_nudge_run(&mut tx, due, true, 0, desk.now()).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// What a nudge to `vpa` says is missing, at delivery; none when there is no profile.
pub async fn nudge_gaps(desk: &Desk, vpa: DiscordId) -> Result<Option<Vec<ProfileGap>>> {
    Ok(desk
        .db
        .get_vpa(&desk.config.catalog, vpa)
        .await?
        .map(|v| gaps_of(desk, &v)))
}

/// One page of the picker as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct PickerView {
    pub vpa: DiscordId,
    pub name: String,
    pub page: PickerPage,
    /// This page's place among all (from 0) and how many there are.
    pub position: usize,
    pub pages: usize,
    pub previous: Option<PickerPage>,
    pub next: Option<PickerPage>,
    /// The page's competences, with the level held (none: not held).
    pub offered: Vec<(CompetenceId, Option<Level>)>,
    /// What the profile lacks; empty when complete.
    pub gaps: Vec<ProfileGap>,
    /// Whether the one picking is the VPA.
    pub own: bool,
}

/// What a choice on a page did.
#[derive(Debug, Clone, PartialEq)]
pub struct Chosen {
    pub view: PickerView,
    /// Newly chosen, saved with basic knowledge: their levels are asked next.
    pub added: Vec<(CompetenceId, Level)>,
    /// Left unchosen though held: removed only after a confirmation.
    pub to_remove: Vec<CompetenceId>,
}

fn view_of(desk: &Desk, vpa: &Vpa, page: PickerPage, own: bool) -> PickerView {
    let catalog = &desk.config.catalog;
    let pages = picker_pages(catalog);
    let position = pages.iter().position(|p| *p == page).unwrap_or(0);
    let level = |id: CompetenceId| {
        vpa.competences
            .iter()
            .find(|c| c.competence == id)
            .map(|c| c.level)
    };
    PickerView {
        vpa: vpa.discord_id,
        name: vpa.name.as_str().to_string(),
        page,
        position,
        pages: pages.len(),
        previous: position.checked_sub(1).and_then(|i| pages.get(i)).copied(),
        next: pages.get(position + 1).copied(),
        offered: page_competences(catalog, page)
            .into_iter()
            .map(|c| (c.id, level(c.id)))
            .collect(),
        gaps: gaps_of(desk, vpa),
        own,
    }
}

/// The first page to show: the first area where the profile holds nothing (the back office
/// first), else the first.
fn first_page(desk: &Desk, vpa: &Vpa) -> Option<PickerPage> {
    let catalog = &desk.config.catalog;
    let pages = picker_pages(catalog);
    let holds = |page: &PickerPage| {
        vpa.competences
            .iter()
            .any(|c| catalog.get(c.competence).area == page.area)
    };
    pages.iter().find(|p| !holds(p)).or(pages.first()).copied()
}

/// The profile the picker works on; with `create`, one's own is created on first use.
async fn profile_for(desk: &Desk, vpa: DiscordId, name: &str, create: bool) -> Result<Vpa> {
    match profiles::profile(desk, vpa, name, create).await? {
        Some(saved) => Ok(saved.vpa),
        None => refuse(Refusal::NoProfile(vpa)),
    }
}

/// Opens the picker on `page` (none: where the profile has most to gain).
pub async fn open(
    desk: &Desk,
    vpa: DiscordId,
    name: &str,
    page: Option<PickerPage>,
    actor: Actor,
) -> Result<PickerView> {
    let profile = profile_for(desk, vpa, name, actor.id == vpa).await?;
    let page = match page.or_else(|| first_page(desk, &profile)) {
        Some(page) if picker_pages(&desk.config.catalog).contains(&page) => page,
        _ => return refuse(Refusal::UnknownButton),
    };
    Ok(view_of(desk, &profile, page, actor.id == vpa))
}

/// The competences a page offers, by the keys a select sent; a key the page does not offer
/// is refused (a forged or outdated select).
fn chosen_on(desk: &Desk, page: PickerPage, values: &[String]) -> Result<Vec<CompetenceId>> {
    let offered = page_competences(&desk.config.catalog, page);
    values
        .iter()
        .map(|value| {
            offered
                .iter()
                .find(|c| c.key == *value)
                .map(|c| c.id)
                .ok_or_else(|| {
                    Refusal::PickerUnknownValue {
                        value: value.clone(),
                    }
                    .into()
                })
        })
        .collect()
}

/// A choice on a page: the newly chosen are saved at once with basic knowledge; the held ones
/// left unchosen wait for a confirmation.
pub async fn choose(
    desk: &Desk,
    vpa: DiscordId,
    page: PickerPage,
    values: &[String],
    actor: Actor,
) -> Result<Chosen> {
    let chosen = chosen_on(desk, page, values)?;
    let mut profile = profile_for(desk, vpa, "", false).await?;
    let offered: Vec<CompetenceId> = page_competences(&desk.config.catalog, page)
        .iter()
        .map(|c| c.id)
        .collect();
    let held: Vec<CompetenceId> = profile.competences.iter().map(|c| c.competence).collect();
    let choice = page_choice(&offered, &held, &chosen);
    if !choice.added.is_empty() {
        let change = ProfileChange::AddCompetences(choice.added.clone());
        profile = profiles::change(desk, vpa, "", change, actor).await?.vpa;
    }
    Ok(Chosen {
        view: view_of(desk, &profile, page, actor.id == vpa),
        added: choice.added.iter().map(|c| (*c, Level::Basic)).collect(),
        to_remove: choice.removed,
    })
}

/// The level of one of the newly chosen competences (`chosen`: the keys of the level step,
/// `index`: which). A competence the profile does not hold (any more) is refused.
pub async fn set_level(
    desk: &Desk,
    vpa: DiscordId,
    page: PickerPage,
    chosen: &[String],
    index: usize,
    value: &str,
    actor: Actor,
) -> Result<Chosen> {
    let catalog = &desk.config.catalog;
    let Some(level) = value.parse::<Level>().ok() else {
        return refuse(Refusal::PickerUnknownValue {
            value: value.to_string(),
        });
    };
    let Some(key) = chosen.get(index) else {
        return refuse(Refusal::UnknownButton);
    };
    let Some(competence) = catalog.by_key(key).map(|c| c.id) else {
        return refuse(Refusal::PickerUnknownValue { value: key.clone() });
    };
    let profile = profile_for(desk, vpa, "", false).await?;
    if !profile
        .competences
        .iter()
        .any(|c| c.competence == competence)
    {
        return refuse(Refusal::PickerLevelNotChosen {
            competence: key.clone(),
        });
    }
    let change = ProfileChange::SetCompetence { competence, level };
    let profile = profiles::change(desk, vpa, "", change, actor).await?.vpa;
    let added = chosen
        .iter()
        .filter_map(|k| catalog.by_key(k))
        .filter_map(|c| {
            profile
                .competences
                .iter()
                .find(|h| h.competence == c.id)
                .map(|h| (c.id, h.level))
        })
        .collect();
    Ok(Chosen {
        view: view_of(desk, &profile, page, actor.id == vpa),
        added,
        to_remove: Vec::new(),
    })
}

/// Removes competences after the confirmation; then the page again.
pub async fn remove(
    desk: &Desk,
    vpa: DiscordId,
    page: PickerPage,
    keys: &[String],
    actor: Actor,
) -> Result<(PickerView, Vec<CompetenceId>)> {
    let removed = chosen_on(desk, page, keys)?;
    let profile = profile_for(desk, vpa, "", false).await?;
    let held: Vec<CompetenceId> = removed
        .into_iter()
        .filter(|c| profile.competences.iter().any(|h| h.competence == *c))
        .collect();
    let profile = if held.is_empty() {
        profile
    } else {
        let change = ProfileChange::RemoveCompetences(held.clone());
        profiles::change(desk, vpa, "", change, actor).await?.vpa
    };
    Ok((view_of(desk, &profile, page, actor.id == vpa), held))
}

/// "Fertig": the profile as it stands.
pub async fn done(desk: &Desk, vpa: DiscordId) -> Result<ProfileSaved> {
    match profiles::profile(desk, vpa, "", false).await? {
        Some(saved) => Ok(saved),
        None => refuse(Refusal::NoProfile(vpa)),
    }
}
