//! The outbox table: what the bot must still say in Discord, and what it produced.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::{Db, retry_busy};
use crate::domain::ids::{DiscordId, RoundId, TaskId};
pub use crate::domain::outbox::Intent;

/// A stored outbox item.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxItem {
    pub id: i64,
    pub intent: Intent,
    pub nonce: String,
    pub attempts: i64,
    pub created_at: DateTime<Utc>,
    /// When a post of it was first handed to Discord without a known result — set just before
    /// the post goes out, kept through retries and stops, cleared when the item is settled. An
    /// item with it may be out already.
    pub in_flight_since: Option<DateTime<Utc>>,
}

from_row! {
    struct OutboxRow {
        id: i64,
        intent: String,
        nonce: String,
        attempts: i64,
        created_at: DateTime<Utc>,
        next_attempt_at: DateTime<Utc>,
        in_flight_since: Option<DateTime<Utc>>,
    }
}

from_row! {
    /// The state of an item, for tests and the admin view.
    #[derive(Debug, Clone, PartialEq)]
    pub struct OutboxState {
        pub id: i64,
        pub intent: String,
        pub status: String,
        pub attempts: i64,
        pub last_error: Option<String>,
        pub produced_message_id: Option<i64>,
    }
}

/// An item given up: what it was, how often it was tried, what Discord said last.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DeadLetter {
    pub id: i64,
    /// What it was; `None` when the stored intent cannot be read (a newer version wrote it).
    pub intent: Option<Intent>,
    pub attempts: i64,
    pub last_error: String,
    pub created_at: DateTime<Utc>,
    pub failed_at: DateTime<Utc>,
}

from_row! {
    struct DeadLetterRow {
        id: i64,
        intent: String,
        attempts: i64,
        last_error: Option<String>,
        created_at: DateTime<Utc>,
        finished_at: Option<DateTime<Utc>>,
    }
}

/// A re-render of a round's post, due at `due`; changes in between fold into one edit.
pub fn refresh_post(round_id: RoundId, due: DateTime<Utc>) -> NewItem {
    NewItem {
        intent: Intent::RefreshSurveyPost { round_id },
        coalesce_key: Some(format!("refresh-round-{round_id}")),
        due,
    }
}

/// The task's notice, posted or edited to the current state, due at `due`; changes in quick
/// succession fold into one edit.
pub fn notice(task_id: TaskId, due: DateTime<Utc>) -> NewItem {
    NewItem {
        intent: Intent::EscalationNotice { task_id },
        coalesce_key: Some(format!("escalation-{task_id}")),
        due,
    }
}

/// An item that is never folded into another.
pub fn once(intent: Intent, due: DateTime<Utc>) -> NewItem {
    NewItem {
        intent,
        coalesce_key: None,
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

/// Queues one item (see [`enqueue_many`]).
pub async fn enqueue(
    conn: &mut SqliteConnection,
    item: NewItem,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    enqueue_many(conn, std::slice::from_ref(&item), now).await
}

/// An item to queue with [`enqueue_many`].
#[derive(Debug, Clone, PartialEq)]
pub struct NewItem {
    pub intent: Intent,
    pub coalesce_key: Option<String>,
    pub due: DateTime<Utc>,
}

/// Queues several items in one statement. With a `coalesce_key`, an already pending item with
/// the same key absorbs the new one — its rendering at delivery covers this change too.
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
    /// key queues a fresh item instead of folding into one that is already rendered. Claiming is
    /// not sending: an item is marked in flight only when its post goes out
    /// ([`Db::outbox_in_flight`]).
    pub async fn claim_due_outbox(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> sqlx::Result<Vec<OutboxItem>> {
        let mut rows: Vec<OutboxRow> = {
            let _turn = self.write_turn().await;
            retry_busy(self.busy_bound, "outbox", || {
                sqlx::query_as(
                    "UPDATE outbox SET status = 'sending' WHERE id IN (SELECT id FROM outbox \
                     WHERE status = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2) \
                     RETURNING id, intent, nonce, attempts, created_at, next_attempt_at, in_flight_since",
                )
                .bind(now)
                .bind(limit)
                .fetch_all(&self.pool)
            })
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
                    in_flight_since: row.in_flight_since,
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

    /// Marks an item in flight: a post of it is about to be handed to Discord, and until the
    /// item is settled nobody knows whether it went out. The first such moment stays.
    pub async fn outbox_in_flight(&self, id: i64, now: DateTime<Utc>) -> sqlx::Result<()> {
        let _turn = self.write_turn().await;
        retry_busy(self.busy_bound, "outbox", || {
            sqlx::query(
                "UPDATE outbox SET in_flight_since = ? WHERE id = ? AND in_flight_since IS NULL",
            )
            .bind(now)
            .bind(id)
            .execute(&self.pool)
        })
        .await?;
        Ok(())
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
        delivered: &[(i64, Option<(DiscordId, DiscordId)>)],
        now: DateTime<Utc>,
    ) -> sqlx::Result<()> {
        if delivered.is_empty() {
            return Ok(());
        }
        let rows: Vec<(i64, Option<i64>, Option<i64>)> = delivered
            .iter()
            .map(|(id, produced)| {
                let (channel, message) = produced.map(|(c, m)| (c.to_db(), m.to_db())).unzip();
                (*id, channel, message)
            })
            .collect();
        let rows = serde_json::to_string(&rows).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let _turn = self.write_turn().await;
        retry_busy(self.busy_bound, "outbox", || {
            sqlx::query(
                // `id IN (…)` walks the primary key; a join with json_each would let the planner
                // scan the whole outbox for each delivery.
                "UPDATE outbox SET status = 'sent', attempts = attempts + 1, \
                 produced_channel_id = (SELECT value ->> 1 FROM json_each(?1) WHERE value ->> 0 = outbox.id), \
                 produced_message_id = (SELECT value ->> 2 FROM json_each(?1) WHERE value ->> 0 = outbox.id), \
                 finished_at = ?2, last_error = NULL, in_flight_since = NULL \
                 WHERE id IN (SELECT value ->> 0 FROM json_each(?1))",
            )
            .bind(&rows)
            .bind(now)
            .execute(&self.pool)
        })
        .await?;
        Ok(())
    }

    /// After a crash, items that were being sent go back to the queue. The one whose post was
    /// out keeps its in-flight mark, so it is looked for before it is sent again.
    pub async fn requeue_in_flight_outbox(&self) -> sqlx::Result<u64> {
        let _turn = self.write_turn().await;
        // A newer pending item with the same key supersedes one that was in flight.
        let done = retry_busy(self.busy_bound, "outbox", || {
            sqlx::query(
                "UPDATE outbox SET status = CASE WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.coalesce_key = outbox.coalesce_key \
                 AND o.status = 'pending') THEN 'sent' ELSE 'pending' END WHERE status = 'sending'",
            )
            .execute(&self.pool)
        })
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
        retry_busy(self.busy_bound, "outbox", || {
            sqlx::query(
                "UPDATE outbox SET status = CASE WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.coalesce_key = outbox.coalesce_key \
                 AND o.status = 'pending') THEN 'sent' ELSE 'pending' END, attempts = attempts + 1, last_error = ?, \
                 next_attempt_at = ? WHERE id = ?",
            )
            .bind(error)
            .bind(next_attempt_at)
            .bind(id)
            .execute(&self.pool)
        })
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
        retry_busy(self.busy_bound, "outbox", || {
            sqlx::query(
                "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, finished_at = ?, \
                 in_flight_since = NULL WHERE id = ?",
            )
            .bind(error)
            .bind(now)
            .bind(id)
            .execute(&self.pool)
        })
        .await?;
        Ok(())
    }

    /// Puts an item back without counting an attempt: nothing was sent this time (it waits for
    /// something else, or for the quiet hours to end). A mark from an earlier attempt stays.
    pub async fn outbox_wait(
        &self,
        id: i64,
        reason: &str,
        next_attempt_at: DateTime<Utc>,
    ) -> sqlx::Result<()> {
        let _turn = self.write_turn().await;
        retry_busy(self.busy_bound, "outbox", || {
            sqlx::query(
                "UPDATE outbox SET status = 'pending', last_error = ?, next_attempt_at = ? WHERE id = ?",
            )
            .bind(reason)
            .bind(next_attempt_at)
            .bind(id)
            .execute(&self.pool)
        })
        .await?;
        Ok(())
    }

    /// Gives claimed items back (the worker stops). One whose post was handed to Discord keeps
    /// its in-flight mark: it may be out.
    pub async fn outbox_release(&self, ids: &[i64]) -> sqlx::Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let ids = serde_json::to_string(ids).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let _turn = self.write_turn().await;
        retry_busy(self.busy_bound, "outbox", || {
            sqlx::query(
                "UPDATE outbox SET status = 'pending' \
             WHERE status = 'sending' AND id IN (SELECT value FROM json_each(?))",
            )
            .bind(&ids)
            .execute(&self.pool)
        })
        .await?;
        Ok(())
    }

    /// Items given up (dead letters), oldest first.
    pub async fn failed_outbox(&self) -> sqlx::Result<Vec<DeadLetter>> {
        let rows: Vec<DeadLetterRow> = sqlx::query_as(
            "SELECT id, intent, attempts, last_error, created_at, finished_at FROM outbox \
             WHERE status = 'failed' ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| DeadLetter {
                id: r.id,
                intent: serde_json::from_str(&r.intent).ok(),
                attempts: r.attempts,
                last_error: r.last_error.unwrap_or_default(),
                created_at: r.created_at,
                failed_at: r.finished_at.unwrap_or(r.created_at),
            })
            .collect())
    }

    /// Queues given-up items again (all of them without `ids`), as new: attempts from zero, due
    /// at once and in their old place in the queue (due since they failed). Of items with the
    /// same coalesce key (a notice, a post's refresh: rendered from the current state anyway)
    /// one is queued — none if one is pending already — and the others are settled as covered
    /// by it; reports about given-up items (to the manager channel) are settled, not sent again.
    /// Returns how many items will be delivered (queued or covered).
    pub async fn requeue_failed_outbox(&self, ids: Option<&[i64]>) -> sqlx::Result<u64> {
        let ids = ids
            .map(|ids| serde_json::to_string(ids).map_err(|e| sqlx::Error::Encode(Box::new(e))))
            .transpose()?;
        let _turn = self.write_turn().await;
        let mut tx = retry_busy(self.busy_bound, "outbox", || {
            self.pool.begin_with("BEGIN IMMEDIATE")
        })
        .await?;
        let chosen =
            "status = 'failed' AND (?1 IS NULL OR id IN (SELECT value FROM json_each(?1)))";
        // A report about an item given up is moot once that item is queued again.
        let reports = sqlx::query(
            "UPDATE outbox SET status = 'sent', last_error = 'covered: the item it reports was queued again' \
             WHERE status = 'failed' AND json_extract(intent, '$.type') = 'delivery_failed' AND (?1 IS NULL \
             OR id IN (SELECT value FROM json_each(?1)) OR json_extract(intent, '$.outbox_id') IN (SELECT value FROM json_each(?1)))",
        )
        .bind(&ids)
        .execute(&mut *tx)
        .await?;
        let covered = sqlx::query(&format!(
            "UPDATE outbox SET status = 'sent', last_error = 'covered by a newer item with the same key' \
             WHERE {chosen} AND coalesce_key IS NOT NULL AND EXISTS (SELECT 1 FROM outbox o \
             WHERE o.coalesce_key = outbox.coalesce_key AND (o.status = 'pending' OR (o.status = 'failed' \
             AND o.id > outbox.id AND (?1 IS NULL OR o.id IN (SELECT value FROM json_each(?1))))))"
        ))
        .bind(&ids)
        .execute(&mut *tx)
        .await?;
        let queued = sqlx::query(&format!(
            "UPDATE outbox SET status = 'pending', attempts = 0, \
             next_attempt_at = COALESCE(finished_at, created_at), finished_at = NULL WHERE {chosen}"
        ))
        .bind(&ids)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::debug!(
            reports = reports.rows_affected(),
            "outbox: reports about requeued items settled"
        );
        Ok(covered.rows_affected() + queued.rows_affected())
    }

    /// The task's re-pings that wait for its notice are due now (the notice is out).
    pub async fn wake_pings(&self, task_id: TaskId, now: DateTime<Utc>) -> sqlx::Result<()> {
        let _turn = self.write_turn().await;
        retry_busy(self.busy_bound, "outbox", || {
            sqlx::query(
                "UPDATE outbox SET next_attempt_at = ?1 WHERE status = 'pending' \
                 AND json_extract(intent, '$.type') = 'escalation_ping' AND json_extract(intent, '$.task_id') = ?2",
            )
            .bind(now)
            .bind(task_id)
            .execute(&self.pool)
        })
        .await?;
        Ok(())
    }

    /// All items, newest first (tests, diagnostics).
    pub async fn outbox_states(&self) -> sqlx::Result<Vec<OutboxState>> {
        sqlx::query_as("SELECT id, intent, status, attempts, last_error, produced_message_id FROM outbox ORDER BY id DESC")
            .fetch_all(&self.pool)
            .await
    }
}
