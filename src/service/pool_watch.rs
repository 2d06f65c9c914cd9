//! The pool-health watch: "ca. 10 VPAs, die Neukunden möchten und keinen VT-Stop haben" — checked
//! after every change that can affect availability and on a schedule. One alert when the pool
//! drops below its minimum, a reminder each day it stays below, a notice when it recovers;
//! never two alerts for one crossing (the state lives in the database, across restarts).

use chrono::Duration;

use super::desk::Desk;
use super::error::Result;
use crate::db::escalations::{WatchState, set_watch_state, watch_state};
use crate::db::outbox::{self, Intent};
use crate::db::vpas::availability_changes_since;
use crate::domain::outbox::{BecameUnavailable, PoolNotice, PoolNoticeKind, Unavailability};
use crate::domain::pool_health::evaluate as evaluate_pool;

/// What an evaluation said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchNotice {
    Alert,
    Reminder,
    Recovered,
    Nothing,
}

/// How far back "recently unavailable" looks.
const RECENT: Duration = Duration::days(14);

/// Evaluates the pool now and queues what the manager must hear.
#[tracing::instrument(skip_all)]
pub async fn evaluate(desk: &Desk) -> Result<WatchNotice> {
    let (now, today) = (desk.now(), desk.today());
    let settings = &desk.config.settings;
    // Read before the write lock: the transaction holds it for the watch's state and notice,
    // not for reading the pool (availability and areas only: no commitments).
    let pool = desk.db.load_profiles(&desk.config.catalog).await?;
    let mut tx = desk.db.begin_write().await?;
    let health = evaluate_pool(
        &pool,
        &desk.config.catalog,
        today,
        settings.pool.min_available,
        &settings.pool.area_minimums,
    );
    // The day's snapshot for the manager's reports: the day's latest evaluation stands.
    crate::db::reports::snapshot(&mut tx, &health, &settings.pool.area_minimums, now).await?;
    let state = watch_state(&mut tx).await?;
    let below = !health.healthy;
    let (notice, kind) = match (state.below, below) {
        (false, true) => (WatchNotice::Alert, PoolNoticeKind::Alert),
        (true, true) if state.last_notice_on.is_none_or(|d| d < today) => {
            (WatchNotice::Reminder, PoolNoticeKind::Reminder)
        }
        (true, false) => (WatchNotice::Recovered, PoolNoticeKind::Recovered),
        _ => {
            tx.commit().await?;
            return Ok(WatchNotice::Nothing);
        }
    };
    let since = state.below_since.unwrap_or(now) - RECENT;
    let by_id: std::collections::HashMap<_, _> = pool.iter().map(|v| (v.discord_id, v)).collect();
    let mut unavailable: Vec<BecameUnavailable> = Vec::new();
    for change in availability_changes_since(&mut tx, since).await? {
        let vpa = change.vpa_id;
        let Some(profile) = by_id.get(&vpa) else {
            continue;
        };
        if profile.available_for_new_clients(today) || unavailable.iter().any(|u| u.vpa == vpa) {
            continue;
        }
        let why = match change.field.as_str() {
            "wants_new_clients" if change.new_value.as_deref() == Some("false") => {
                Unavailability::NoNewClients
            }
            "vt_stop_until" if profile.vt_stop_active(today) => match profile.vt_stop_until {
                Some(until) => Unavailability::VtStop { until },
                None => continue,
            },
            "absent_from" | "absent_until" if profile.absent_on(today) => Unavailability::Absent,
            "active" if !profile.active => Unavailability::Deactivated,
            _ => continue,
        };
        unavailable.push(BecameUnavailable {
            vpa,
            name: profile.name.clone(),
            why,
        });
    }
    if kind == PoolNoticeKind::Recovered {
        unavailable.clear();
    }
    let intent = Intent::PoolWatch(PoolNotice {
        kind,
        health: (&health).into(),
        unavailable,
    });
    outbox::enqueue(&mut tx, outbox::once(intent, now), now).await?;
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
