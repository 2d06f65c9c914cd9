//! vpa-desk: keeps the agency's client demand covered by its pool of virtual personal assistants.
//!
//! Layers depend only downward: [`domain`] (pure rules) → [`db`] (SQLite) → [`service`] (use
//! cases that return what should be said) → `bot` (Discord) and workers. [`cli`] wires them for
//! the command line; `main.rs` only calls it.

pub mod bot;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod loopback;
pub mod messages;
pub mod sandbox;
pub mod service;
pub mod worker;
