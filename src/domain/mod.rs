//! Pure rules of the VPA pool: who fits a task, how utilized everyone is, how healthy the pool is,
//! what an answer does, what the fallback playbook suggests — and the vocabulary of what the bot
//! must say ([`outbox`]), as data.
//!
//! Nothing in here talks to Discord or the database, and nothing here is text a user reads
//! (that is `present`'s job); every function takes plain values and the day it is evaluated
//! on, so the rules are unit-tested beside the code.

pub mod answering;
pub mod area;
pub mod catch_up;
pub mod competence;
pub mod dates;
pub mod dropout;
pub mod eligibility;
pub mod escalation;
pub mod ids;
pub mod import;
pub mod newbie;
pub mod outbox;
pub mod playbook;
pub mod pool_health;
pub mod ranking;
pub mod reevaluation;
pub mod report;
pub mod setup;
pub mod survey;
pub mod task;
pub mod utilization;
pub mod vpa;

pub use area::WorkArea;
pub use competence::{Catalog, Competence, CompetenceId, Level};
pub use ids::{ClientId, DiscordId, RoundId, TaskId};
pub use vpa::Vpa;
