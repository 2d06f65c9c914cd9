//! What a survey post shows, built from the stored state (so a late or folded edit is current).

use chrono::NaiveDate;

use super::desk::Desk;
use crate::domain::area::WorkArea;
use crate::domain::ids::DiscordId;
use crate::domain::survey::AnswerCounts;
use crate::domain::task::TaskStatus;

/// Everything a survey post renders. No client name: VPAs need not see it.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyPostView {
    pub round_id: i64,
    pub task_id: i64,
    pub area: WorkArea,
    pub competence: String,
    pub hours: f64,
    pub recurring: bool,
    pub deadline: NaiveDate,
    pub new_client: bool,
    pub description: Option<String>,
    pub mentions: Vec<DiscordId>,
    pub counts: AnswerCounts,
    pub status: TaskStatus,
    pub closed: bool,
    pub channel_id: Option<i64>,
    pub message_id: Option<i64>,
}

/// The view of one round's post; none if the round or its task is gone.
pub async fn post_view(desk: &Desk, round_id: i64) -> anyhow::Result<Option<SurveyPostView>> {
    let Some(round) = desk.db.get_round(round_id).await? else {
        return Ok(None);
    };
    let Some(task) = desk
        .db
        .get_task(&desk.config.catalog, round.task_id)
        .await?
    else {
        return Ok(None);
    };
    let competence = desk
        .config
        .catalog
        .by_key(&round.competence)
        .map_or_else(|| round.competence.clone(), |c| c.name.clone());
    Ok(Some(SurveyPostView {
        round_id,
        task_id: task.id,
        area: task.area,
        competence,
        hours: task.hours,
        recurring: task.recurring,
        deadline: task.deadline,
        new_client: task.new_client,
        description: task.description,
        mentions: desk.db.invitees(round_id).await?,
        counts: desk.db.answer_counts(round_id).await?,
        status: task.status,
        closed: round.closed_at.is_some(),
        channel_id: round.channel_id,
        message_id: round.message_id,
    }))
}

/// One VPA's line in the coordinator's view of a survey.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerLine {
    pub vpa: DiscordId,
    pub name: String,
    pub answer: Option<crate::domain::survey::Answer>,
    /// Utilization this week (none without weekly hours or profile).
    pub utilization: Option<f64>,
    pub surveyed: bool,
}

/// The coordinator's view: answers across all rounds of a task, ranked accepted (least utilized
/// first), later (earliest date first), declined, no answer.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyStatus {
    pub task: crate::domain::task::Task,
    pub competence: String,
    pub rounds: usize,
    pub accepted: Vec<AnswerLine>,
    pub later: Vec<AnswerLine>,
    pub declined: Vec<AnswerLine>,
    pub no_answer: Vec<AnswerLine>,
}

/// Builds the coordinator's view of a task's surveys.
pub async fn survey_status(desk: &Desk, task_id: i64) -> anyhow::Result<Option<SurveyStatus>> {
    use crate::domain::survey::Answer;
    use std::collections::BTreeMap;
    let catalog = &desk.config.catalog;
    let Some(task) = desk.db.get_task(catalog, task_id).await? else {
        return Ok(None);
    };
    let rounds = desk.db.rounds_of_task(task_id).await?;
    // The latest answer of each VPA over all rounds, and everyone surveyed.
    let mut latest: BTreeMap<DiscordId, crate::db::surveys::StoredAnswer> = BTreeMap::new();
    let mut surveyed: Vec<DiscordId> = Vec::new();
    for round in &rounds {
        for invitee in desk.db.invitees(round.id).await? {
            if !surveyed.contains(&invitee) {
                surveyed.push(invitee);
            }
        }
        for answer in desk.db.answers(round.id).await? {
            match latest.get(&answer.vpa) {
                Some(existing) if existing.answered_at > answer.answered_at => {}
                _ => {
                    latest.insert(answer.vpa, answer);
                }
            }
        }
    }
    let pool: BTreeMap<DiscordId, crate::domain::vpa::Vpa> = desk
        .db
        .load_pool(catalog)
        .await?
        .into_iter()
        .map(|v| (v.discord_id, v))
        .collect();
    let today = desk.today();
    let line = |vpa: DiscordId, answer: Option<Answer>| {
        let profile = pool.get(&vpa);
        AnswerLine {
            vpa,
            name: profile.map_or_else(String::new, |p| p.name.clone()),
            answer,
            utilization: profile.and_then(|p| {
                crate::domain::utilization::utilization(&p.commitments, p.weekly_hours, today)
            }),
            surveyed: surveyed.contains(&vpa),
        }
    };
    let mut status = SurveyStatus {
        competence: catalog.get(task.competence).name.clone(),
        task,
        rounds: rounds.len(),
        accepted: Vec::new(),
        later: Vec::new(),
        declined: Vec::new(),
        no_answer: Vec::new(),
    };
    for (vpa, stored) in &latest {
        let entry = line(*vpa, Some(stored.answer.clone()));
        match stored.answer {
            Answer::Accept => status.accepted.push(entry),
            Answer::Later { .. } => status.later.push(entry),
            Answer::Decline { .. } => status.declined.push(entry),
        }
    }
    for vpa in surveyed.iter().filter(|v| !latest.contains_key(v)) {
        status.no_answer.push(line(*vpa, None));
    }
    status.accepted.sort_by(|a, b| {
        a.utilization
            .unwrap_or(f64::MAX)
            .total_cmp(&b.utilization.unwrap_or(f64::MAX))
            .then(a.vpa.cmp(&b.vpa))
    });
    let later_day = |l: &AnswerLine| match l.answer {
        Some(Answer::Later { from }) => from,
        _ => None,
    };
    status
        .later
        .sort_by_key(|l| (later_day(l).is_none(), later_day(l), l.vpa));
    Ok(Some(status))
}
