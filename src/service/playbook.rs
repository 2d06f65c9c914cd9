//! The fallback playbook ("Was tun, wenn du keinen VPA findest?"): its options computed from the
//! data, and its one-click actions — an extended survey, re-asking illogical decliners, a round
//! under a related competence, nudging newbies, splitting a large task.

use anyhow::Context;
use chrono::Duration;

use super::desk::{Act, Desk};
use super::error::{Refusal, Result, refuse};
use super::tasks::{direct, open_round};
use crate::db::outbox::{self, NewItem};
use crate::db::{surveys, tasks, vpas};
use crate::domain::competence::{CompetenceId, Level};
use crate::domain::ids::{DiscordId, TaskId};
use crate::domain::outbox::DirectMessage;
use crate::domain::playbook::{Playbook, PlaybookRules, compute};
use crate::domain::ranking::{RankedVpa, rank};
use crate::domain::survey::{Answer, RoundKind, RoundOutcome};
use crate::domain::task::{StatusDetail, Task, TaskStatus, ValidTask};
use crate::domain::utilization::utilization;

/// The rules from the configuration.
pub fn rules(desk: &Desk) -> PlaybookRules {
    let s = &desk.config.settings;
    PlaybookRules {
        large_hours: s.tasks.large_hours,
        standard_hours: s.tasks.standard_hours,
        illogical_below: s.playbook.illogical_decline_below_utilization,
        newbie_days: s.newbies.period_days,
    }
}

/// The latest answer of each VPA over all rounds of a task, and everyone surveyed.
async fn answers_of_task(
    desk: &Desk,
    task_id: TaskId,
) -> Result<(Vec<(DiscordId, Answer)>, Vec<DiscordId>)> {
    let survey = desk.db.task_survey(task_id).await?;
    let mut latest: Vec<(DiscordId, Answer)> = survey
        .latest
        .into_iter()
        .map(|a| (a.vpa, a.answer))
        .collect();
    latest.sort_by_key(|(vpa, _)| *vpa);
    Ok((latest, survey.surveyed))
}

/// The playbook of a task.
pub async fn playbook(desk: &Desk, task: &Task) -> Result<Playbook> {
    let (answers, surveyed) = answers_of_task(desk, task.id).await?;
    let pool = concerned(desk, task, answers.iter().map(|(vpa, _)| *vpa)).await?;
    Ok(compute(
        task,
        &pool,
        &answers,
        &surveyed,
        &desk.config.catalog,
        &rules(desk),
        desk.today(),
    ))
}

/// The VPAs the playbook of `task` can name — the area's (the task's competence, its related
/// ones and the area's others, for training), the newbies and those who answered — read by
/// indexed lookups: the work follows the task, not the pool.
async fn concerned(
    desk: &Desk,
    task: &Task,
    answerers: impl IntoIterator<Item = DiscordId>,
) -> Result<Vec<crate::domain::vpa::Vpa>> {
    let catalog = &desk.config.catalog;
    let mut holding: Vec<CompetenceId> = vec![task.competence];
    holding.extend(catalog.get(task.competence).related.iter().copied());
    holding.extend(catalog.in_area(task.area).map(|c| c.id));
    holding.sort_unstable();
    holding.dedup();
    let period = i64::from(desk.config.settings.newbies.period_days);
    let selection = vpas::Selection {
        holding,
        ids: answerers.into_iter().collect(),
        joined_since: desk
            .today()
            .checked_sub_signed(chrono::Duration::days(period)),
        except_task: None,
    };
    Ok(desk.db.load_selected(catalog, &selection).await?)
}

/// A one-click action of the playbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaybookAction {
    /// Option 1: survey those who fit and were not asked yet (no room in the earlier posts), and
    /// the VPAs with the competence who don't want new clients or tasks.
    Extend,
    /// Option 1b: a polite DM to each illogical decliner.
    Reask,
    /// Option 3: a new round under a related competence.
    Related(CompetenceId),
    /// Option 4: nudge the newbies to complete their competences.
    Nudge,
    /// Option 5: split a large task.
    Split,
    /// Option 7: give the task to an external provider (it leaves open demand).
    External,
}

/// What an action did.
#[derive(Debug, Clone, PartialEq)]
pub enum PlaybookDone {
    Extended {
        task_id: TaskId,
        surveyed: usize,
    },
    Related {
        task_id: TaskId,
        competence: CompetenceId,
        surveyed: usize,
    },
    Reasked {
        task_id: TaskId,
        asked: usize,
    },
    /// `cooling`: newbies left alone, nudged within the cool-down.
    Nudged {
        nudged: usize,
        cooling: usize,
    },
    Split {
        task_id: TaskId,
        parts: Vec<(TaskId, f64)>,
    },
    External {
        task_id: TaskId,
    },
}

/// Runs a playbook action on a task.
#[tracing::instrument(skip_all, fields(%task_id, ?action, by = %act.by))]
pub async fn run(
    desk: &Desk,
    task_id: TaskId,
    action: PlaybookAction,
    act: &Act,
) -> Result<PlaybookDone> {
    let Some(task) = desk.db.get_task(&desk.config.catalog, task_id).await? else {
        return refuse(Refusal::UnknownTask(task_id));
    };
    // Nudging helps the pool whatever became of the task; everything else needs open demand.
    if action != PlaybookAction::Nudge && !task.status.is_open_demand() {
        return refuse(Refusal::WrongStatus {
            task: task_id,
            status: task.status,
        });
    }
    match action {
        PlaybookAction::Extend => extend_round(desk, &task, act).await,
        PlaybookAction::Reask => reask_decliners(desk, &task, act).await,
        PlaybookAction::Related(competence) => related_round(desk, &task, competence, act).await,
        PlaybookAction::Nudge => nudge_newbies(desk, &task, act).await,
        PlaybookAction::Split => split_task(desk, &task, act).await,
        PlaybookAction::External => {
            // The status change is checked against the stored state in its transaction.
            super::tasks::close(desk, task.id, TaskStatus::External, None, act).await?;
            Ok(PlaybookDone::External { task_id: task.id })
        }
    }
}

async fn extend_round(desk: &Desk, task: &Task, act: &Act) -> Result<PlaybookDone> {
    let book = playbook(desk, task).await?;
    if book.extend_count() == 0 {
        return refuse(Refusal::NobodyForAction);
    }
    let people = book.unasked.iter().chain(&book.extend).copied();
    let pool = desk
        .db
        .load_selected(&desk.config.catalog, &vpas::Selection::of(people))
        .await?;
    let today = desk.today();
    // Those who fit and had no room in the earlier posts come first, in their ranking; then
    // those who would rather not take new clients or tasks, least utilized first.
    let mut unwilling: Vec<RankedVpa> = pool
        .iter()
        .filter(|v| book.extend.contains(&v.discord_id))
        .map(|v| RankedVpa {
            discord_id: v.discord_id,
            level: v.level_in(task.competence).unwrap_or(Level::Basic),
            utilization: utilization(&v.commitments, v.weekly_hours, today).unwrap_or(0.0),
        })
        .collect();
    unwilling.sort_by(crate::domain::ranking::compare);
    let mut audience: Vec<RankedVpa> = book
        .unasked
        .iter()
        .filter_map(|id| pool.iter().find(|v| v.discord_id == *id))
        .map(|v| RankedVpa {
            discord_id: v.discord_id,
            level: v.level_in(task.competence).unwrap_or(Level::Basic),
            utilization: utilization(&v.commitments, v.weekly_hours, today).unwrap_or(0.0),
        })
        .collect();
    audience.extend(unwilling);
    audience.truncate(desk.config.settings.survey.max_mentions);
    let surveyed = further_round(
        desk,
        task,
        RoundKind::Extended,
        task.competence,
        &audience,
        act,
    )
    .await?;
    Ok(PlaybookDone::Extended {
        task_id: task.id,
        surveyed,
    })
}

/// Opens a further round of the task and updates the manager's notice, in one transaction.
async fn further_round(
    desk: &Desk,
    task: &Task,
    kind: RoundKind,
    competence: CompetenceId,
    audience: &[RankedVpa],
    act: &Act,
) -> Result<usize> {
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    desk.mark_handled(&mut tx, act).await?;
    // Checked against what is stored, inside the write: a second press (or two at once)
    // finds everyone asked already and opens nothing.
    let current = tasks::get_task(&mut tx, &desk.config.catalog, task.id)
        .await?
        .ok_or(Refusal::UnknownTask(task.id))?;
    if !current.status.is_open_demand() {
        return refuse(Refusal::WrongStatus {
            task: task.id,
            status: current.status,
        });
    }
    let invited = surveys::invited_to_task(&mut tx, task.id).await?;
    let audience: Vec<RankedVpa> = audience
        .iter()
        .filter(|r| !invited.contains(&r.discord_id))
        .copied()
        .collect();
    if audience.is_empty() {
        return refuse(Refusal::NobodyForAction);
    }
    open_round(
        &mut tx,
        desk,
        task,
        kind,
        competence,
        &audience,
        Some(act.by),
        now,
    )
    .await?;
    super::escalation::refresh_notice(&mut tx, task.id, now).await?;
    tx.commit().await?;
    desk.ring_outbox();
    Ok(audience.len())
}

async fn related_round(
    desk: &Desk,
    task: &Task,
    competence: CompetenceId,
    act: &Act,
) -> Result<PlaybookDone> {
    let (_, surveyed) = answers_of_task(desk, task.id).await?;
    let offer = crate::domain::task::Offer {
        competence,
        ..task.offer()
    };
    let mut audience: Vec<RankedVpa> = super::rank_holders(desk, &offer)
        .await?
        .ranking
        .fitting
        .into_iter()
        .filter(|r| !surveyed.contains(&r.discord_id))
        .collect();
    audience.truncate(desk.config.settings.survey.max_mentions);
    if audience.is_empty() {
        return refuse(Refusal::NobodyForAction);
    }
    let surveyed =
        further_round(desk, task, RoundKind::Related, competence, &audience, act).await?;
    Ok(PlaybookDone::Related {
        task_id: task.id,
        competence,
        surveyed,
    })
}

async fn reask_decliners(desk: &Desk, task: &Task, act: &Act) -> Result<PlaybookDone> {
    let book = playbook(desk, task).await?;
    if book.illogical_decliners.is_empty() {
        return refuse(Refusal::NobodyForAction);
    }
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    desk.mark_handled(&mut tx, act).await?;
    let mut items: Vec<NewItem> = Vec::new();
    for vpa in &book.illogical_decliners {
        // The accept button answers in the round where they declined.
        let round_id = surveys::latest_decline_round(&mut tx, task.id, *vpa).await?;
        // At most once per round, whoever presses and however often.
        if let Some(round) = round_id
            && !surveys::record_reask(&mut tx, round, *vpa, act.by, now).await?
        {
            continue;
        }
        let message = DirectMessage::ReaskDecliner {
            task_id: task.id,
            round_id,
        };
        items.push(direct(*vpa, message, now));
    }
    if items.is_empty() {
        return refuse(Refusal::AlreadyDone);
    }
    outbox::enqueue_many(&mut tx, &items, now).await?;
    tx.commit().await?;
    desk.ring_outbox();
    Ok(PlaybookDone::Reasked {
        task_id: task.id,
        asked: items.len(),
    })
}

async fn nudge_newbies(desk: &Desk, task: &Task, act: &Act) -> Result<PlaybookDone> {
    let book = playbook(desk, task).await?;
    if book.newbies.is_empty() {
        return refuse(Refusal::NobodyForAction);
    }
    let now = desk.now();
    let cooldown = Duration::days(i64::from(desk.config.settings.newbies.nudge_cooldown_days));
    let mut tx = desk.db.begin_write().await?;
    desk.mark_handled(&mut tx, act).await?;
    let (mut nudged, mut cooling) = (0, 0);
    let mut items = Vec::new();
    for vpa in &book.newbies {
        let last = vpas::last_nudged_at(&mut tx, *vpa).await?;
        if last.is_some_and(|at| now - at < cooldown) {
            cooling += 1;
            continue;
        }
        vpas::set_last_nudged(&mut tx, *vpa, now).await?;
        items.push(direct(
            *vpa,
            DirectMessage::NewbieNudge { area: task.area },
            now,
        ));
        nudged += 1;
    }
    outbox::enqueue_many(&mut tx, &items, now).await?;
    tx.commit().await?;
    desk.ring_outbox();
    Ok(PlaybookDone::Nudged { nudged, cooling })
}

async fn split_task(desk: &Desk, task: &Task, act: &Act) -> Result<PlaybookDone> {
    let Some(parts) = playbook(desk, task).await?.split else {
        return refuse(Refusal::NotLarge {
            task: task.id,
            large_hours: desk.config.settings.tasks.large_hours,
        });
    };
    let catalog = &desk.config.catalog;
    let (now, today) = (desk.now(), desk.today());
    // Read before the write lock; the parts are ranked against it inside.
    let pool = desk
        .db
        .load_selected(catalog, &vpas::Selection::holders(task.competence))
        .await?;
    let mut tx = desk.db.begin_write().await?;
    desk.mark_handled(&mut tx, act).await?;
    // Once: a second press (or two at once) finds the parts and makes none.
    if tasks::has_parts(&mut tx, task.id).await? {
        return refuse(Refusal::AlreadySplit(task.id));
    }
    let current = tasks::get_task(&mut tx, catalog, task.id).await?;
    if let Some(current) = current.filter(|t| !t.status.is_open_demand()) {
        return refuse(Refusal::WrongStatus {
            task: task.id,
            status: current.status,
        });
    }
    let mut made = Vec::new();
    for hours in &parts {
        // A part keeps the task's description; `present` says which part of which task it is.
        let valid = ValidTask {
            client: task.client.clone(),
            competence: task.competence,
            area: task.area,
            hours: *hours,
            deadline: task.deadline,
            new_client: Some(task.new_client),
            recurring: task.recurring,
            description: task.description.clone(),
        };
        let origin = tasks::TaskOrigin {
            client_id: task.client_id,
            new_client: task.new_client,
            parent_task_id: Some(task.id),
            created_by: Some(act.by),
        };
        let part_id = tasks::insert_task(&mut tx, catalog, &valid, origin, now).await?;
        let part = tasks::get_task(&mut tx, catalog, part_id)
            .await?
            .context("the part just stored")?;
        let mut ranking = rank(&pool, &part.offer(), today).fitting;
        ranking.truncate(desk.config.settings.survey.max_mentions);
        open_round(
            &mut tx,
            desk,
            &part,
            RoundKind::Split,
            part.competence,
            &ranking,
            Some(act.by),
            now,
        )
        .await?;
        made.push((part_id, *hours));
    }
    let detail = StatusDetail::Split {
        parts: made.iter().map(|(id, _)| *id).collect(),
    };
    // The parent is final from now on: its parts are the demand, so it is neither open demand
    // nor assignable, and its own rounds are settled.
    tasks::set_status(
        &mut tx,
        task.id,
        TaskStatus::Split,
        &tasks::Why::detail(detail),
        Some(act.by),
        now,
    )
    .await?;
    surveys::close_open_rounds_of_task(&mut tx, task.id, RoundOutcome::Settled, now).await?;
    super::tasks::refresh_posts(&mut tx, task.id, now).await?;
    super::escalation::refresh_notice(&mut tx, task.id, now).await?;
    tx.commit().await?;
    desk.ring_outbox();
    Ok(PlaybookDone::Split {
        task_id: task.id,
        parts: made,
    })
}
