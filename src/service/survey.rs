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
