//! Survey rounds, who they mentioned, and the answers (current and history).

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;

use super::Db;
use crate::domain::ids::{DiscordId, RoundId, TaskId};
use crate::domain::ranking::RankedVpa;
use crate::domain::survey::{
    Answer, AnswerCounts, AnswerVia, DeclineReason, RoundKind, RoundOutcome,
};
use crate::domain::task::TaskStatus;

pub use crate::domain::survey::Round;

from_row! {
    struct RoundRow {
        id: RoundId,
        task_id: TaskId,
        kind: RoundKind,
        competence: String,
        opened_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
        closed_at: Option<DateTime<Utc>>,
        channel_id: Option<DiscordId>,
        message_id: Option<DiscordId>,
    }
}

impl From<RoundRow> for Round {
    fn from(r: RoundRow) -> Round {
        Round {
            id: r.id,
            task_id: r.task_id,
            kind: r.kind,
            competence: r.competence,
            opened_at: r.opened_at,
            closes_at: r.closes_at,
            closed_at: r.closed_at,
            channel_id: r.channel_id,
            message_id: r.message_id,
        }
    }
}

/// A VPA's current answer in a round.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAnswer {
    pub round_id: RoundId,
    pub vpa: DiscordId,
    pub answer: Answer,
    pub via: AnswerVia,
    pub surveyed: bool,
    pub answered_at: DateTime<Utc>,
}

from_row! {
    struct AnswerRow {
        round_id: RoundId,
        vpa_id: DiscordId,
        answer: String,
        reason: Option<DeclineReason>,
        note: Option<String>,
        later_from: Option<NaiveDate>,
        via: AnswerVia,
        surveyed: bool,
        answered_at: DateTime<Utc>,
    }
}

impl AnswerRow {
    fn into_domain(self) -> StoredAnswer {
        let answer = match self.answer.as_str() {
            "accept" => Answer::Accept,
            "later" => Answer::Later {
                from: self.later_from,
            },
            _ => Answer::Decline {
                reason: self.reason.unwrap_or(DeclineReason::NotGiven),
                note: self.note,
            },
        };
        StoredAnswer {
            round_id: self.round_id,
            vpa: self.vpa_id,
            answer,
            via: self.via,
            surveyed: self.surveyed,
            answered_at: self.answered_at,
        }
    }
}

/// Everything surveyed and answered for one task, over all its rounds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskSurvey {
    /// The rounds, oldest first.
    pub rounds: Vec<Round>,
    /// Everyone mentioned in any round, in the order they were first surveyed.
    pub surveyed: Vec<DiscordId>,
    /// The latest answer of each VPA over all rounds, in the order they came in.
    pub latest: Vec<StoredAnswer>,
}

const ROUND_COLUMNS: &str =
    "id, task_id, kind, competence, opened_at, closes_at, closed_at, channel_id, message_id";

const ANSWER_COLUMNS: &str =
    "round_id, vpa_id, answer, reason, note, later_from, via, surveyed, answered_at";

impl Db {
    /// One round.
    pub async fn get_round(&self, round_id: RoundId) -> sqlx::Result<Option<Round>> {
        let mut conn = self.read().await?;
        get_round(&mut conn, round_id).await
    }

    /// The rounds, invitees and latest answers of a task, read on one snapshot.
    pub async fn task_survey(&self, task_id: TaskId) -> sqlx::Result<TaskSurvey> {
        let mut tx = self.pool.begin().await?;
        let rounds: Vec<RoundRow> = sqlx::query_as(&format!(
            "SELECT {ROUND_COLUMNS} FROM survey_rounds WHERE task_id = ? ORDER BY id"
        ))
        .bind(task_id)
        .fetch_all(&mut *tx)
        .await?;
        let rounds: Vec<Round> = rounds.into_iter().map(Into::into).collect();
        let invitees: Vec<DiscordId> = sqlx::query_scalar(
            "SELECT i.vpa_id FROM survey_invitees i JOIN survey_rounds r ON r.id = i.round_id \
             WHERE r.task_id = ? ORDER BY r.id, i.rank",
        )
        .bind(task_id)
        .fetch_all(&mut *tx)
        .await?;
        let answers: Vec<AnswerRow> = sqlx::query_as(&format!(
            "SELECT {} FROM survey_answers a JOIN survey_rounds r ON r.id = a.round_id \
             WHERE r.task_id = ? ORDER BY a.answered_at, a.round_id, a.vpa_id",
            ANSWER_COLUMNS
                .split(", ")
                .map(|c| format!("a.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .bind(task_id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let mut surveyed = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for vpa in invitees {
            if seen.insert(vpa) {
                surveyed.push(vpa);
            }
        }
        // Later answers replace earlier ones of the same VPA (in another round).
        let mut latest: Vec<StoredAnswer> = Vec::new();
        let mut index = std::collections::HashMap::new();
        for answer in answers.into_iter().map(AnswerRow::into_domain) {
            match index.get(&answer.vpa) {
                Some(&i) => latest[i] = answer,
                None => {
                    index.insert(answer.vpa, latest.len());
                    latest.push(answer);
                }
            }
        }
        latest.sort_by_key(|a| (a.answered_at, a.vpa));
        Ok(TaskSurvey {
            rounds,
            surveyed,
            latest,
        })
    }

    /// Rounds whose window is over but that are not closed yet, soonest first.
    pub async fn due_rounds(&self, now: DateTime<Utc>) -> sqlx::Result<Vec<(RoundId, TaskId)>> {
        sqlx::query_as(
            "SELECT id, task_id FROM survey_rounds WHERE closed_at IS NULL AND closes_at <= ? ORDER BY closes_at, id",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await
    }

    /// Rounds whose accepted-but-unassigned follow-up is due.
    pub async fn due_waves(&self, now: DateTime<Utc>) -> sqlx::Result<Vec<(RoundId, TaskId)>> {
        sqlx::query_as(
            "SELECT id, task_id FROM survey_rounds WHERE wave_at IS NOT NULL AND wave_at <= ? ORDER BY wave_at",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await
    }

    /// Rounds whose accepted-but-unassigned follow-up is due.
    pub async fn due_followups(&self, now: DateTime<Utc>) -> sqlx::Result<Vec<(RoundId, TaskId)>> {
        sqlx::query_as(
            "SELECT id, task_id FROM survey_rounds WHERE followup_at IS NOT NULL AND followup_at <= ? ORDER BY followup_at, id",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await
    }

    /// The round whose survey post is this message.
    pub async fn round_by_message(&self, message_id: DiscordId) -> sqlx::Result<Option<Round>> {
        let row: Option<RoundRow> = sqlx::query_as(&format!(
            "SELECT {ROUND_COLUMNS} FROM survey_rounds WHERE message_id = ?"
        ))
        .bind(message_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(Into::into))
    }

    /// The rounds of a task, oldest first.
    pub async fn rounds_of_task(&self, task_id: TaskId) -> sqlx::Result<Vec<Round>> {
        let rows: Vec<RoundRow> = sqlx::query_as(&format!(
            "SELECT {ROUND_COLUMNS} FROM survey_rounds WHERE task_id = ? ORDER BY id"
        ))
        .bind(task_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Who the round mentioned, best-ranked first.
    pub async fn invitees(&self, round_id: RoundId) -> sqlx::Result<Vec<DiscordId>> {
        sqlx::query_scalar("SELECT vpa_id FROM survey_invitees WHERE round_id = ? ORDER BY rank")
            .bind(round_id)
            .fetch_all(&self.pool)
            .await
    }

    /// Whether the VPA was mentioned in the round.
    pub async fn is_invitee(&self, round_id: RoundId, vpa: DiscordId) -> sqlx::Result<bool> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM survey_invitees WHERE round_id = ? AND vpa_id = ?)",
        )
        .bind(round_id)
        .bind(vpa)
        .fetch_one(&self.pool)
        .await
    }

    /// Current answers of a round, in the order they came in.
    pub async fn answers(&self, round_id: RoundId) -> sqlx::Result<Vec<StoredAnswer>> {
        let rows: Vec<AnswerRow> = sqlx::query_as(&format!(
            "SELECT {ANSWER_COLUMNS} FROM survey_answers WHERE round_id = ? ORDER BY answered_at, vpa_id"
        ))
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(AnswerRow::into_domain).collect())
    }

    /// One VPA's current answer in a round.
    pub async fn answer_of(
        &self,
        round_id: RoundId,
        vpa: DiscordId,
    ) -> sqlx::Result<Option<StoredAnswer>> {
        let row: Option<AnswerRow> = sqlx::query_as(&format!(
            "SELECT {ANSWER_COLUMNS} FROM survey_answers WHERE round_id = ? AND vpa_id = ?"
        ))
        .bind(round_id)
        .bind(vpa)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(AnswerRow::into_domain))
    }

    /// Answer figures of a round.
    pub async fn answer_counts(&self, round_id: RoundId) -> sqlx::Result<AnswerCounts> {
        let (surveyed, accepted, declined, later, answered_surveyed): (i64, i64, i64, i64, i64) =
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM survey_invitees WHERE round_id = ?1), \
                    COALESCE(SUM(answer = 'accept'), 0), COALESCE(SUM(answer = 'decline'), 0), \
                    COALESCE(SUM(answer = 'later'), 0), COALESCE(SUM(surveyed), 0) \
             FROM survey_answers WHERE round_id = ?1",
            )
            .bind(round_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(AnswerCounts {
            surveyed: surveyed as u32,
            accepted: accepted as u32,
            declined: declined as u32,
            later: later as u32,
            no_answer: (surveyed - answered_surveyed).max(0) as u32,
        })
    }

    /// How many answers a round has ever received (history rows), for tests and reports.
    pub async fn answer_history_len(&self, round_id: RoundId) -> sqlx::Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM survey_answer_history WHERE round_id = ?")
            .bind(round_id)
            .fetch_one(&self.pool)
            .await
    }

    /// Decline reasons of a round with their counts, most frequent first.
    pub async fn decline_reasons(
        &self,
        round_id: RoundId,
    ) -> sqlx::Result<Vec<(DeclineReason, i64)>> {
        sqlx::query_as(
            "SELECT COALESCE(reason, 'not-given'), COUNT(*) FROM survey_answers WHERE round_id = ? AND answer = 'decline' \
             GROUP BY 1 ORDER BY 2 DESC, 1",
        )
        .bind(round_id)
        .fetch_all(&self.pool)
        .await
    }
}

/// One round on a given connection.
pub async fn get_round(
    conn: &mut SqliteConnection,
    round_id: RoundId,
) -> sqlx::Result<Option<Round>> {
    let row: Option<RoundRow> = sqlx::query_as(&format!(
        "SELECT {ROUND_COLUMNS} FROM survey_rounds WHERE id = ?"
    ))
    .bind(round_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(Into::into))
}

/// A new round: what it surveys and how long.
#[derive(Debug, Clone, Copy)]
pub struct NewRound<'a> {
    pub task_id: TaskId,
    pub kind: RoundKind,
    pub competence_key: &'a str,
    pub invitees: &'a [RankedVpa],
    pub opened_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub created_by: Option<DiscordId>,
}

/// Opens a round and records who it mentions (one statement for all invitees).
pub async fn insert_round(
    conn: &mut SqliteConnection,
    round: &NewRound<'_>,
) -> sqlx::Result<RoundId> {
    let round_id: RoundId = sqlx::query_scalar(
        "INSERT INTO survey_rounds (task_id, kind, competence, opened_at, closes_at, created_by) \
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(round.task_id)
    .bind(round.kind)
    .bind(round.competence_key)
    .bind(round.opened_at)
    .bind(round.closes_at)
    .bind(round.created_by)
    .fetch_one(&mut *conn)
    .await?;
    if !round.invitees.is_empty() {
        let rows: Vec<(i64, f64)> = round
            .invitees
            .iter()
            .map(|v| (v.discord_id.to_db(), v.utilization))
            .collect();
        sqlx::query(
            "INSERT INTO survey_invitees (round_id, vpa_id, rank, utilization) \
             SELECT ?1, value ->> 0, key, value ->> 1 FROM json_each(?2)",
        )
        .bind(round_id)
        .bind(serde_json::to_string(&rows).map_err(|e| sqlx::Error::Encode(Box::new(e)))?)
        .execute(&mut *conn)
        .await?;
    }
    Ok(round_id)
}

/// Records where the round's post landed.
pub async fn set_round_message(
    conn: &mut SqliteConnection,
    round_id: RoundId,
    channel: DiscordId,
    message: DiscordId,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE survey_rounds SET channel_id = ?, message_id = ? WHERE id = ?")
        .bind(channel)
        .bind(message)
        .bind(round_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Closes a round if it is still open (with a follow-up time for accepted-but-unassigned);
/// false if another pass closed it already.
pub async fn close_round(
    conn: &mut SqliteConnection,
    round_id: RoundId,
    outcome: RoundOutcome,
    followup_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE survey_rounds SET closed_at = ?, outcome = ?, followup_at = ? WHERE id = ? AND closed_at IS NULL",
    )
    .bind(now)
    .bind(outcome)
    .bind(followup_at)
    .bind(round_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Closes every open round of a task (it needs nobody any more).
pub async fn close_open_rounds_of_task(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    outcome: RoundOutcome,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE survey_rounds SET closed_at = ?, outcome = ? WHERE task_id = ? AND closed_at IS NULL",
    )
    .bind(now)
    .bind(outcome)
    .bind(task_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Closes the open rounds opened for a hand-over (its cover is back with the holder).
pub async fn close_open_rounds_of_hand_over(
    conn: &mut SqliteConnection,
    hand_over: crate::domain::ids::HandOverId,
    outcome: RoundOutcome,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE survey_rounds SET closed_at = ?, outcome = ? WHERE hand_over_id = ? AND closed_at IS NULL",
    )
    .bind(now)
    .bind(outcome)
    .bind(hand_over)
    .execute(conn)
    .await?;
    Ok(())
}

/// Everyone who accepted the task in any of its rounds (their current answer), earliest first.
pub async fn accepters_of_task(
    conn: &mut SqliteConnection,
    task_id: TaskId,
) -> sqlx::Result<Vec<DiscordId>> {
    sqlx::query_scalar(
        "SELECT a.vpa_id FROM survey_answers a JOIN survey_rounds r ON r.id = a.round_id \
         WHERE r.task_id = ? AND a.answer = 'accept' GROUP BY a.vpa_id ORDER BY MIN(a.answered_at)",
    )
    .bind(task_id)
    .fetch_all(conn)
    .await
}

/// Records that `vpa` is re-asked about their decline in `round`; false when they were already
/// (then nobody asks them again).
pub async fn record_reask(
    conn: &mut SqliteConnection,
    round: RoundId,
    vpa: DiscordId,
    by: DiscordId,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO reasks (round_id, vpa_id, asked_at, asked_by) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(round)
    .bind(vpa)
    .bind(now)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Everyone any round of the task mentioned.
pub async fn invited_to_task(
    conn: &mut SqliteConnection,
    task_id: TaskId,
) -> sqlx::Result<Vec<DiscordId>> {
    sqlx::query_scalar(
        "SELECT DISTINCT i.vpa_id FROM survey_invitees i JOIN survey_rounds r ON r.id = i.round_id WHERE r.task_id = ?",
    )
    .bind(task_id)
    .fetch_all(conn)
    .await
}

/// Whether a round is still open.
pub async fn is_open(conn: &mut SqliteConnection, round_id: RoundId) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM survey_rounds WHERE id = ? AND closed_at IS NULL)",
    )
    .bind(round_id)
    .fetch_one(conn)
    .await
}

/// How many VPAs accepted in a round.
pub async fn accepted_count(conn: &mut SqliteConnection, round_id: RoundId) -> sqlx::Result<u32> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM survey_answers WHERE round_id = ? AND answer = 'accept'",
    )
    .bind(round_id)
    .fetch_one(conn)
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Takes a round's follow-up off the timer; false if another pass took it.
pub async fn clear_followup(conn: &mut SqliteConnection, round_id: RoundId) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE survey_rounds SET followup_at = NULL WHERE id = ? AND followup_at IS NOT NULL",
    )
    .bind(round_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The open rounds of a task with when they opened.
pub async fn open_rounds_of_task(
    conn: &mut SqliteConnection,
    task_id: TaskId,
) -> sqlx::Result<Vec<(RoundId, DateTime<Utc>)>> {
    sqlx::query_as(
        "SELECT id, opened_at FROM survey_rounds WHERE task_id = ? AND closed_at IS NULL",
    )
    .bind(task_id)
    .fetch_all(conn)
    .await
}

/// Plans the next wave of a round's task at `at`.
pub async fn set_wave_at(
    conn: &mut SqliteConnection,
    round_id: RoundId,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE survey_rounds SET wave_at = ? WHERE id = ?")
        .bind(at)
        .bind(round_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Takes a due wave (clears its time); false when another pass took it.
pub async fn take_wave(conn: &mut SqliteConnection, round_id: RoundId) -> sqlx::Result<bool> {
    let done =
        sqlx::query("UPDATE survey_rounds SET wave_at = NULL WHERE id = ? AND wave_at IS NOT NULL")
            .bind(round_id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// How many accepted over all rounds of a task (current answers).
pub async fn accepted_in_task(conn: &mut SqliteConnection, task_id: TaskId) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM survey_answers a JOIN survey_rounds r ON r.id = a.round_id \
         WHERE r.task_id = ? AND a.answer = 'accept'",
    )
    .bind(task_id)
    .fetch_one(conn)
    .await
}

/// Moves a round's close (e.g. after the deadline changed).
pub async fn set_closes_at(
    conn: &mut SqliteConnection,
    round_id: RoundId,
    closes_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE survey_rounds SET closes_at = ? WHERE id = ?")
        .bind(closes_at)
        .bind(round_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The rounds of a task whose post is out (they show the task's state and get refreshed).
pub async fn posted_rounds_of_task(
    conn: &mut SqliteConnection,
    task_id: TaskId,
) -> sqlx::Result<Vec<RoundId>> {
    sqlx::query_scalar("SELECT id FROM survey_rounds WHERE task_id = ? AND message_id IS NOT NULL")
        .bind(task_id)
        .fetch_all(conn)
        .await
}

/// The latest round of a task in which the VPA declined (a re-ask answers there).
pub async fn latest_decline_round(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    vpa: DiscordId,
) -> sqlx::Result<Option<RoundId>> {
    sqlx::query_scalar(
        "SELECT a.round_id FROM survey_answers a JOIN survey_rounds r ON r.id = a.round_id \
         WHERE r.task_id = ? AND a.vpa_id = ? AND a.answer = 'decline' ORDER BY a.answered_at DESC LIMIT 1",
    )
    .bind(task_id)
    .bind(vpa)
    .fetch_optional(conn)
    .await
}

fn answer_columns(answer: &Answer) -> (Option<&'static str>, Option<&str>, Option<NaiveDate>) {
    match answer {
        Answer::Accept => (None, None, None),
        Answer::Decline { reason, note } => (Some(reason.key()), note.as_deref(), None),
        Answer::Later { from } => (None, None, *from),
    }
}

/// One answer taken back, for [`withdraw_answers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Withdrawal {
    pub round_id: RoundId,
    pub vpa: DiscordId,
    pub via: AnswerVia,
    pub at: DateTime<Utc>,
}

/// Takes back answers, each entering the history as withdrawn in the order given: two
/// statements for the whole list (a burst of reactions taken back shares them).
pub async fn withdraw_answers(
    conn: &mut SqliteConnection,
    withdrawals: &[Withdrawal],
) -> sqlx::Result<()> {
    if withdrawals.is_empty() {
        return Ok(());
    }
    let rows: Vec<serde_json::Value> = withdrawals
        .iter()
        .map(|w| {
            serde_json::json!({
                "round": w.round_id.0,
                "vpa": w.vpa.to_db(),
                "via": w.via.key(),
                "at": super::time_text(w.at),
            })
        })
        .collect();
    let rows = serde_json::Value::Array(rows).to_string();
    sqlx::query(
        "DELETE FROM survey_answers WHERE (round_id, vpa_id) IN \
         (SELECT value ->> 'round', value ->> 'vpa' FROM json_each(?1))",
    )
    .bind(&rows)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO survey_answer_history (round_id, vpa_id, answer, via, answered_at) \
         SELECT value ->> 'round', value ->> 'vpa', 'withdrawn', value ->> 'via', value ->> 'at' \
         FROM json_each(?1) ORDER BY key",
    )
    .bind(&rows)
    .execute(conn)
    .await?;
    Ok(())
}

/// Which round an answer is for: buttons carry the round's id, reactions the post's message id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundRef {
    Id(RoundId),
    Message(DiscordId),
}

/// What recording an answer needs to know, read for a whole batch in one statement.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerContext {
    pub round_id: RoundId,
    pub task_id: TaskId,
    pub task_status: TaskStatus,
    pub created_by: Option<DiscordId>,
    pub current: Option<StoredAnswer>,
    pub surveyed: bool,
    /// The task has a notice in the manager channel (then an answer updates it).
    pub has_notice: bool,
    /// The kinds of answer (`accept`, `decline`, `later`) the VPA gave in this round before,
    /// also those taken back since.
    pub given_before: Vec<String>,
}

from_row! {
    struct AnswerContextRow {
        idx: i64,
        round_id: RoundId,
        task_id: TaskId,
        task_status: TaskStatus,
        created_by: Option<DiscordId>,
        surveyed: bool,
        answer: Option<String>,
        reason: Option<DeclineReason>,
        note: Option<String>,
        later_from: Option<NaiveDate>,
        via: Option<AnswerVia>,
        answered_at: Option<DateTime<Utc>>,
        answer_surveyed: Option<bool>,
        has_notice: bool,
        given_before: Option<String>,
    }
}

/// For each (round, VPA): the round's task, the VPA's current answer and whether they were
/// surveyed; none for an unknown round. One statement for the whole batch, since it runs while
/// holding the write turn.
pub async fn answer_contexts(
    conn: &mut SqliteConnection,
    keys: &[(RoundRef, DiscordId)],
) -> sqlx::Result<Vec<Option<AnswerContext>>> {
    let wanted: Vec<serde_json::Value> = keys
        .iter()
        .map(|(round, vpa)| match round {
            RoundRef::Id(id) => serde_json::json!({"round": id.0, "vpa": vpa.to_db()}),
            RoundRef::Message(m) => serde_json::json!({"message": m.to_db(), "vpa": vpa.to_db()}),
        })
        .collect();
    let rows: Vec<AnswerContextRow> = sqlx::query_as(
        // The CTE resolves message ids through their unique index; each wanted row then finds
        // its round by primary key.
        "WITH wanted AS (SELECT key AS idx, value ->> 'vpa' AS vpa_id, \
                COALESCE(value ->> 'round', (SELECT id FROM survey_rounds WHERE message_id = value ->> 'message')) AS round_id \
                FROM json_each(?1)) \
         SELECT w.idx, r.id AS round_id, t.id AS task_id, t.status AS task_status, t.created_by, \
                EXISTS (SELECT 1 FROM survey_invitees i WHERE i.round_id = r.id AND i.vpa_id = w.vpa_id) AS surveyed, \
                a.answer, a.reason, a.note, a.later_from, a.via, a.answered_at, a.surveyed AS answer_surveyed, \
                EXISTS (SELECT 1 FROM escalations e WHERE e.task_id = t.id) AS has_notice, \
                (SELECT group_concat(DISTINCT h.answer) FROM survey_answer_history h \
                   WHERE h.round_id = r.id AND h.vpa_id = w.vpa_id AND h.answer != 'withdrawn') AS given_before \
         FROM wanted w JOIN survey_rounds r ON r.id = w.round_id JOIN tasks t ON t.id = r.task_id \
         LEFT JOIN survey_answers a ON a.round_id = r.id AND a.vpa_id = w.vpa_id",
    )
    .bind(serde_json::Value::Array(wanted).to_string())
    .fetch_all(conn)
    .await?;
    let mut contexts = vec![None; keys.len()];
    for r in rows {
        let Some(i) = usize::try_from(r.idx).ok().filter(|i| *i < keys.len()) else {
            continue;
        };
        let vpa = keys[i].1;
        let current = match (r.answer, r.via, r.answered_at) {
            (Some(answer), Some(via), Some(answered_at)) => Some(
                AnswerRow {
                    round_id: r.round_id,
                    vpa_id: vpa,
                    answer,
                    reason: r.reason,
                    note: r.note,
                    later_from: r.later_from,
                    via,
                    surveyed: r.answer_surveyed.unwrap_or(r.surveyed),
                    answered_at,
                }
                .into_domain(),
            ),
            _ => None,
        };
        contexts[i] = Some(AnswerContext {
            round_id: r.round_id,
            task_id: r.task_id,
            task_status: r.task_status,
            created_by: r.created_by,
            current,
            surveyed: r.surveyed,
            has_notice: r.has_notice,
            given_before: r
                .given_before
                .map(|kinds| kinds.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
        });
    }
    Ok(contexts)
}

/// An answer to store.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerWrite {
    pub round_id: RoundId,
    pub vpa: DiscordId,
    pub answer: Answer,
    pub via: AnswerVia,
    pub surveyed: bool,
    /// When the VPA answered (not when the batch was written).
    pub at: DateTime<Utc>,
}

/// Stores answers (each replacing an earlier one of the same VPA in the round) in one
/// statement, in the given order; a trigger appends each to the history.
pub async fn save_answers(
    conn: &mut SqliteConnection,
    answers: &[AnswerWrite],
) -> sqlx::Result<()> {
    if answers.is_empty() {
        return Ok(());
    }
    let rows: Vec<serde_json::Value> = answers
        .iter()
        .map(|a| {
            let (reason, note, later_from) = answer_columns(&a.answer);
            serde_json::json!({
                "round": a.round_id.0,
                "vpa": a.vpa.to_db(),
                "answer": a.answer.kind(),
                "reason": reason,
                "note": note,
                "later_from": later_from.map(super::day_text),
                "via": a.via.key(),
                "surveyed": a.surveyed,
                "at": super::time_text(a.at),
            })
        })
        .collect();
    sqlx::query(
        // Rows go in array order, so two answers of one VPA in a batch land (and enter the
        // history) in the order they came. `WHERE true` keeps the upsert's ON unambiguous.
        "INSERT INTO survey_answers (round_id, vpa_id, answer, reason, note, later_from, via, surveyed, answered_at) \
         SELECT value ->> 'round', value ->> 'vpa', value ->> 'answer', value ->> 'reason', value ->> 'note', \
                value ->> 'later_from', value ->> 'via', value ->> 'surveyed', value ->> 'at' \
         FROM json_each(?1) WHERE true ORDER BY key \
         ON CONFLICT (round_id, vpa_id) DO UPDATE SET answer = excluded.answer, reason = excluded.reason, \
         note = excluded.note, later_from = excluded.later_from, via = excluded.via, answered_at = excluded.answered_at",
    )
    .bind(serde_json::Value::Array(rows).to_string())
    .execute(conn)
    .await?;
    Ok(())
}

from_row! {
    /// A survey post still taking answers: its round is open, its task still needs somebody, and
    /// the post is out (it has a Discord message).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct OpenPost {
        pub round_id: RoundId,
        pub channel: DiscordId,
        pub message: DiscordId,
    }
}

from_row! {
    /// One entry of a VPA's answer history in a round: the kind (`accept`, `decline`, `later` or
    /// `withdrawn`) and how it came in.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct HistoryEntry {
        pub vpa: DiscordId,
        pub kind: String,
        pub via: AnswerVia,
    }
}

impl Db {
    /// The survey posts still taking answers, oldest round first (what a catch-up on reactions
    /// reads back).
    pub async fn open_posts(&self) -> sqlx::Result<Vec<OpenPost>> {
        let open = super::codec::key_list(&TaskStatus::OPEN_DEMAND, TaskStatus::key);
        sqlx::query_as(&format!(
            "SELECT r.id AS round_id, r.channel_id AS channel, r.message_id AS message \
             FROM survey_rounds r JOIN tasks t ON t.id = r.task_id \
             WHERE r.closed_at IS NULL AND r.message_id IS NOT NULL AND r.channel_id IS NOT NULL \
               AND t.status IN ({open}) ORDER BY r.id"
        ))
        .fetch_all(&self.pool)
        .await
    }

    /// A round's current answers and its answer history (oldest first), read on one snapshot.
    pub async fn answers_and_history(
        &self,
        round_id: RoundId,
    ) -> sqlx::Result<(Vec<StoredAnswer>, Vec<HistoryEntry>)> {
        let mut tx = self.pool.begin().await?;
        let rows: Vec<AnswerRow> = sqlx::query_as(&format!(
            "SELECT {ANSWER_COLUMNS} FROM survey_answers WHERE round_id = ? ORDER BY vpa_id"
        ))
        .bind(round_id)
        .fetch_all(&mut *tx)
        .await?;
        let history: Vec<HistoryEntry> = sqlx::query_as(
            "SELECT vpa_id AS vpa, answer AS kind, via FROM survey_answer_history \
             WHERE round_id = ? ORDER BY id",
        )
        .bind(round_id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((
            rows.into_iter().map(AnswerRow::into_domain).collect(),
            history,
        ))
    }
}
