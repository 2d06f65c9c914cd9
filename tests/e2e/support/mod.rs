//! The one helper stack of the end-to-end tests.
//!
//! - [`db`]: a fresh, migrated SQLite file ([`TestDb`]), the test's own SQL view of any
//!   database file ([`Sql`]), ready-made VPAs and the fixed days of the tests.
//! - [`cli`]: the real `vpa-desk` binary in a temp folder ([`CliEnv`]).
//! - [`harness`]: the real bot against the loopback Discord on its own SQLite file, with a
//!   hand-moved clock ([`Harness`]): starting, crashing, seeding, who is who.
//! - [`discord`]: what a person does in Discord (commands, buttons, selects, forms, reactions)
//!   and what the bot posted there.
//! - [`messages`]: reading a bot message: its text, embed fields and component custom ids
//!   (always through the protocol's own builder, `present::custom_id`).
//! - [`wait`]: waiting — polling for something to appear ([`wait_until`]) and the bot's own
//!   signals ([`handled`], [`Harness::settle`]); never sleep-then-check.

pub mod cli;
pub mod db;
pub mod discord;
pub mod harness;
pub mod messages;
pub mod wait;

pub use cli::CliEnv;
pub use db::{ForeignLock, Sql, TestDb, d, now, ready_vpa};
pub use discord::task_options;
pub use harness::Harness;
pub use messages::{
    CustomId, PlaybookButton, SurveyAction, channel_id, content, custom_ids, field, message_id, pb,
    playbook_button, round_of, says, survey_button, sv, text_of,
};
pub use wait::{WAIT, handled, handled_until, interaction, reaction, wait_until, wait_until_for};

/// The German texts of the catalog, as the bot renders them for a German member.
pub fn de() -> vpa_desk::present::Lang {
    vpa_desk::present::Lang::from_tag("de").expect("German is in the catalog")
}
