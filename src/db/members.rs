//! What the bot knows about members beyond VPA profiles: the language each last used.

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
