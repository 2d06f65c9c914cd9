//! Use cases: domain rules plus the database. They return typed outcomes and views — never text,
//! never Discord calls — and refuse with one [`Refusal`] type ([`error`]); what must be said in
//! Discord is queued in the outbox in the same transaction as the change that causes it.

pub mod answer_writer;
pub mod answers;
pub mod catch_up;
pub mod delivery;
pub mod desk;
pub mod dropout;
pub mod error;
pub mod escalation;
pub mod import;
pub mod members;
pub mod outbox;
pub mod playbook;
pub mod pool;
pub mod pool_watch;
pub mod profiles;
pub mod rounds;
pub mod survey;
pub mod tasks;
pub mod templates;

pub use crate::db::{BUSY_BOUND, Busy, OpenError, OpenReason};
pub use desk::{Act, Desk, DeskEvent, HandledEvent, HandledOutcome};
pub use error::{Error, Refusal, Result, refuse};
