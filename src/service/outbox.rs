//! The operator's view of the outbox (`vpa-desk outbox`): the messages given up, and queuing
//! them again once the cause is fixed (a channel permission, a blocked DM, Discord down longer
//! than the retries last).

use crate::db::Db;
pub use crate::db::outbox::DeadLetter;

/// Which given-up items to queue again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requeue {
    All,
    Items(Vec<i64>),
}

/// What a requeue did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requeued {
    /// Queued again, attempts from zero: how many.
    Done(u64),
    /// Some ids are not given-up items; nothing was queued. With the ids that are.
    NotFailed { unknown: Vec<i64>, failed: Vec<i64> },
}

/// The items given up, oldest first.
pub async fn dead_letters(db: &Db) -> anyhow::Result<Vec<DeadLetter>> {
    Ok(db.failed_outbox().await?)
}

/// Queues given-up items again — all named ones or none. The bot picks them up within seconds
/// (its idle poll), also when it runs in another process.
pub async fn requeue(db: &Db, which: &Requeue) -> anyhow::Result<Requeued> {
    let ids = match which {
        Requeue::All => None,
        Requeue::Items(ids) => {
            let failed: Vec<i64> = db.failed_outbox().await?.iter().map(|d| d.id).collect();
            let mut unknown: Vec<i64> = ids
                .iter()
                .copied()
                .filter(|id| !failed.contains(id))
                .collect();
            unknown.dedup();
            if !unknown.is_empty() {
                return Ok(Requeued::NotFailed { unknown, failed });
            }
            Some(ids.as_slice())
        }
    };
    Ok(Requeued::Done(db.requeue_failed_outbox(ids).await?))
}
