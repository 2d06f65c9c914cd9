//! vpa-desk: keeps the agency's client demand covered by its pool of virtual personal assistants.
//!
//! Layers depend only downward: [`domain`] (pure rules) → [`db`] (all SQL) → [`service`] (use
//! cases returning typed outcomes and views) → [`present`] (texts in the reader's language and
//! Discord messages) → [`bot`] (commands and event handlers) and [`worker`] (outbox delivery,
//! timers). [`cli`] wires them; `main.rs` only calls it. [`loopback`] is a Discord-compatible
//! server for the tests and the [`sandbox`].

pub mod bot;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod loopback;
pub mod present;
pub mod sandbox;
pub mod service;
pub mod worker;
