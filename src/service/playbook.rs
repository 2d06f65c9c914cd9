//! The fallback playbook's data and its one-click actions: an extended survey, re-asking
//! illogical decliners, a round under a related competence, nudging newbies, splitting a large
//! task, editing the task (a later deadline), and the chat templates for the client.

use std::collections::BTreeMap;

use anyhow::Context;
use chrono::Duration;

use super::desk::Desk;
use super::tasks::open_round;
use crate::db::outbox::{DmButton, Intent, enqueue};
use crate::db::{tasks, vpas};
use crate::domain::competence::CompetenceId;
use crate::domain::dates::german;
use crate::domain::ids::DiscordId;
use crate::domain::playbook::{Playbook, PlaybookRules, compute};
use crate::domain::ranking::{RankedVpa, rank};
use crate::domain::survey::{Answer, RoundKind};
use crate::domain::task::{Task, TaskStatus, ValidTask};
use crate::domain::utilization::utilization;
use crate::messages;

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
    task_id: i64,
) -> anyhow::Result<(Vec<(DiscordId, Answer)>, Vec<DiscordId>)> {
    let mut latest: BTreeMap<DiscordId, (chrono::DateTime<chrono::Utc>, Answer)> = BTreeMap::new();
    let mut surveyed = Vec::new();
    let rounds = desk.db.rounds_of_task(task_id).await?;
    for round in &rounds {
        for invitee in desk.db.invitees(round.id).await? {
            if !surveyed.contains(&invitee) {
                surveyed.push(invitee);
            }
        }
        for a in desk.db.answers(round.id).await? {
            if latest
                .get(&a.vpa)
                .is_none_or(|(at, _)| *at <= a.answered_at)
            {
                latest.insert(a.vpa, (a.answered_at, a.answer));
            }
        }
    }
    Ok((
        latest.into_iter().map(|(v, (_, a))| (v, a)).collect(),
        surveyed,
    ))
}

/// The playbook of a task.
pub async fn playbook(desk: &Desk, task: &Task) -> anyhow::Result<Playbook> {
    let pool = desk.db.load_pool(&desk.config.catalog).await?;
    let (answers, surveyed) = answers_of_task(desk, task.id).await?;
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

/// What a playbook action did, as the private reply says it.
pub type ActionResult = Result<String, String>;

async fn open_task(desk: &Desk, task_id: i64) -> anyhow::Result<Result<Task, String>> {
    let Some(task) = desk.db.get_task(&desk.config.catalog, task_id).await? else {
        return Ok(Err(messages::task_refusal(
            &super::tasks::TaskRefusal::UnknownTask(task_id),
        )));
    };
    if !task.status.is_open_demand() {
        return Ok(Err(messages::task_refusal(
            &super::tasks::TaskRefusal::WrongStatus {
                task_id,
                status: task.status,
            },
        )));
    }
    Ok(Ok(task))
}

/// Option 1: an extended round that mentions only the VPAs with the competence who don't want
/// new clients or tasks (least utilized first).
pub async fn extend_round(
    desk: &Desk,
    task_id: i64,
    by: DiscordId,
) -> anyhow::Result<ActionResult> {
    let task = match open_task(desk, task_id).await? {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let book = playbook(desk, &task).await?;
    if book.extend.is_empty() {
        return Ok(Err(messages::PLAYBOOK_NOBODY.into()));
    }
    let pool = desk.db.load_pool(&desk.config.catalog).await?;
    let today = desk.today();
    let mut audience: Vec<RankedVpa> = pool
        .iter()
        .filter(|v| book.extend.contains(&v.discord_id))
        .map(|v| RankedVpa {
            discord_id: v.discord_id,
            level: v
                .level_in(task.competence)
                .unwrap_or(crate::domain::competence::Level::Basic),
            utilization: utilization(&v.commitments, v.weekly_hours, today).unwrap_or(0.0),
        })
        .collect();
    audience.sort_by(crate::domain::ranking::compare);
    audience.truncate(desk.config.settings.survey.max_mentions);
    further_round(
        desk,
        &task,
        RoundKind::Extended,
        task.competence,
        &audience,
        by,
    )
    .await?;
    Ok(Ok(messages::extended_round_started(
        task_id,
        audience.len(),
    )))
}

/// Opens a further round of the task and updates the manager's notice, in one transaction.
async fn further_round(
    desk: &Desk,
    task: &Task,
    kind: RoundKind,
    competence: CompetenceId,
    audience: &[RankedVpa],
    by: DiscordId,
) -> anyhow::Result<()> {
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    open_round(
        &mut tx,
        desk,
        task,
        kind,
        competence,
        audience,
        Some(by),
        now,
    )
    .await?;
    super::escalation::refresh_notice(&mut tx, task.id, now).await?;
    tx.commit().await?;
    desk.ring_outbox();
    Ok(())
}

/// Option 3: a new round under a related competence.
pub async fn related_round(
    desk: &Desk,
    task_id: i64,
    competence: CompetenceId,
    by: DiscordId,
) -> anyhow::Result<ActionResult> {
    let task = match open_task(desk, task_id).await? {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let pool = desk.db.load_pool(&desk.config.catalog).await?;
    let (_, surveyed) = answers_of_task(desk, task_id).await?;
    let offer = crate::domain::task::Offer {
        competence,
        ..task.offer()
    };
    let mut audience: Vec<RankedVpa> = rank(&pool, &offer, desk.today())
        .fitting
        .into_iter()
        .filter(|r| !surveyed.contains(&r.discord_id))
        .collect();
    audience.truncate(desk.config.settings.survey.max_mentions);
    if audience.is_empty() {
        return Ok(Err(messages::PLAYBOOK_NOBODY.into()));
    }
    further_round(desk, &task, RoundKind::Related, competence, &audience, by).await?;
    Ok(Ok(messages::related_round_started(
        task_id,
        &desk.config.catalog.get(competence).name,
        audience.len(),
    )))
}

/// Option 1b: a polite DM to each illogical decliner, with the accept button of the last post.
pub async fn reask_decliners(desk: &Desk, task_id: i64) -> anyhow::Result<ActionResult> {
    let task = match open_task(desk, task_id).await? {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let book = playbook(desk, &task).await?;
    if book.illogical_decliners.is_empty() {
        return Ok(Err(messages::PLAYBOOK_NOBODY.into()));
    }
    let competence = desk.config.catalog.get(task.competence).name.clone();
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    for vpa in &book.illogical_decliners {
        // The accept button answers in the round where they declined.
        let round: Option<i64> = sqlx::query_scalar(
            "SELECT a.round_id FROM survey_answers a JOIN survey_rounds r ON r.id = a.round_id \
             WHERE r.task_id = ? AND a.vpa_id = ? AND a.answer = 'decline' ORDER BY a.answered_at DESC LIMIT 1",
        )
        .bind(task_id)
        .bind(vpa.to_db())
        .fetch_optional(&mut *tx)
        .await?;
        let buttons = round
            .map(|r| {
                vec![DmButton {
                    custom_id: format!("sv:a:{r}"),
                    label: messages::BUTTON_ACCEPT.into(),
                }]
            })
            .unwrap_or_default();
        let text = messages::reask_decliner(&task, &competence);
        enqueue(
            &mut tx,
            &Intent::Dm {
                user_id: vpa.0,
                text,
                buttons,
            },
            None,
            now,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    desk.ring_outbox();
    Ok(Ok(messages::reasked(
        task_id,
        book.illogical_decliners.len(),
    )))
}

/// Option 4: nudges the task's newbies (DM, or the newbies channel when DMs are refused), at
/// most once per cool-down per VPA.
pub async fn nudge_newbies(desk: &Desk, task_id: i64) -> anyhow::Result<ActionResult> {
    let Some(task) = desk.db.get_task(&desk.config.catalog, task_id).await? else {
        return Ok(Err(messages::task_refusal(
            &super::tasks::TaskRefusal::UnknownTask(task_id),
        )));
    };
    let book = playbook(desk, &task).await?;
    if book.newbies.is_empty() {
        return Ok(Err(messages::PLAYBOOK_NOBODY.into()));
    }
    let now = desk.now();
    let cooldown = Duration::days(desk.config.settings.newbies.nudge_cooldown_days as i64);
    let area = task.area;
    let mut tx = desk.db.begin_write().await?;
    let (mut nudged, mut cooling) = (0, 0);
    for vpa in &book.newbies {
        let last: Option<chrono::DateTime<chrono::Utc>> =
            sqlx::query_scalar("SELECT last_nudged_at FROM vpas WHERE discord_id = ?")
                .bind(vpa.to_db())
                .fetch_one(&mut *tx)
                .await?;
        if last.is_some_and(|at| now - at < cooldown) {
            cooling += 1;
            continue;
        }
        sqlx::query("UPDATE vpas SET last_nudged_at = ? WHERE discord_id = ?")
            .bind(now)
            .bind(vpa.to_db())
            .execute(&mut *tx)
            .await?;
        let text = messages::newbie_nudge(area.german());
        enqueue(
            &mut tx,
            &Intent::Nudge {
                user_id: vpa.0,
                text,
            },
            None,
            now,
            now,
        )
        .await?;
        nudged += 1;
    }
    tx.commit().await?;
    desk.ring_outbox();
    Ok(Ok(messages::nudged(nudged, cooling)))
}

/// Option 5: splits a large task into parts of at most the standard size, each surveyed.
pub async fn split_task(desk: &Desk, task_id: i64, by: DiscordId) -> anyhow::Result<ActionResult> {
    let task = match open_task(desk, task_id).await? {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let Some(parts) = playbook(desk, &task).await?.split else {
        return Ok(Err(messages::not_large(
            task_id,
            desk.config.settings.tasks.large_hours,
        )));
    };
    let catalog = &desk.config.catalog;
    let (now, today) = (desk.now(), desk.today());
    let mut tx = desk.db.begin_write().await?;
    let pool = vpas::load_vpas(&mut tx, catalog, None).await?;
    let mut ids = Vec::new();
    for (i, hours) in parts.iter().enumerate() {
        let valid = ValidTask {
            client: task.client.clone(),
            competence: task.competence,
            area: task.area,
            hours: *hours,
            deadline: task.deadline,
            new_client: Some(task.new_client),
            recurring: task.recurring,
            description: Some(messages::part_description(
                i + 1,
                parts.len(),
                task_id,
                task.description.as_deref(),
            )),
        };
        let origin = tasks::TaskOrigin {
            client_id: task.client_id,
            new_client: task.new_client,
            parent_task_id: Some(task_id),
            created_by: Some(by),
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
            Some(by),
            now,
        )
        .await?;
        ids.push(part_id);
    }
    let note = messages::split_note(&ids);
    sqlx::query("INSERT INTO task_status_history (task_id, from_status, to_status, note, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(task_id)
        .bind(task.status.key())
        .bind(task.status.key())
        .bind(&note)
        .bind(by.to_db())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    super::escalation::refresh_notice(&mut tx, task_id, now).await?;
    tx.commit().await?;
    desk.ring_outbox();
    Ok(Ok(messages::split_done(task_id, &ids, &parts)))
}

/// `/task edit`: a later deadline (after asking the client), other hours or description. Open
/// rounds close by the new deadline; posts and the notice show the change.
pub async fn edit_task(
    desk: &Desk,
    task_id: i64,
    deadline: Option<&str>,
    hours: Option<f64>,
    description: Option<&str>,
    by: DiscordId,
) -> anyhow::Result<ActionResult> {
    let catalog = &desk.config.catalog;
    let Some(task) = desk.db.get_task(catalog, task_id).await? else {
        return Ok(Err(messages::task_refusal(
            &super::tasks::TaskRefusal::UnknownTask(task_id),
        )));
    };
    if matches!(
        task.status,
        TaskStatus::Done | TaskStatus::Cancelled | TaskStatus::External
    ) {
        return Ok(Err(messages::task_refusal(
            &super::tasks::TaskRefusal::WrongStatus {
                task_id,
                status: task.status,
            },
        )));
    }
    if deadline.is_none() && hours.is_none() && description.is_none() {
        return Ok(Err(messages::EDIT_NOTHING.into()));
    }
    // Validate through the same rules as a new task, with the stored values for what is unchanged.
    let draft = crate::domain::task::TaskDraft {
        client: task.client.clone(),
        competence: catalog.get(task.competence).key.clone(),
        hours: hours.unwrap_or(task.hours),
        deadline: deadline.map_or_else(
            || task.deadline.format("%Y-%m-%d").to_string(),
            str::to_string,
        ),
        new_client: Some(task.new_client),
        recurring: task.recurring,
        description: description.map(str::to_string).or(task.description.clone()),
    };
    let today = desk.today();
    let limits = desk.config.task_limits();
    let valid = match draft.validate(catalog, today.min(task.deadline), &limits) {
        Ok(v) => v,
        Err(problems) => return Ok(Err(messages::task_invalid(&problems))),
    };
    if deadline.is_some() && valid.deadline < today {
        let problem = crate::domain::task::TaskProblem::DeadlineInPast {
            deadline: valid.deadline,
            today,
        };
        return Ok(Err(messages::task_invalid(&[problem])));
    }
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    sqlx::query(
        "UPDATE tasks SET deadline = ?, hours = ?, description = ?, updated_at = ? WHERE id = ?",
    )
    .bind(valid.deadline)
    .bind(valid.hours)
    .bind(&valid.description)
    .bind(now)
    .bind(task_id)
    .execute(&mut *tx)
    .await?;
    let end = desk.end_of_day(valid.deadline);
    let rounds: Vec<(i64, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
        "SELECT id, opened_at FROM survey_rounds WHERE task_id = ? AND closed_at IS NULL",
    )
    .bind(task_id)
    .fetch_all(&mut *tx)
    .await?;
    for (round_id, opened_at) in &rounds {
        let closes_at = (*opened_at + desk.config.survey_window(task.area)).min(end);
        sqlx::query("UPDATE survey_rounds SET closes_at = ? WHERE id = ?")
            .bind(closes_at)
            .bind(round_id)
            .execute(&mut *tx)
            .await?;
    }
    let all_rounds: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM survey_rounds WHERE task_id = ? AND message_id IS NOT NULL",
    )
    .bind(task_id)
    .fetch_all(&mut *tx)
    .await?;
    for round_id in all_rounds {
        crate::db::outbox::enqueue_many(
            &mut tx,
            &[crate::db::outbox::refresh_post(round_id, now)],
            now,
        )
        .await?;
    }
    super::escalation::refresh_notice(&mut tx, task_id, now).await?;
    let note = messages::edit_note(&task, &valid);
    sqlx::query("INSERT INTO task_status_history (task_id, from_status, to_status, note, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(task_id)
        .bind(task.status.key())
        .bind(task.status.key())
        .bind(&note)
        .bind(by.to_db())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let pool = vpas::load_vpas(&mut tx, catalog, None).await?;
    tx.commit().await?;
    desk.ring_outbox();
    desk.ring_timers();
    let edited = Task {
        deadline: valid.deadline,
        hours: valid.hours,
        description: valid.description.clone(),
        ..task
    };
    let fitting = rank(&pool, &edited.offer(), today).fitting.len();
    Ok(Ok(messages::task_edited(task_id, &note, fitting)))
}

/// A chat template filled from the task.
pub async fn template(desk: &Desk, name: &str, task_id: i64) -> anyhow::Result<ActionResult> {
    let Some(template) = desk.config.templates.get(name) else {
        return Ok(Err(messages::unknown_template(
            name,
            desk.config.templates.keys().map(String::as_str).collect(),
        )));
    };
    let Some(task) = desk.db.get_task(&desk.config.catalog, task_id).await? else {
        return Ok(Err(messages::task_refusal(
            &super::tasks::TaskRefusal::UnknownTask(task_id),
        )));
    };
    let book = playbook(desk, &task).await?;
    let later = book
        .later
        .first()
        .map_or_else(|| "(Datum offen)".to_string(), |l| german(l.from));
    let parts = match &book.split {
        Some(parts) => parts
            .iter()
            .map(|p| messages::hours(*p))
            .collect::<Vec<_>>()
            .join(" + "),
        None => crate::domain::playbook::split_hours(
            task.hours,
            desk.config.settings.tasks.standard_hours,
        )
        .iter()
        .map(|p| messages::hours(*p))
        .collect::<Vec<_>>()
        .join(" + "),
    };
    let text = template
        .text
        .replace("{task}", &task.id.to_string())
        .replace("{client}", &task.client)
        .replace(
            "{competence}",
            &desk.config.catalog.get(task.competence).name,
        )
        .replace("{area}", task.area.german())
        .replace("{hours}", &messages::task_hours(task.hours, task.recurring))
        .replace("{deadline}", &german(task.deadline))
        .replace("{later_date}", &later)
        .replace("{parts}", &parts);
    Ok(Ok(format!(
        "**{}** (Aufgabe #{})\n```\n{}\n```",
        template.title, task.id, text
    )))
}
