//! Use cases: domain rules plus the database. They return what should be said, never call Discord.

pub mod answers;
pub mod desk;
pub mod escalation;
pub mod import;
pub mod playbook;
pub mod pool;
pub mod pool_watch;
pub mod profiles;
pub mod rounds;
pub mod survey;
pub mod tasks;

pub use desk::Desk;
