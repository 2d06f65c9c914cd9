//! `/task edit` and what follows from it: the task takes the new hours, deadline, competence,
//! new-client mark or description; who accepted or said "later" and no longer fits is told why
//! and their answer shows as outdated; who fits now and did not before is offered by a button;
//! the assignments follow the new hours and deadline; an edit that would put a VPA holding the
//! task over their weekly hours waits for a confirmation. Also the buttons that reach more VPAs:
//! the newly fitting, and the next wave of the fitting beyond the mentions so far.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::desk::{Act, Desk};
use super::error::{Refusal, Result, refuse};
use super::tasks::{direct, open_round, refresh_posts};
use crate::db::edits::{self as stored, PendingEdit};
use crate::db::outbox::{self, NewItem};
use crate::db::{surveys, tasks, vpas};
use crate::domain::ids::{DiscordId, PendingEditId, TaskId};
use crate::domain::outbox::DirectMessage;
use crate::domain::ranking::{RankedVpa, rank};
use crate::domain::reevaluation::{Around, Mismatch, OverHours, reevaluate};
use crate::domain::survey::{Answer, RoundKind};
use crate::domain::task::{StatusDetail, Task, TaskDraft, TaskProblem};

/// How long an edit waits for its confirmation.
pub const PENDING_MINUTES: i64 = 30;

/// What `/task edit` may change; none: unchanged. Kept as given while it waits for a
/// confirmation, so it is checked again as if typed then.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskEdit {
    /// As typed: `TT.MM.JJJJ` or `JJJJ-MM-TT`.
    pub deadline: Option<String>,
    pub hours: Option<f64>,
    /// A catalog key (the area, window and urgency follow it).
    pub competence: Option<String>,
    pub new_client: Option<bool>,
    pub description: Option<String>,
}

impl TaskEdit {
    fn is_empty(&self) -> bool {
        self.deadline.is_none()
            && self.hours.is_none()
            && self.competence.is_none()
            && self.new_client.is_none()
            && self.description.is_none()
    }
}

/// An edit that was saved, with what it changed for whom.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskEdited {
    pub task_id: TaskId,
    pub before: Task,
    pub after: Task,
    /// VPAs who fit the edited task (besides those holding it).
    pub fitting: usize,
    /// Accepted or said "later" and no longer fit: told by DM, with why.
    pub outdated: Vec<(DiscordId, Vec<Mismatch>)>,
    /// Fit now and did not before, not asked yet: offered by a button.
    pub newly_fitting: usize,
    /// VPAs holding the task; their assignments took the new hours and deadline.
    pub holders: Vec<DiscordId>,
    /// Holding the task and no longer fitting: told; the coordinator decides.
    pub holders_unfit: Vec<(DiscordId, Vec<Mismatch>)>,
    /// Put over their weekly hours, as confirmed.
    pub over_hours: Vec<OverHours>,
}

/// What became of an edit.
#[derive(Debug, Clone, PartialEq)]
pub enum EditOutcome {
    Saved(Box<TaskEdited>),
    /// It would put VPAs holding the task over their weekly hours: kept until `expires_at`,
    /// saved only when confirmed.
    Confirm {
        pending: PendingEditId,
        task_id: TaskId,
        over_hours: Vec<(OverHours, String)>,
        expires_at: DateTime<Utc>,
    },
}

/// `/task edit`: checks the edit like a new task, weighs it and saves it — or asks first.
#[tracing::instrument(skip_all, fields(%task_id, by = %act.by))]
pub async fn edit(desk: &Desk, task_id: TaskId, edit: &TaskEdit, act: &Act) -> Result<EditOutcome> {
    apply(desk, task_id, edit, act, None).await
}

/// A pending edit confirmed (saved, checked again as of now) or called off.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirmed {
    Saved(Box<TaskEdited>),
    Dropped(TaskId),
}

/// The coordinator's answer to an edit that waits for a confirmation.
#[tracing::instrument(skip_all, fields(%pending, by = %act.by))]
pub async fn confirm(
    desk: &Desk,
    pending: PendingEditId,
    confirmed: bool,
    act: &Act,
) -> Result<Confirmed> {
    let Some(stored) = desk.db.pending_edit(pending).await? else {
        return refuse(Refusal::UnknownButton);
    };
    let PendingEdit {
        task_id,
        expires_at,
        ..
    } = stored;
    if !stored.pending {
        return refuse(Refusal::EditSettled(task_id));
    }
    if !confirmed {
        let mut tx = desk.db.begin_write().await?;
        desk.mark_handled(&mut tx, act).await?;
        if !stored::settle_pending(&mut tx, pending, false).await? {
            return refuse(Refusal::EditSettled(task_id));
        }
        tx.commit().await?;
        return Ok(Confirmed::Dropped(task_id));
    }
    if expires_at < desk.now() {
        return refuse(Refusal::EditExpired {
            task: task_id,
            minutes: PENDING_MINUTES,
        });
    }
    let edit: TaskEdit = serde_json::from_str(&stored.edit)
        .map_err(|e| anyhow::anyhow!("pending edit {pending} unreadable: {e}"))?;
    match apply(desk, task_id, &edit, act, Some(pending)).await? {
        EditOutcome::Saved(edited) => Ok(Confirmed::Saved(edited)),
        EditOutcome::Confirm { .. } => Err(anyhow::anyhow!("a confirmed edit asked again").into()),
    }
}

/// Checks, weighs and saves an edit; `confirming`: the pending edit this saves.
async fn apply(
    desk: &Desk,
    task_id: TaskId,
    edit: &TaskEdit,
    act: &Act,
    confirming: Option<PendingEditId>,
) -> Result<EditOutcome> {
    let catalog = &desk.config.catalog;
    let Some(task) = desk.db.get_task(catalog, task_id).await? else {
        return refuse(Refusal::UnknownTask(task_id));
    };
    if task.status.is_final() {
        return refuse(Refusal::WrongStatus {
            task: task_id,
            status: task.status,
        });
    }
    if edit.is_empty() {
        return refuse(Refusal::EditNothing);
    }
    let after = edited_task(desk, &task, edit)?;
    if StatusDetail::edited(&task, &after, catalog).is_unchanged_edit() {
        return refuse(Refusal::EditUnchanged(task_id));
    }
    // Read and weigh before the write lock: the holders of the competence, who answered and who
    // holds the task — the read follows the task.
    let survey = desk.db.task_survey(task_id).await?;
    let holding = desk.db.held_commitments(task_id).await?;
    let answers: Vec<(DiscordId, Answer)> = survey
        .latest
        .iter()
        .map(|a| (a.vpa, a.answer.clone()))
        .collect();
    let selection = vpas::Selection {
        holding: vec![after.competence],
        ids: answers
            .iter()
            .map(|(v, _)| *v)
            .chain(holding.iter().map(|(v, _)| *v))
            .collect(),
        joined_since: None,
        except_task: Some(task_id),
    };
    let people = desk.db.load_selected(catalog, &selection).await?;
    let invited: HashSet<DiscordId> = survey.surveyed.iter().copied().collect();
    let today = desk.today();
    let (before_offer, after_offer) = (task.offer(), after.offer());
    let weighed = reevaluate(
        &before_offer,
        &after_offer,
        &Around {
            people: &people,
            answers: &answers,
            invited: &invited,
            holding: &holding,
        },
        today,
    );
    let now = desk.now();
    if !weighed.over_hours.is_empty() && confirming.is_none() {
        let text = serde_json::to_string(edit).map_err(anyhow::Error::from)?;
        let expires_at = now + Duration::minutes(PENDING_MINUTES);
        let mut tx = desk.db.begin_write().await?;
        desk.mark_handled(&mut tx, act).await?;
        let pending =
            stored::insert_pending(&mut tx, task_id, &text, act.by, now, expires_at).await?;
        tx.commit().await?;
        let name = |vpa: DiscordId| {
            people
                .iter()
                .find(|p| p.discord_id == vpa)
                .map_or_else(String::new, |p| p.name.clone())
        };
        return Ok(EditOutcome::Confirm {
            pending,
            task_id,
            over_hours: weighed
                .over_hours
                .into_iter()
                .map(|o| {
                    let n = name(o.vpa);
                    (o, n)
                })
                .collect(),
            expires_at,
        });
    }
    let change = StatusDetail::edited(&task, &after, catalog);
    let mut tx = desk.db.begin_write().await?;
    desk.mark_handled(&mut tx, act).await?;
    if let Some(pending) = confirming
        && !stored::settle_pending(&mut tx, pending, true).await?
    {
        return refuse(Refusal::EditSettled(task_id));
    }
    // Weighed on what was read: if the task changed in between, weigh again.
    if tasks::get_task(&mut tx, catalog, task_id).await?.as_ref() != Some(&task) {
        return refuse(Refusal::ChangedMeanwhile(task_id));
    }
    let competence_key = &catalog.get(after.competence).key;
    tasks::update_details(
        &mut tx,
        task_id,
        &tasks::TaskDetailsUpdate {
            deadline: after.deadline,
            hours: after.hours,
            description: after.description.as_deref(),
            competence: competence_key,
            area: after.area,
            new_client: after.new_client,
        },
        now,
    )
    .await?;
    let holders: Vec<DiscordId> = holding.iter().map(|(v, _)| *v).collect();
    if !holders.is_empty() {
        tasks::follow_edit(&mut tx, task_id, after.hours, after.deadline).await?;
    }
    let end = desk.end_of_day(after.deadline);
    for (round_id, opened_at) in surveys::open_rounds_of_task(&mut tx, task_id).await? {
        let closes_at = (opened_at + desk.config.survey_window(after.area)).min(end);
        surveys::set_closes_at(&mut tx, round_id, closes_at).await?;
    }
    let mut items: Vec<NewItem> = Vec::new();
    for (vpa, reasons) in &weighed.outdated {
        stored::mark_outdated(&mut tx, task_id, *vpa, reasons, now).await?;
        let message = DirectMessage::AnswerOutdated {
            task_id,
            reasons: reasons.clone(),
        };
        items.push(direct(*vpa, message, now));
    }
    stored::clear_outdated(&mut tx, task_id, &weighed.still_fitting).await?;
    let newly: Vec<DiscordId> = weighed.newly_fitting.iter().map(|r| r.discord_id).collect();
    stored::add_newly_fitting(&mut tx, task_id, &newly, now).await?;
    // Those holding it hear what changed about their work (not a new description alone).
    let touches_holders = matches!(
        &change,
        StatusDetail::Edited { deadline, hours, competence, new_client, .. }
            if deadline.is_some() || hours.is_some() || competence.is_some() || new_client.is_some()
    );
    if touches_holders {
        for vpa in &holders {
            let unfit = weighed
                .holders_unfit
                .iter()
                .find(|(v, _)| v == vpa)
                .map(|(_, why)| why.clone())
                .unwrap_or_default();
            let message = DirectMessage::HeldTaskChanged {
                task_id,
                change: change.clone(),
                unfit,
            };
            items.push(direct(*vpa, message, now));
        }
    }
    outbox::enqueue_many(&mut tx, &items, now).await?;
    refresh_posts(&mut tx, task_id, now).await?;
    super::escalation::refresh_notice(&mut tx, task_id, now).await?;
    tasks::record_detail(&mut tx, task_id, task.status, change, Some(act.by), now).await?;
    tx.commit().await?;
    desk.ring_outbox();
    desk.ring_timers();
    if !holders.is_empty() {
        desk.pool_changed();
    }
    let newly_fitting = desk.db.newly_fitting(task_id).await?.len();
    let fitting = rank(&people, &after_offer, today)
        .fitting
        .iter()
        .filter(|r| !holders.contains(&r.discord_id))
        .count();
    Ok(EditOutcome::Saved(Box::new(TaskEdited {
        task_id,
        before: task,
        after,
        fitting,
        outdated: weighed.outdated,
        newly_fitting,
        holders,
        holders_unfit: weighed.holders_unfit,
        over_hours: weighed.over_hours,
    })))
}

/// The task as the edit would leave it, checked by the same rules as a new task (with the
/// stored values for what is unchanged); nothing is written for a bad edit.
fn edited_task(desk: &Desk, task: &Task, edit: &TaskEdit) -> Result<Task> {
    let catalog = &desk.config.catalog;
    let draft = TaskDraft {
        client: task.client.clone(),
        competence: edit
            .competence
            .clone()
            .unwrap_or_else(|| catalog.get(task.competence).key.clone()),
        hours: edit.hours.unwrap_or(task.hours),
        deadline: edit
            .deadline
            .clone()
            .unwrap_or_else(|| task.deadline.format("%Y-%m-%d").to_string()),
        new_client: Some(edit.new_client.unwrap_or(task.new_client)),
        recurring: task.recurring,
        description: edit.description.clone().or(task.description.clone()),
    };
    let today = desk.today();
    // A deadline left as it was may lie in the past already; only a new one must not.
    let valid = draft
        .validate(
            catalog,
            today.min(task.deadline),
            &desk.config.task_limits(),
        )
        .map_err(Refusal::InvalidTask)?;
    if edit.deadline.is_some() && valid.deadline < today {
        return refuse(Refusal::InvalidTask(vec![TaskProblem::DeadlineInPast {
            deadline: valid.deadline,
            today,
        }]));
    }
    Ok(Task {
        deadline: valid.deadline,
        hours: valid.hours,
        description: valid.description,
        competence: valid.competence,
        area: valid.area,
        new_client: valid.new_client.unwrap_or(task.new_client),
        ..task.clone()
    })
}

/// VPAs asked by a button: how many, in which round.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    pub task_id: TaskId,
    pub asked: usize,
    /// Fitting VPAs still not asked after this (reached by the next press).
    pub left: usize,
}

/// "Neu Passende anfragen": the VPAs an edit made fit, who still fit and were not asked, get a
/// post of their own (once: a second press finds nobody).
#[tracing::instrument(skip_all, fields(%task_id, by = %act.by))]
pub async fn ask_newly_fitting(desk: &Desk, task_id: TaskId, act: &Act) -> Result<Asked> {
    let catalog = &desk.config.catalog;
    let task = open_task(desk, task_id).await?;
    let candidates = desk.db.newly_fitting(task_id).await?;
    let profiles = desk
        .db
        .load_selected(catalog, &vpas::Selection::of(candidates.iter().copied()))
        .await?;
    let ranked = rank(&profiles, &task.offer(), desk.today()).fitting;
    let gone: Vec<DiscordId> = candidates
        .iter()
        .copied()
        .filter(|c| !ranked.iter().any(|r| r.discord_id == *c))
        .collect();
    let (asked, left) = ask(desk, &task, ranked, act, Some(&gone)).await?;
    if asked == 0 {
        return refuse(Refusal::NobodyNewlyFitting(task_id));
    }
    Ok(Asked {
        task_id,
        asked,
        left,
    })
}

/// "Weitere anfragen": the next fitting VPAs no round mentioned, up to `survey.max_mentions`,
/// get a post of their own.
#[tracing::instrument(skip_all, fields(%task_id, by = %act.by))]
pub async fn ask_next_wave(desk: &Desk, task_id: TaskId, act: &Act) -> Result<Asked> {
    let task = open_task(desk, task_id).await?;
    let fitting = super::ranked_holders(desk, &task).await?;
    let (asked, left) = ask(desk, &task, fitting, act, None).await?;
    if asked == 0 {
        return refuse(Refusal::NobodyFurther(task_id));
    }
    Ok(Asked {
        task_id,
        asked,
        left,
    })
}

/// The task, refused unless it is open demand.
async fn open_task(desk: &Desk, task_id: TaskId) -> Result<Task> {
    let Some(task) = desk.db.get_task(&desk.config.catalog, task_id).await? else {
        return refuse(Refusal::UnknownTask(task_id));
    };
    if !task.status.is_open_demand() {
        return refuse(Refusal::WrongStatus {
            task: task_id,
            status: task.status,
        });
    }
    Ok(task)
}

/// Opens a round for the best of `fitting` that no round of the task mentioned (checked inside
/// the write, so two presses at once ask nobody twice). Asking the newly fitting, those asked
/// and those `gone` (no longer fitting) leave that list in the same write. Returns how many
/// were asked and how many fitting are left unasked.
async fn ask(
    desk: &Desk,
    task: &Task,
    fitting: Vec<RankedVpa>,
    act: &Act,
    newly_fitting_gone: Option<&[DiscordId]>,
) -> Result<(usize, usize)> {
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    desk.mark_handled(&mut tx, act).await?;
    let current = tasks::get_task(&mut tx, &desk.config.catalog, task.id).await?;
    if let Some(current) = current.as_ref().filter(|t| !t.status.is_open_demand()) {
        return refuse(Refusal::WrongStatus {
            task: task.id,
            status: current.status,
        });
    }
    let invited = surveys::invited_to_task(&mut tx, task.id).await?;
    let mut unasked: Vec<RankedVpa> = fitting
        .into_iter()
        .filter(|r| !invited.contains(&r.discord_id))
        .collect();
    let cap = desk.config.settings.survey.max_mentions;
    let left = unasked.len().saturating_sub(cap);
    unasked.truncate(cap);
    if !unasked.is_empty() {
        open_round(
            &mut tx,
            desk,
            current.as_ref().unwrap_or(task),
            RoundKind::First,
            task.competence,
            &unasked,
            Some(act.by),
            now,
        )
        .await?;
    }
    let asked: Vec<DiscordId> = unasked.iter().map(|r| r.discord_id).collect();
    if let Some(gone) = newly_fitting_gone {
        let forget: Vec<DiscordId> = asked.iter().chain(gone).copied().collect();
        stored::remove_newly_fitting(&mut tx, task.id, &forget).await?;
    }
    tx.commit().await?;
    desk.ring_outbox();
    Ok((asked.len(), left))
}
