//! Keeping data only as long as needed: handled events and delivered messages pruned after
//! `retention.*` days.

use super::desk::{Desk, DeskEvent};
use super::error::Result;
use crate::db::maintenance::Pruned;

/// Deletes what is older than its retention; logs counts only.
pub async fn prune(desk: &Desk) -> Result<Pruned> {
    let now = desk.now();
    let r = &desk.config.settings.retention;
    let days = |d: u32| chrono::Duration::days(i64::from(d));
    let pruned = desk
        .db
        .prune(
            now - days(r.processed_events_days),
            now - days(r.delivered_outbox_days),
        )
        .await?;
    if pruned != Pruned::default() {
        tracing::info!(
            processed_events = pruned.processed_events,
            delivered_outbox = pruned.delivered_outbox,
            "pruned"
        );
    }
    desk.publish(DeskEvent::Pruned(pruned));
    Ok(pruned)
}
