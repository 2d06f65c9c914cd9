//! Members' languages: remembered from their interactions (Discord sends the client's locale
//! with each), so a direct message to them speaks it; and members Discord refuses DMs to:
//! asked in a channel to open them (at most once a day), the coordinator concerned told.

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

/// What follows from a refused DM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DmRefused {
    /// Ask the member in the fallback channel now (not yet today).
    pub mention: bool,
    /// The coordinator who was told (a DM queued), if any.
    pub told: Option<DiscordId>,
}

/// Discord refused a DM to `member` (403, 50007): marks them unreachable (their profile shows
/// it until a DM goes through), decides whether they are asked in the channel now, and tells
/// the coordinator of the task the DM was about — once a day per member and coordinator, never
/// when the coordinator is that member, and never about a DM that itself told of a refusal.
pub async fn dm_refused(
    desk: &Desk,
    member: DiscordId,
    message: &crate::domain::outbox::DirectMessage,
) -> Result<DmRefused> {
    use crate::domain::outbox::DirectMessage;
    let now = desk.now();
    let mut tx = desk.db.begin_write().await?;
    let mention = members::dm_refused(&mut tx, member, now).await?;
    let task = match message {
        DirectMessage::DmRefused { .. } => None,
        _ => message.task(),
    };
    let coordinator = match task {
        Some(task_id) => crate::db::tasks::created_by(&mut tx, task_id).await?,
        None => None,
    };
    let concerned = task.zip(coordinator).filter(|(_, c)| *c != member);
    let mut told = None;
    if let Some((task_id, c)) = concerned
        && members::tell_of_dm_refused(&mut tx, member, c, now).await?
    {
        let tell = crate::db::outbox::Intent::Direct {
            to: c,
            message: DirectMessage::DmRefused { task_id, member },
        };
        crate::db::outbox::enqueue(&mut tx, crate::db::outbox::once(tell, now), now).await?;
        told = Some(c);
    }
    tx.commit().await?;
    if told.is_some() {
        desk.ring_outbox();
    }
    Ok(DmRefused { mention, told })
}

/// A DM to `member` went through: no longer marked unreachable.
pub async fn dm_reached(desk: &Desk, member: DiscordId) -> Result<()> {
    desk.db.dm_reached(member).await?;
    Ok(())
}
