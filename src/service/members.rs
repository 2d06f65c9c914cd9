//! Members' languages: remembered from their interactions (Discord sends the client's locale
//! with each), so a direct message to them speaks it.

use std::collections::HashMap;
use std::sync::Mutex;

use super::desk::Desk;
use super::error::Result;
use crate::db::members;
use crate::domain::ids::DiscordId;

/// The languages this process has seen, so an unchanged one costs no write.
#[derive(Debug, Default)]
pub struct KnownLocales {
    known: Mutex<HashMap<DiscordId, String>>,
}

/// Remembers the language a member used; writes only when it changed.
pub async fn remember_locale(desk: &Desk, user: DiscordId, locale: &str) -> Result<()> {
    let locale = locale.trim();
    if locale.is_empty() || locale.len() > 35 {
        return Ok(());
    }
    {
        let known = desk
            .known_locales
            .known
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if known.get(&user).is_some_and(|l| l == locale) {
            return Ok(());
        }
    }
    let mut tx = desk.db.begin_write().await?;
    members::set_locale(&mut tx, user, locale, desk.now()).await?;
    tx.commit().await?;
    desk.known_locales
        .known
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(user, locale.to_string());
    Ok(())
}

/// The language a member last used, if known.
pub async fn locale_of(desk: &Desk, user: DiscordId) -> Result<Option<String>> {
    if let Some(l) = desk
        .known_locales
        .known
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&user)
    {
        return Ok(Some(l.clone()));
    }
    Ok(desk.db.locale_of(user).await?)
}
