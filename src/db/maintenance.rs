//! Keeping the file healthy and small: the integrity check at start, pruning what is kept only
//! for a while, and a consistent copy while the bot runs.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::Db;

/// Rows deleted per transaction while pruning, so an old backlog never holds the write lock
/// for long (answers keep flowing between the chunks).
const PRUNE_CHUNK: i64 = 5_000;

/// What a pruning pass deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub processed_events: u64,
    pub delivered_outbox: u64,
}

/// What `PRAGMA quick_check` found: empty when the file is sound, else SQLite's lines.
pub async fn quick_check(pool: &sqlx::SqlitePool) -> Vec<String> {
    match sqlx::query_scalar::<_, String>("PRAGMA quick_check")
        .fetch_all(pool)
        .await
    {
        Ok(lines) if lines.len() == 1 && lines[0] == "ok" => Vec::new(),
        Ok(lines) => lines,
        Err(e) => vec![e.to_string()],
    }
}

impl Db {
    /// Deletes handled events older than `events_before` and delivered outbox items finished
    /// before `outbox_before`, a chunk per transaction. Undelivered items stay (they are the
    /// operator's to requeue).
    pub async fn prune(
        &self,
        events_before: DateTime<Utc>,
        outbox_before: DateTime<Utc>,
    ) -> anyhow::Result<Pruned> {
        let mut pruned = Pruned::default();
        for (sql, cutoff, count) in [
            (
                "DELETE FROM processed_events WHERE rowid IN (SELECT rowid FROM processed_events \
                 WHERE processed_at < ? LIMIT ?)",
                events_before,
                &mut pruned.processed_events,
            ),
            (
                "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox \
                 WHERE status = 'sent' AND finished_at < ? LIMIT ?)",
                outbox_before,
                &mut pruned.delivered_outbox,
            ),
        ] {
            loop {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(sql)
                    .bind(cutoff)
                    .bind(PRUNE_CHUNK)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                tx.commit().await?;
                *count += done;
                if done < PRUNE_CHUNK as u64 {
                    break;
                }
            }
        }
        Ok(pruned)
    }

    /// Writes a consistent copy of the database to `to` (which must not exist) while others
    /// keep reading and writing: `VACUUM INTO` reads one snapshot, so the copy holds every
    /// transaction committed before it began and none after. Then checks the copy.
    pub async fn backup(&self, to: &Path) -> anyhow::Result<Vec<String>> {
        let target = to.to_string_lossy().to_string();
        sqlx::query("VACUUM INTO ?")
            .bind(&target)
            .execute(&self.pool)
            .await?;
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(to)
            .read_only(true);
        let copy = sqlx::SqlitePool::connect_with(options).await?;
        let found = quick_check(&copy).await;
        copy.close().await;
        Ok(found)
    }
}
