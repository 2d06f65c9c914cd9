//! Newbies completing their profiles: the weekly nudge's runs (once per due day across
//! restarts) and when a newbie's profile became complete.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;

use super::Db;
use crate::domain::ids::DiscordId;

impl Db {
    /// Whether the nudge due on `day` ran (read first: the timers ask every pass).
    pub async fn nudge_run_recorded(&self, day: NaiveDate) -> sqlx::Result<bool> {
        let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM nudge_runs WHERE due_on = ?")
            .bind(day)
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }

    /// The newbies whose profile became complete from `from` (inclusive) to `until`
    /// (exclusive), with their names, by name.
    pub async fn completed_profiles(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> sqlx::Result<Vec<(DiscordId, String)>> {
        sqlx::query_as(
            "SELECT discord_id, name FROM vpas WHERE profile_completed_at >= ? \
             AND profile_completed_at < ? ORDER BY name, discord_id",
        )
        .bind(from)
        .bind(until)
        .fetch_all(&self.pool)
        .await
    }
}

/// Whether the nudge ever ran.
pub async fn any_nudge_run(conn: &mut SqliteConnection) -> sqlx::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM nudge_runs LIMIT 1")
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// Records the nudge due on `day` with how many it nudged; false when it was recorded before
/// (once per due day).
pub async fn record_nudge_run(
    conn: &mut SqliteConnection,
    day: NaiveDate,
    baseline: bool,
    nudged: u32,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO nudge_runs (due_on, state, nudged, ran_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (due_on) DO NOTHING",
    )
    .bind(day)
    .bind(if baseline { "baseline" } else { "ran" })
    .bind(nudged)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// When the VPA's profile last became complete as a newbie (none: incomplete, or complete
/// before anybody looked).
pub async fn profile_completed_at(
    conn: &mut SqliteConnection,
    vpa: DiscordId,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    Ok(sqlx::query_scalar::<_, Option<DateTime<Utc>>>(
        "SELECT profile_completed_at FROM vpas WHERE discord_id = ?",
    )
    .bind(vpa)
    .fetch_optional(conn)
    .await?
    .flatten())
}

/// Sets (or clears) when the VPA's profile became complete.
pub async fn set_profile_completed(
    conn: &mut SqliteConnection,
    vpa: DiscordId,
    at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE vpas SET profile_completed_at = ? WHERE discord_id = ?")
        .bind(at)
        .bind(vpa)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets (or clears) when each VPA's profile became complete, in one statement for any number.
pub async fn set_profiles_completed(
    conn: &mut SqliteConnection,
    marks: &[(DiscordId, Option<DateTime<Utc>>)],
) -> sqlx::Result<()> {
    if marks.is_empty() {
        return Ok(());
    }
    let rows: Vec<(i64, Option<String>)> = marks
        .iter()
        .map(|(vpa, at)| (vpa.to_db(), at.map(super::time_text)))
        .collect();
    let rows = serde_json::to_string(&rows).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query(
        "UPDATE vpas SET profile_completed_at = m.value ->> 1 \
         FROM json_each(?) m WHERE vpas.discord_id = m.value ->> 0",
    )
    .bind(rows)
    .execute(conn)
    .await?;
    Ok(())
}
