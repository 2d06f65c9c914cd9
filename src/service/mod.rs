//! Use cases: domain rules plus the database. They return what should be said, never call Discord.

pub mod answers;
pub mod desk;
pub mod import;
pub mod pool;
pub mod profiles;
pub mod survey;
pub mod tasks;

pub use desk::Desk;
