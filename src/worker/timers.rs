//! Timers that live in the database: closing survey rounds when their window is over, the
//! coordinator-then-manager follow-up of unassigned acceptances, and the pool-health watch
//! (after every change and at least every few minutes, so the daily reminder comes on time),
//! the weekly digest, the weekly nudge of newbies with incomplete profiles, and pruning what is kept only for a while (hourly).
//! After a restart the first pass closes whatever fell due while the bot was down.

use std::time::Duration;

use tokio::sync::watch;

use crate::service::{Desk, DeskEvent, dropout, maintenance, newbies, pool_watch, reports, rounds};

/// How often the timers run when nothing rings.
const TICK: Duration = Duration::from_secs(30);
/// How often the pool is evaluated without a change (for the daily reminder and date changes).
const POOL_EVERY: chrono::Duration = chrono::Duration::minutes(10);
/// How often old events and delivered messages are pruned.
const PRUNE_EVERY: chrono::Duration = chrono::Duration::hours(1);

/// When the passes last did what they do only now and then (desk time).
#[derive(Debug, Default)]
pub struct Last {
    pool_check: Option<chrono::DateTime<chrono::Utc>>,
    prune: Option<chrono::DateTime<chrono::Utc>>,
}

/// Whether something done at `last` is due again at `now` (also when the clock went back).
fn due(
    last: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
    every: chrono::Duration,
) -> bool {
    last.is_none_or(|at| now - at >= every || now < at)
}

/// Runs until `stop` turns true.
pub async fn run(desk: Desk, mut stop: watch::Receiver<bool>) {
    let mut last = Last::default();
    loop {
        if *stop.borrow() {
            return;
        }
        if let Err(e) = pass(&desk, &mut last).await {
            tracing::error!(error = format!("{e:#}"), "timers: pass failed");
        }
        tokio::select! {
            () = desk.timer_bell.notified() => {}
            () = tokio::time::sleep(TICK) => {}
            _ = stop.changed() => {}
        }
    }
}

/// One pass over everything that may be due.
pub async fn pass(desk: &Desk, last: &mut Last) -> anyhow::Result<()> {
    // Everything due at this instant is handled by the end of the pass (what it publishes).
    let now = desk.now();
    rounds::send_due_waves(desk).await?;
    rounds::close_due_rounds(desk).await?;
    rounds::escalate_overdue_followups(desk).await?;
    dropout::lapse_due_offers(desk).await?;
    dropout::return_covers(desk).await?;
    let changed = desk
        .pool_dirty
        .swap(false, std::sync::atomic::Ordering::SeqCst);
    if changed || due(last.pool_check, now, POOL_EVERY) {
        pool_watch::evaluate(desk).await?;
        last.pool_check = Some(now);
    }
    reports::queue_digest(desk).await?;
    newbies::queue_weekly_nudge(desk).await?;
    if due(last.prune, now, PRUNE_EVERY) {
        maintenance::prune(desk).await?;
        last.prune = Some(now);
    }
    desk.publish(DeskEvent::TimersPassed { now });
    Ok(())
}
