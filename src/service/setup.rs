//! The set-up check's outcome for the running bot: kept while the problems stand (`/pool`
//! shows a warning line), and told to the manager channel once at start — or, when that
//! channel is the broken one, to the log.

use super::desk::{Desk, DeskEvent};
use super::error::Result;
use crate::db::outbox::{self, Intent};
use crate::domain::setup::{SetupProblem, manager_channel_broken};

/// Keeps what a check found. With `announce` (the check at start), problems go to the manager
/// channel through the outbox, or to the log at ERROR when they concern that channel.
pub async fn checked(desk: &Desk, problems: Vec<SetupProblem>, announce: bool) -> Result<()> {
    let count = problems.len();
    *desk
        .setup_problems
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = problems.clone();
    if announce && !problems.is_empty() {
        if manager_channel_broken(&problems) {
            tracing::error!(
                ?problems,
                "the set-up check found problems, and the manager channel cannot take the notice; run `vpa-desk check`"
            );
        } else {
            tracing::warn!(
                count,
                "the set-up check found problems; told the manager channel"
            );
            let now = desk.now();
            let mut tx = desk.db.begin_write().await?;
            outbox::enqueue(
                &mut tx,
                outbox::once(Intent::SetupProblems { problems }, now),
                now,
            )
            .await?;
            tx.commit().await?;
            desk.ring_outbox();
        }
    }
    desk.publish(DeskEvent::SetupChecked { problems: count });
    Ok(())
}

/// What the last check found and still stands.
pub fn standing(desk: &Desk) -> Vec<SetupProblem> {
    desk.setup_problems
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
}
