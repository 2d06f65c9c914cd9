//! Survey rounds, who they mentioned, and the answers (current and history).

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{FromRow, SqliteConnection};

use super::Db;
use crate::domain::ids::DiscordId;
use crate::domain::ranking::RankedVpa;
use crate::domain::survey::{Answer, AnswerCounts, DeclineReason, RoundKind, Via};

/// A stored survey round.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Round {
    pub id: i64,
    pub task_id: i64,
    pub kind: String,
    pub competence: String,
    pub opened_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub channel_id: Option<i64>,
    pub message_id: Option<i64>,
}

/// A VPA's current answer in a round.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAnswer {
    pub vpa: DiscordId,
    pub answer: Answer,
    pub via: String,
    pub surveyed: bool,
    pub answered_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct AnswerRow {
    vpa_id: i64,
    answer: String,
    reason: Option<String>,
    note: Option<String>,
    later_from: Option<NaiveDate>,
    via: String,
    surveyed: bool,
    answered_at: DateTime<Utc>,
}

impl AnswerRow {
    fn into_domain(self) -> StoredAnswer {
        let answer = match self.answer.as_str() {
            "accept" => Answer::Accept,
            "later" => Answer::Later {
                from: self.later_from,
            },
            _ => Answer::Decline {
                reason: self
                    .reason
                    .as_deref()
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(DeclineReason::NotGiven),
                note: self.note,
            },
        };
        StoredAnswer {
            vpa: DiscordId::from_db(self.vpa_id),
            answer,
            via: self.via,
            surveyed: self.surveyed,
            answered_at: self.answered_at,
        }
    }
}

const ROUND_COLUMNS: &str =
    "id, task_id, kind, competence, opened_at, closes_at, closed_at, channel_id, message_id";

impl Db {
    /// One round.
    pub async fn get_round(&self, round_id: i64) -> sqlx::Result<Option<Round>> {
        let mut conn = self.pool.acquire().await?;
        get_round(&mut conn, round_id).await
    }

    /// The round whose survey post is this message.
    pub async fn round_by_message(&self, message_id: DiscordId) -> sqlx::Result<Option<Round>> {
        sqlx::query_as(&format!(
            "SELECT {ROUND_COLUMNS} FROM survey_rounds WHERE message_id = ?"
        ))
        .bind(message_id.to_db())
        .fetch_optional(&self.pool)
        .await
    }

    /// The rounds of a task, oldest first.
    pub async fn rounds_of_task(&self, task_id: i64) -> sqlx::Result<Vec<Round>> {
        sqlx::query_as(&format!(
            "SELECT {ROUND_COLUMNS} FROM survey_rounds WHERE task_id = ? ORDER BY id"
        ))
        .bind(task_id)
        .fetch_all(&self.pool)
        .await
    }

    /// Who the round mentioned, best-ranked first.
    pub async fn invitees(&self, round_id: i64) -> sqlx::Result<Vec<DiscordId>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT vpa_id FROM survey_invitees WHERE round_id = ? ORDER BY rank",
        )
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(DiscordId::from_db).collect())
    }

    /// Current answers of a round, in the order they came in.
    pub async fn answers(&self, round_id: i64) -> sqlx::Result<Vec<StoredAnswer>> {
        let rows: Vec<AnswerRow> = sqlx::query_as(
            "SELECT vpa_id, answer, reason, note, later_from, via, surveyed, answered_at FROM survey_answers \
             WHERE round_id = ? ORDER BY answered_at, vpa_id",
        )
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(AnswerRow::into_domain).collect())
    }

    /// Answer figures of a round.
    pub async fn answer_counts(&self, round_id: i64) -> sqlx::Result<AnswerCounts> {
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
    pub async fn answer_history_len(&self, round_id: i64) -> sqlx::Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM survey_answer_history WHERE round_id = ?")
            .bind(round_id)
            .fetch_one(&self.pool)
            .await
    }
}

/// One round on a given connection.
pub async fn get_round(conn: &mut SqliteConnection, round_id: i64) -> sqlx::Result<Option<Round>> {
    sqlx::query_as(&format!(
        "SELECT {ROUND_COLUMNS} FROM survey_rounds WHERE id = ?"
    ))
    .bind(round_id)
    .fetch_optional(conn)
    .await
}

/// Opens a round and records who it mentions.
#[allow(clippy::too_many_arguments)]
pub async fn insert_round(
    conn: &mut SqliteConnection,
    task_id: i64,
    kind: RoundKind,
    competence_key: &str,
    invitees: &[RankedVpa],
    opened_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    created_by: Option<DiscordId>,
) -> sqlx::Result<i64> {
    let round_id: i64 = sqlx::query_scalar(
        "INSERT INTO survey_rounds (task_id, kind, competence, opened_at, closes_at, created_by) \
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(task_id)
    .bind(kind.key())
    .bind(competence_key)
    .bind(opened_at)
    .bind(closes_at)
    .bind(created_by.map(DiscordId::to_db))
    .fetch_one(&mut *conn)
    .await?;
    for (rank, vpa) in invitees.iter().enumerate() {
        sqlx::query(
            "INSERT INTO survey_invitees (round_id, vpa_id, rank, utilization) VALUES (?, ?, ?, ?)",
        )
        .bind(round_id)
        .bind(vpa.discord_id.to_db())
        .bind(rank as i64)
        .bind(vpa.utilization)
        .execute(&mut *conn)
        .await?;
    }
    Ok(round_id)
}

/// Records where the round's post landed.
pub async fn set_round_message(
    conn: &mut SqliteConnection,
    round_id: i64,
    channel: DiscordId,
    message: DiscordId,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE survey_rounds SET channel_id = ?, message_id = ? WHERE id = ?")
        .bind(channel.to_db())
        .bind(message.to_db())
        .bind(round_id)
        .execute(conn)
        .await?;
    Ok(())
}

fn answer_columns(answer: &Answer) -> (Option<&'static str>, Option<&str>, Option<NaiveDate>) {
    match answer {
        Answer::Accept => (None, None, None),
        Answer::Decline { reason, note } => (Some(reason.key()), note.as_deref(), None),
        Answer::Later { from } => (None, None, *from),
    }
}

/// Removes the VPA's answer (a withdrawn reaction), keeping it in the history.
pub async fn withdraw_answer(
    conn: &mut SqliteConnection,
    round_id: i64,
    vpa: DiscordId,
    via: Via,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM survey_answers WHERE round_id = ? AND vpa_id = ?")
        .bind(round_id)
        .bind(vpa.to_db())
        .execute(&mut *conn)
        .await?;
    append_history(conn, round_id, vpa, "withdrawn", None, None, None, via, now).await
}

#[allow(clippy::too_many_arguments)]
async fn append_history(
    conn: &mut SqliteConnection,
    round_id: i64,
    vpa: DiscordId,
    answer: &str,
    reason: Option<&str>,
    note: Option<&str>,
    later_from: Option<NaiveDate>,
    via: Via,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO survey_answer_history (round_id, vpa_id, answer, reason, note, later_from, via, answered_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(round_id)
    .bind(vpa.to_db())
    .bind(answer)
    .bind(reason)
    .bind(note)
    .bind(later_from)
    .bind(via.key())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks an event as handled; false when it was handled before (a duplicate delivery).
pub async fn first_time(
    conn: &mut SqliteConnection,
    event_key: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query("INSERT INTO processed_events (event_key, processed_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
        .bind(event_key)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Which round an answer is for: buttons carry the round's id, reactions the post's message id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundRef {
    Id(i64),
    Message(DiscordId),
}

/// What recording an answer needs to know, read for a whole batch in one statement.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerContext {
    pub round_id: i64,
    pub task_id: i64,
    pub task_status: String,
    pub created_by: Option<DiscordId>,
    pub current: Option<StoredAnswer>,
    pub surveyed: bool,
    /// The task has a notice in the manager channel (then an answer updates it).
    pub has_notice: bool,
}

#[derive(FromRow)]
struct AnswerContextRow {
    idx: i64,
    round_id: i64,
    task_id: i64,
    task_status: String,
    created_by: Option<i64>,
    surveyed: bool,
    answer: Option<String>,
    reason: Option<String>,
    note: Option<String>,
    later_from: Option<NaiveDate>,
    via: Option<String>,
    answered_at: Option<DateTime<Utc>>,
    answer_surveyed: Option<bool>,
    has_notice: bool,
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
            RoundRef::Id(id) => serde_json::json!({"round": id, "vpa": vpa.to_db()}),
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
                EXISTS (SELECT 1 FROM escalations e WHERE e.task_id = t.id) AS has_notice \
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
                    vpa_id: vpa.to_db(),
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
            created_by: r.created_by.map(DiscordId::from_db),
            current,
            surveyed: r.surveyed,
            has_notice: r.has_notice,
        });
    }
    Ok(contexts)
}

/// An answer to store.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerWrite {
    pub round_id: i64,
    pub vpa: DiscordId,
    pub answer: Answer,
    pub via: Via,
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
                "round": a.round_id,
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
