//! Pure rules of the VPA pool: who fits a task, how utilized everyone is, how healthy the pool is.
//!
//! Nothing in here talks to Discord or the database; every function takes plain values and the
//! day it is evaluated on, so the rules are unit-tested beside the code.

pub mod area;
pub mod competence;
pub mod dates;
pub mod eligibility;
pub mod ids;
pub mod playbook;
pub mod pool_health;
pub mod ranking;
pub mod survey;
pub mod task;
pub mod utilization;
pub mod vpa;

pub use area::WorkArea;
pub use competence::{Catalog, Competence, CompetenceId, Level};
pub use ids::DiscordId;
pub use vpa::Vpa;
