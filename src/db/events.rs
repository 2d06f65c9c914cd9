//! Gateway events already handled (`processed_events`). An event is marked in the same
//! transaction as its effect: if handling fails, neither is written, so the event is handled
//! again when Discord delivers it again; if it succeeded, a repeat finds the mark.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

/// Marks an event as handled inside the caller's transaction; false when it was handled before
/// (a duplicate delivery).
pub async fn mark_processed(
    conn: &mut SqliteConnection,
    event_key: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO processed_events (event_key, processed_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(event_key)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks several events in one statement; returns the keys that were new (the others were
/// handled before). Used by the answer writer, which records a batch of answers at once.
pub async fn mark_processed_many(
    conn: &mut SqliteConnection,
    event_keys: &[&str],
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<String>> {
    if event_keys.is_empty() {
        return Ok(Vec::new());
    }
    let keys = serde_json::to_string(event_keys).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query_scalar(
        "INSERT INTO processed_events (event_key, processed_at) \
         SELECT DISTINCT value, ?2 FROM json_each(?1) WHERE true ON CONFLICT DO NOTHING RETURNING event_key",
    )
    .bind(keys)
    .bind(now)
    .fetch_all(conn)
    .await
}
