//! The presentation layer: views and outcomes of the use cases become text and Discord
//! messages here — in the reader's language, from the message catalog ([`catalog`], Fluent
//! resources per language), with the components' custom ids ([`custom_id`]). Nothing here
//! reads the database or decides anything; the bot, the workers and the command line call it.

pub mod catalog;
pub mod chart;
pub mod commands;
pub mod config;
pub mod custom_id;
pub mod direct;
pub mod discord;
pub mod dropout;
pub mod edits;
pub mod export;
pub mod format;
pub mod import;
pub mod notice;
pub mod outbox;
pub mod picker;
pub mod pool;
pub mod profiles;
pub mod refusal;
pub mod report;
pub mod setup;
pub mod surveys;
pub mod tasks;
pub mod templates;

pub use catalog::Lang;
pub use discord::Message;

/// The configured language of channel posts and of members whose language is unknown (the
/// first of the catalog if the setting names none of its languages; the start-up check
/// refuses that, so it only happens in tests that build a configuration by hand).
pub fn default_lang(config: &crate::config::Config) -> Lang {
    Lang::from_tag(&config.settings.locale)
        .or_else(|| Lang::all().next())
        .expect("the catalog has a language")
}
