//! Background workers: outbox delivery (and, later, timers).

pub mod outbox;
