//! Background workers: outbox delivery and the timers that live in the database.

pub mod outbox;
pub mod timers;
