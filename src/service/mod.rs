//! Use cases: domain rules plus the database. They return typed outcomes and views — never text,
//! never Discord calls — and refuse with one [`Refusal`] type ([`error`]); what must be said in
//! Discord is queued in the outbox in the same transaction as the change that causes it.

pub mod answer_writer;
pub mod answers;
pub mod catch_up;
pub mod delivery;
pub mod desk;
pub mod dropout;
pub mod edits;
pub mod error;
pub mod escalation;
pub mod import;
pub mod maintenance;
pub mod members;
pub mod newbies;
pub mod outbox;
pub mod playbook;
pub mod pool;
pub mod pool_watch;
pub mod profiles;
pub mod reports;
pub mod rounds;
pub mod setup;
pub mod survey;
pub mod tasks;
pub mod templates;

pub use crate::db::{BUSY_BOUND, Busy, OpenError, OpenReason};
pub use desk::{Act, Desk, DeskEvent, HandledEvent, HandledOutcome};
pub use error::{Error, Refusal, Result, refuse};

/// The holders of an offer's competence ranked for it: only they can fit, so the read follows
/// the task, not the pool. Read before any write lock is taken.
pub(crate) async fn rank_holders(
    desk: &Desk,
    offer: &crate::domain::task::Offer,
) -> Result<HoldersRanked> {
    let holders = desk
        .db
        .load_selected(
            &desk.config.catalog,
            &crate::db::vpas::Selection::holders(offer.competence),
        )
        .await?;
    Ok(HoldersRanked {
        holders: holders.len(),
        ranking: crate::domain::ranking::rank(&holders, offer, desk.today()),
    })
}

/// What [`rank_holders`] found.
pub(crate) struct HoldersRanked {
    /// How many hold the competence.
    pub holders: usize,
    pub ranking: crate::domain::ranking::Ranking,
}

/// The fitting VPAs for a task as it is stored, best first.
pub(crate) async fn ranked_holders(
    desk: &Desk,
    task: &crate::domain::task::Task,
) -> Result<Vec<crate::domain::ranking::RankedVpa>> {
    Ok(rank_holders(desk, &task.offer()).await?.ranking.fitting)
}
