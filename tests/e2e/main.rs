//! End-to-end tests: the real serenity/poise client against the loopback Discord server, real
//! SQLite files, and the real binary — one file per topic, all on one helper stack
//! ([`support`]).

mod answers;
mod bad_input;
mod busy;
mod catch_up;
mod cli;
mod delivery;
mod dm_fallback;
mod dropout;
mod edits;
mod escalation;
mod exactly_once;
mod faults;
mod forget;
mod languages;
mod limits;
mod loopback_fidelity;
mod loopback_smoke;
mod maintenance;
mod newbies;
mod outbox;
mod playbook;
mod pool_rules;
mod profiles;
mod relay;
mod reports;
mod roles;
mod sandbox;
mod setup_check;
mod support;
mod tasks;
mod upgrade;
