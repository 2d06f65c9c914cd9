//! Use cases: domain rules plus the database. They return what should be said, never call Discord.

pub mod import;
pub mod pool;
