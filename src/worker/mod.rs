//! Background workers: outbox delivery (rendering through `present`) and the timers that live
//! in the database. They call services and `present`, never the bot.

pub mod outbox;
pub mod timers;
