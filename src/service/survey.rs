//! The views of surveys: what a survey post shows (built from the stored state, so a late or
//! folded edit is current) and the coordinator's view of who answered what.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::desk::Desk;
use super::error::{Refusal, Result, refuse};
use crate::domain::area::WorkArea;
use crate::domain::competence::CompetenceId;
use crate::domain::ids::{DiscordId, RoundId, TaskId};
use crate::domain::survey::{Answer, AnswerCounts};
use crate::domain::task::{PartOf, Task, TaskStatus};

/// Everything a survey post renders. No client name: VPAs need not see it.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyPostView {
    pub round_id: RoundId,
    pub task_id: TaskId,
    pub area: WorkArea,
    /// The competence the round asks for (a related one for a re-advertised task).
    pub competence: CompetenceId,
    pub hours: f64,
    pub recurring: bool,
    pub deadline: NaiveDate,
    pub new_client: bool,
    pub description: Option<String>,
    /// Which part of a split task this is.
    pub part: Option<PartOf>,
    pub mentions: Vec<DiscordId>,
    pub counts: AnswerCounts,
    pub status: TaskStatus,
    pub closed: bool,
    /// Where the post is, once it is out.
    pub post: Option<(DiscordId, DiscordId)>,
    /// Opened because the VPA in charge dropped out: a recurring cover's weeks (from, until).
    pub hand_over: Option<Option<(NaiveDate, Option<NaiveDate>)>>,
    /// What the task's last edit changed.
    pub changed: Option<crate::domain::task::StatusDetail>,
}

/// The view of one round's post; none if the round or its task is gone.
pub async fn post_view(desk: &Desk, round_id: RoundId) -> Result<Option<SurveyPostView>> {
    let catalog = &desk.config.catalog;
    let Some(round) = desk.db.get_round(round_id).await? else {
        return Ok(None);
    };
    let Some(task) = desk.db.get_task(catalog, round.task_id).await? else {
        return Ok(None);
    };
    // A re-advertised round asks for its related competence; the others for the task's, also
    // after an edit changed it.
    let competence = match round.kind {
        crate::domain::survey::RoundKind::Related => catalog
            .by_key(&round.competence)
            .map_or(task.competence, |c| c.id),
        _ => task.competence,
    };
    let part = desk.db.part_of(&task).await?;
    Ok(Some(SurveyPostView {
        changed: desk.db.last_edit(task.id).await?,
        part,
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
        post: round.post(),
        hand_over: desk
            .db
            .hand_over_of_round(round_id)
            .await?
            .map(|(from, until)| from.map(|f| (f, until))),
    }))
}

/// Where a round's post is, once it is out.
pub async fn post_of_round(
    desk: &Desk,
    round_id: RoundId,
) -> Result<Option<(DiscordId, DiscordId)>> {
    Ok(desk.db.get_round(round_id).await?.and_then(|r| r.post()))
}

/// One VPA's line in the coordinator's view of a survey.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerLine {
    pub vpa: DiscordId,
    pub name: String,
    pub answer: Option<Answer>,
    /// Utilization this week (none without weekly hours or profile).
    pub utilization: Option<f64>,
    pub surveyed: bool,
}

/// The coordinator's view: answers across all rounds of a task, ranked accepted (least utilized
/// first), later (earliest date first), declined, no answer.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyStatus {
    pub task: Task,
    pub rounds: usize,
    pub accepted: Vec<AnswerLine>,
    pub later: Vec<AnswerLine>,
    pub declined: Vec<AnswerLine>,
    pub no_answer: Vec<AnswerLine>,
    /// Answers an edit outdated, with why.
    pub outdated: HashMap<DiscordId, Vec<crate::domain::reevaluation::Mismatch>>,
    /// Fit since an edit and not asked yet ("Neu Passende anfragen").
    pub newly_fitting: usize,
    /// Fitting, and no round mentioned them yet ("Weitere anfragen"); 0 once the task is not
    /// open demand.
    pub fitting_unasked: usize,
}

/// Builds the coordinator's view of a task's surveys.
pub async fn survey_status(desk: &Desk, task_id: TaskId) -> Result<SurveyStatus> {
    let catalog = &desk.config.catalog;
    // Reads that do not depend on each other go side by side (the pool has several readers).
    let (task, survey, outdated, newly) = tokio::join!(
        desk.db.get_task(catalog, task_id),
        desk.db.task_survey(task_id),
        desk.db.outdated_of_task(task_id),
        desk.db.newly_fitting(task_id),
    );
    let Some(task) = task? else {
        return refuse(Refusal::UnknownTask(task_id));
    };
    let (survey, outdated, newly) = (survey?, outdated?, newly?);
    // The surveyed and those who answered: the read follows the task.
    let people = survey
        .surveyed
        .iter()
        .copied()
        .chain(survey.latest.iter().map(|a| a.vpa));
    // While the task is open demand, also the holders of its competence: who else could be
    // asked ("Weitere anfragen"). One read for both.
    let open = task.status.is_open_demand();
    let selection = crate::db::vpas::Selection {
        holding: if open {
            vec![task.competence]
        } else {
            Vec::new()
        },
        ..crate::db::vpas::Selection::of(people)
    };
    let read = desk.db.load_selected(catalog, &selection).await?;
    let surveyed: HashSet<DiscordId> = survey.surveyed.iter().copied().collect();
    let (newly_fitting, fitting_unasked) = if open {
        let unasked = crate::domain::ranking::rank(&read, &task.offer(), desk.today())
            .fitting
            .iter()
            .filter(|r| !surveyed.contains(&r.discord_id))
            .count();
        (newly.len(), unasked)
    } else {
        (0, 0)
    };
    let pool: HashMap<DiscordId, crate::domain::vpa::Vpa> =
        read.into_iter().map(|v| (v.discord_id, v)).collect();
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
        outdated,
        newly_fitting,
        fitting_unasked,
        task,
        rounds: survey.rounds.len(),
        accepted: Vec::new(),
        later: Vec::new(),
        declined: Vec::new(),
        no_answer: Vec::new(),
    };
    let mut answered = HashSet::new();
    let mut latest = survey.latest;
    latest.sort_by_key(|a| a.vpa);
    for stored in latest {
        answered.insert(stored.vpa);
        let entry = line(stored.vpa, Some(stored.answer.clone()));
        match stored.answer {
            Answer::Accept => status.accepted.push(entry),
            Answer::Later { .. } => status.later.push(entry),
            Answer::Decline { .. } => status.declined.push(entry),
        }
    }
    for vpa in survey.surveyed.iter().filter(|v| !answered.contains(v)) {
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
    Ok(status)
}

/// Who was left out of a task's surveys and why: counts first, then the people by reason.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftOut {
    pub task_id: TaskId,
    /// VPAs holding the task's competence (the others cannot fit).
    pub holders: usize,
    /// VPAs without the competence.
    pub without_competence: usize,
    /// Fitting, but no round mentioned them (beyond `survey.max_mentions`).
    pub fitting_unasked: Vec<DiscordId>,
    /// Holders who do not fit, by reason (one VPA may stand under several), each reason's
    /// people in pool order.
    pub by_reason: Vec<(crate::domain::eligibility::ExclusionKind, Vec<DiscordId>)>,
}

/// Why VPAs were left out of a task's surveys, as of today. Reads the holders of the task's
/// competence and counts the rest: the read follows the task.
pub async fn left_out(desk: &Desk, task_id: TaskId) -> Result<LeftOut> {
    let catalog = &desk.config.catalog;
    let Some(task) = desk.db.get_task(catalog, task_id).await? else {
        return refuse(Refusal::UnknownTask(task_id));
    };
    let super::HoldersRanked { holders, ranking } =
        super::rank_holders(desk, &task.offer()).await?;
    let all = usize::try_from(desk.db.count_vpas().await?).unwrap_or(0);
    let surveyed: HashSet<DiscordId> = desk
        .db
        .task_survey(task_id)
        .await?
        .surveyed
        .into_iter()
        .collect();
    let mut by_reason: std::collections::BTreeMap<_, Vec<DiscordId>> = Default::default();
    for (vpa, reasons) in ranking.excluded() {
        for reason in reasons {
            by_reason.entry(reason.kind()).or_default().push(vpa);
        }
    }
    Ok(LeftOut {
        task_id,
        holders,
        without_competence: all.saturating_sub(holders),
        fitting_unasked: ranking
            .fitting
            .iter()
            .map(|r| r.discord_id)
            .filter(|v| !surveyed.contains(v))
            .collect(),
        by_reason: by_reason.into_iter().collect(),
    })
}
