//! The outbox table: what the bot must still say in Discord, and what it produced.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{FromRow, SqliteConnection};

use super::Db;

/// A button attached to a DM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DmButton {
    pub custom_id: String,
    pub label: String,
}

/// What should be said. Survey posts are rendered from the current state at delivery, so a
/// post delivered late, or an edit folded from many answers, shows the latest figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Intent {
    /// Post the survey of a round in the surveys channel.
    SurveyPost { round_id: i64 },
    /// Add the bot's ✅ ❌ ⏳ to a round's post.
    SurveyReactions { round_id: i64 },
    /// Re-render a round's post (live counts, "vergeben").
    RefreshSurveyPost { round_id: i64 },
    /// Post or edit the task's escalation notice in the manager channel.
    EscalationNotice { task_id: i64 },
    /// A reply to the task's notice that pings the manager again (a further failed round).
    EscalationPing { task_id: i64, cause: String },
    /// A newbie nudge: a DM, or a post in the newbies channel when the VPA refuses DMs.
    Nudge { user_id: u64, text: String },
    /// A direct message, optionally with buttons.
    Dm {
        user_id: u64,
        text: String,
        #[serde(default)]
        buttons: Vec<DmButton>,
    },
    /// A plain message in a channel, mentioning exactly these users and roles.
    ChannelMessage {
        channel_id: u64,
        text: String,
        #[serde(default)]
        mention_users: Vec<u64>,
        #[serde(default)]
        mention_roles: Vec<u64>,
    },
}

/// A stored outbox item.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxItem {
    pub id: i64,
    pub intent: Intent,
    pub nonce: String,
    pub attempts: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct OutboxRow {
    id: i64,
    intent: String,
    nonce: String,
    attempts: i64,
    created_at: DateTime<Utc>,
    next_attempt_at: DateTime<Utc>,
}

/// The state of an item, for tests and the admin view.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct OutboxState {
    pub id: i64,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub produced_message_id: Option<i64>,
}

/// A re-render of a round's post, due at `due`; changes in between fold into one edit.
pub fn refresh_post(round_id: i64, due: DateTime<Utc>) -> NewItem {
    NewItem {
        intent: Intent::RefreshSurveyPost { round_id },
        coalesce_key: Some(format!("refresh-round-{round_id}")),
        due,
    }
}

/// A nonce for a new item. Discord caps nonces at 25 characters. Milliseconds plus a
/// per-process sequence are unique within this process, and a restart starts at a later
/// millisecond.
fn next_nonce() -> String {
    static SEQUENCE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let sequence = SEQUENCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{:x}-{:x}", chrono::Utc::now().timestamp_millis(), sequence)
}

fn intent_json(intent: &Intent) -> sqlx::Result<String> {
    serde_json::to_string(intent).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

/// Queues an intent, due at `due`. With a `coalesce_key`, an already pending item with the same
/// key absorbs it (returns none) — its rendering at delivery covers this change too.
pub async fn enqueue(
    conn: &mut SqliteConnection,
    intent: &Intent,
    coalesce_key: Option<&str>,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO outbox (intent, coalesce_key, nonce, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (coalesce_key) WHERE status = 'pending' AND coalesce_key IS NOT NULL DO NOTHING RETURNING id",
    )
    .bind(intent_json(intent)?)
    .bind(coalesce_key)
    .bind(next_nonce())
    .bind(due)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(id)
}

/// An item to queue with [`enqueue_many`].
#[derive(Debug, Clone, PartialEq)]
pub struct NewItem {
    pub intent: Intent,
    pub coalesce_key: Option<String>,
    pub due: DateTime<Utc>,
}

/// Queues several items in one statement, as [`enqueue`] would one by one.
pub async fn enqueue_many(
    conn: &mut SqliteConnection,
    items: &[NewItem],
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let mut rows = Vec::with_capacity(items.len());
    for item in items {
        rows.push(serde_json::json!({
            "intent": intent_json(&item.intent)?,
            "key": item.coalesce_key,
            "nonce": next_nonce(),
            "due": super::time_text(item.due),
        }));
    }
    sqlx::query(
        "INSERT INTO outbox (intent, coalesce_key, nonce, next_attempt_at, created_at) \
         SELECT value ->> 'intent', value ->> 'key', value ->> 'nonce', value ->> 'due', ?2 \
         FROM json_each(?1) WHERE true ORDER BY key \
         ON CONFLICT (coalesce_key) WHERE status = 'pending' AND coalesce_key IS NOT NULL DO NOTHING",
    )
    .bind(serde_json::Value::Array(rows).to_string())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

impl Db {
    /// Takes up to `limit` due items for delivery, oldest first, in one statement that finds
    /// and marks them `sending`. While an item is being sent, a new change with the same coalesce
    /// key queues a fresh item instead of folding into one that is already rendered.
    pub async fn claim_due_outbox(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> sqlx::Result<Vec<OutboxItem>> {
        let mut rows: Vec<OutboxRow> = {
            let _turn = self.write_turn().await;
            sqlx::query_as(
                "UPDATE outbox SET status = 'sending' WHERE id IN (SELECT id FROM outbox \
                 WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?) \
                 RETURNING id, intent, nonce, attempts, created_at, next_attempt_at",
            )
            .bind(now)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?
        };
        // RETURNING comes in no defined order; delivery keeps the queue's.
        rows.sort_by_key(|r| (r.next_attempt_at, r.id));
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            match serde_json::from_str(&row.intent) {
                Ok(intent) => items.push(OutboxItem {
                    id: row.id,
                    intent,
                    nonce: row.nonce,
                    attempts: row.attempts,
                    created_at: row.created_at,
                }),
                // Written by an incompatible version: park it rather than block the queue.
                Err(e) => {
                    self.outbox_failed(row.id, &format!("unreadable intent: {e}"), now)
                        .await?
                }
            }
        }
        Ok(items)
    }

    /// When the next pending item falls due.
    pub async fn next_outbox_due_at(&self) -> sqlx::Result<Option<DateTime<Utc>>> {
        sqlx::query_scalar("SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'")
            .fetch_one(&self.pool)
            .await
    }

    /// Records deliveries and what each produced, in one statement: a burst of DMs costs the
    /// writers one short turn instead of one per message.
    pub async fn outbox_sent(
        &self,
        delivered: &[(i64, Option<(i64, i64)>)],
        now: DateTime<Utc>,
    ) -> sqlx::Result<()> {
        if delivered.is_empty() {
            return Ok(());
        }
        let rows: Vec<(i64, Option<i64>, Option<i64>)> = delivered
            .iter()
            .map(|(id, produced)| (*id, produced.map(|p| p.0), produced.map(|p| p.1)))
            .collect();
        let rows = serde_json::to_string(&rows).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let _turn = self.write_turn().await;
        sqlx::query(
            // `id IN (…)` walks the primary key; a join with json_each would let the planner
            // scan the whole outbox for each delivery.
            "UPDATE outbox SET status = 'sent', attempts = attempts + 1, \
             produced_channel_id = (SELECT value ->> 1 FROM json_each(?1) WHERE value ->> 0 = outbox.id), \
             produced_message_id = (SELECT value ->> 2 FROM json_each(?1) WHERE value ->> 0 = outbox.id), \
             finished_at = ?2, last_error = NULL \
             WHERE id IN (SELECT value ->> 0 FROM json_each(?1))",
        )
        .bind(rows)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// After a crash, items that were being sent go back to the queue; their nonce keeps a
    /// repeated post from doubling.
    pub async fn requeue_in_flight_outbox(&self) -> sqlx::Result<u64> {
        let _turn = self.write_turn().await;
        // A newer pending item with the same key supersedes one that was in flight.
        let done = sqlx::query(
            "UPDATE outbox SET status = CASE WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.coalesce_key = outbox.coalesce_key \
             AND o.status = 'pending') THEN 'sent' ELSE 'pending' END WHERE status = 'sending'",
        )
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Schedules another attempt after a transient failure (unless a newer item with the same
    /// coalesce key is already queued: that one covers it).
    pub async fn outbox_retry(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: DateTime<Utc>,
    ) -> sqlx::Result<()> {
        let _turn = self.write_turn().await;
        sqlx::query(
            "UPDATE outbox SET status = CASE WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.coalesce_key = outbox.coalesce_key \
             AND o.status = 'pending') THEN 'sent' ELSE 'pending' END, attempts = attempts + 1, last_error = ?, \
             next_attempt_at = ? WHERE id = ?",
        )
            .bind(error)
            .bind(next_attempt_at)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Gives up on an item after a permanent failure.
    pub async fn outbox_failed(
        &self,
        id: i64,
        error: &str,
        now: DateTime<Utc>,
    ) -> sqlx::Result<()> {
        let _turn = self.write_turn().await;
        sqlx::query(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, finished_at = ? WHERE id = ?",
        )
        .bind(error)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// All items, newest first (tests, diagnostics).
    pub async fn outbox_states(&self) -> sqlx::Result<Vec<OutboxState>> {
        sqlx::query_as("SELECT id, status, attempts, last_error, produced_message_id FROM outbox ORDER BY id DESC")
            .fetch_all(&self.pool)
            .await
    }
}
