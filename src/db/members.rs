//! What the bot knows about members beyond VPA profiles: the language each last used, and
//! whether Discord takes DMs to them.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::Db;
use crate::domain::ids::DiscordId;

impl Db {
    /// The language the member last used (a Discord locale such as `en-US`), if known.
    pub async fn locale_of(&self, user: DiscordId) -> sqlx::Result<Option<String>> {
        sqlx::query_scalar("SELECT locale FROM member_locales WHERE user_id = ?")
            .bind(user)
            .fetch_optional(&self.pool)
            .await
    }

    /// Since when Discord refuses DMs to the member, if it does.
    pub async fn dm_unreachable_since(
        &self,
        user: DiscordId,
    ) -> sqlx::Result<Option<DateTime<Utc>>> {
        sqlx::query_scalar("SELECT since FROM dm_unreachable WHERE member_id = ?")
            .bind(user)
            .fetch_optional(&self.pool)
            .await
    }

    /// A DM to the member went through: they are reachable again. Writes only when they were
    /// marked (a read costs nothing beside a DM; a write per DM would).
    pub async fn dm_reached(&self, user: DiscordId) -> anyhow::Result<bool> {
        if self.dm_unreachable_since(user).await?.is_none() {
            return Ok(false);
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM dm_unreachable WHERE member_id = ?")
            .bind(user)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM dm_unreachable_told WHERE member_id = ?")
            .bind(user)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// How often a member who refuses DMs is asked in the fallback channel, and each coordinator
/// told of it.
pub const DM_REFUSED_REMINDER: chrono::Duration = chrono::Duration::hours(24);

/// Marks a DM to the member as refused; whether to ask them in the fallback channel now (never
/// asked, or longer ago than a day — then it counts as asked).
pub async fn dm_refused(
    conn: &mut SqliteConnection,
    user: DiscordId,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let mentioned: Option<Option<DateTime<Utc>>> =
        sqlx::query_scalar("SELECT mentioned_at FROM dm_unreachable WHERE member_id = ?")
            .bind(user)
            .fetch_optional(&mut *conn)
            .await?;
    let mention = match mentioned {
        None | Some(None) => true,
        Some(Some(at)) => now - at >= DM_REFUSED_REMINDER,
    };
    sqlx::query(
        "INSERT INTO dm_unreachable (member_id, since, mentioned_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (member_id) DO UPDATE SET mentioned_at = COALESCE(?3, mentioned_at)",
    )
    .bind(user)
    .bind(now)
    .bind(mention.then_some(now))
    .execute(conn)
    .await?;
    Ok(mention)
}

/// Whether to tell `coordinator` now that `user` refuses DMs (not told within a day); counts
/// as told.
pub async fn tell_of_dm_refused(
    conn: &mut SqliteConnection,
    user: DiscordId,
    coordinator: DiscordId,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let told: Option<DateTime<Utc>> = sqlx::query_scalar(
        "SELECT told_at FROM dm_unreachable_told WHERE member_id = ? AND coordinator_id = ?",
    )
    .bind(user)
    .bind(coordinator)
    .fetch_optional(&mut *conn)
    .await?;
    if told.is_some_and(|at| now - at < DM_REFUSED_REMINDER) {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO dm_unreachable_told (member_id, coordinator_id, told_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (member_id, coordinator_id) DO UPDATE SET told_at = ?3",
    )
    .bind(user)
    .bind(coordinator)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(true)
}

/// Remembers the member's language.
pub async fn set_locale(
    conn: &mut SqliteConnection,
    user: DiscordId,
    locale: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO member_locales (user_id, locale, updated_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (user_id) DO UPDATE SET locale = ?2, updated_at = ?3 WHERE locale != ?2",
    )
    .bind(user)
    .bind(locale)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
