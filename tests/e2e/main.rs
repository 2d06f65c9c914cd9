//! End-to-end tests: the real serenity/poise client against the loopback Discord server, real
//! SQLite files, and the real binary.

mod bot_escalation;
mod bot_harness;
mod bot_manage;
mod bot_playbook;
mod bot_survey;
mod faults;
mod foundation;
mod helpers;
mod languages;
mod loopback_fidelity;
mod loopback_smoke;
mod relay;
mod upgrade;
