//! The pool-health watch: "ca. 10 VPAs, die Neukunden möchten und keinen VT-Stop haben" — checked
//! after every change that can affect availability and on a schedule. One alert when the pool
//! drops below its minimum, a reminder each day it stays below, a notice when it recovers;
//! never two alerts for one crossing (the state lives in the database, across restarts).

use chrono::Duration;

use super::desk::Desk;
use crate::db::escalations::{WatchState, set_watch_state, watch_state};
use crate::db::outbox::{Intent, enqueue};
use crate::domain::ids::DiscordId;
use crate::domain::pool_health::evaluate as evaluate_pool;
use crate::messages;

/// What an evaluation said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchNotice {
    Alert,
    Reminder,
    Recovered,
    Nothing,
}

/// One recent change that made a VPA unavailable for new clients.
#[derive(Debug, Clone, PartialEq)]
pub struct BecameUnavailable {
    pub vpa: DiscordId,
    pub name: String,
    /// German, e.g. "VT-Stop bis 31.12.2026"; an absence never says why.
    pub why: String,
}

/// How far back "recently unavailable" looks.
const RECENT: Duration = Duration::days(14);

/// Evaluates the pool now and queues what the manager must hear.
#[tracing::instrument(skip_all)]
pub async fn evaluate(desk: &Desk) -> anyhow::Result<WatchNotice> {
    let (now, today) = (desk.now(), desk.today());
    let settings = &desk.config.settings;
    let mut tx = desk.db.begin_write().await?;
    let pool = crate::db::vpas::load_vpas(&mut tx, &desk.config.catalog, None).await?;
    let health = evaluate_pool(
        &pool,
        &desk.config.catalog,
        today,
        settings.pool.min_available,
        &settings.pool.area_minimums,
    );
    let state = watch_state(&mut tx).await?;
    let below = !health.healthy;
    let notice = match (state.below, below) {
        (false, true) => WatchNotice::Alert,
        (true, true) if state.last_notice_on.is_none_or(|d| d < today) => WatchNotice::Reminder,
        (true, false) => WatchNotice::Recovered,
        _ => WatchNotice::Nothing,
    };
    if notice == WatchNotice::Nothing {
        return Ok(notice);
    }
    let since = state.below_since.unwrap_or(now) - RECENT;
    let history = sqlx::query_as::<_, (i64, String, Option<String>)>(
        "SELECT h.vpa_id, h.field, h.new_value FROM vpa_history h WHERE h.changed_at >= ? AND h.source != 'import' \
         AND h.field IN ('wants_new_clients', 'vt_stop_until', 'absent_from', 'absent_until', 'active') ORDER BY h.changed_at DESC, h.id DESC",
    )
    .bind(since)
    .fetch_all(&mut *tx)
    .await?;
    let mut unavailable: Vec<BecameUnavailable> = Vec::new();
    for (vpa_id, field, new_value) in history {
        let vpa = DiscordId::from_db(vpa_id);
        let Some(profile) = pool.iter().find(|v| v.discord_id == vpa) else {
            continue;
        };
        if profile.available_for_new_clients(today) || unavailable.iter().any(|u| u.vpa == vpa) {
            continue;
        }
        let why = match field.as_str() {
            "wants_new_clients" if new_value.as_deref() == Some("nein") => {
                "möchte keine Neukunden mehr".to_string()
            }
            "vt_stop_until" if profile.vt_stop_active(today) => {
                format!(
                    "VT-Stop bis {}",
                    profile
                        .vt_stop_until
                        .map(crate::domain::dates::german)
                        .unwrap_or_default()
                )
            }
            "absent_from" | "absent_until" if profile.absent_on(today) => "abwesend".to_string(),
            "active" if !profile.active => "deaktiviert".to_string(),
            _ => continue,
        };
        unavailable.push(BecameUnavailable {
            vpa,
            name: profile.name.clone(),
            why,
        });
    }
    let text = match notice {
        WatchNotice::Alert => messages::pool_alert(&health, &unavailable),
        WatchNotice::Reminder => messages::pool_reminder(&health, &unavailable),
        WatchNotice::Recovered | WatchNotice::Nothing => messages::pool_recovered(&health),
    };
    let ping = matches!(notice, WatchNotice::Alert);
    enqueue(
        &mut tx,
        &Intent::ChannelMessage {
            channel_id: settings.discord.manager_channel_id,
            text,
            mention_users: Vec::new(),
            mention_roles: if ping {
                vec![settings.discord.manager_role_id]
            } else {
                Vec::new()
            },
        },
        None,
        now,
        now,
    )
    .await?;
    let next = WatchState {
        below,
        below_since: if below {
            state.below_since.or(Some(now))
        } else {
            None
        },
        last_notice_on: Some(today),
    };
    set_watch_state(&mut tx, &next, now).await?;
    tx.commit().await?;
    desk.ring_outbox();
    tracing::info!(
        ?notice,
        available = health.available_for_new_clients,
        "pool-health watch"
    );
    Ok(notice)
}
