//! Reading a message of the bot (a post, a DM, a private reply, a callback): its text, its embed
//! fields and its components' custom ids — built and parsed by the protocol's own
//! `present::custom_id`, never typed by hand.

use serde_json::Value;
use vpa_desk::domain::ids::{DiscordId, RoundId, TaskId};
pub use vpa_desk::present::custom_id::{CustomId, PlaybookButton, SurveyAction};

/// The text a person sees: a message's content, or a callback's `data.content`.
pub fn text_of(message: &Value) -> String {
    message["content"]
        .as_str()
        .or_else(|| message["data"]["content"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// The content of a message ("" if none).
pub fn content(message: &Value) -> &str {
    message["content"].as_str().unwrap_or_default()
}

/// Whether a message's content contains `needle`.
pub fn says(message: &Value, needle: &str) -> bool {
    message["content"]
        .as_str()
        .is_some_and(|c| c.contains(needle))
}

/// The id of a message.
pub fn message_id(message: &Value) -> DiscordId {
    snowflake(message, "id")
}

/// The channel of a message.
pub fn channel_id(message: &Value) -> DiscordId {
    snowflake(message, "channel_id")
}

fn snowflake(message: &Value, key: &str) -> DiscordId {
    let id = message[key].as_str().and_then(|id| id.parse().ok());
    DiscordId(id.unwrap_or_else(|| panic!("no {key} in {message}")))
}

/// The value of the first embed field whose name starts with `title`.
pub fn field(message: &Value, title: &str) -> String {
    message["embeds"][0]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"].as_str().is_some_and(|n| n.starts_with(title)))
        .map(|f| f["value"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no field {title} in {message}"))
}

/// The custom id of a survey component (the protocol's own builder, as the bot renders it).
pub fn sv(action: SurveyAction, round: RoundId) -> String {
    CustomId::survey(action, round).encode()
}

/// The custom id of a playbook button on the task's notice.
pub fn pb(task: u64, button: PlaybookButton) -> String {
    CustomId::Playbook {
        task: TaskId(task as i64),
        button,
    }
    .encode()
}

/// Every component custom id of a message, parsed.
pub fn custom_ids(message: &Value) -> Vec<CustomId> {
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["custom_id"].as_str().and_then(CustomId::parse))
        .collect()
}

/// The round a survey post (or a DM about it) is for.
pub fn round_of(message: &Value) -> RoundId {
    custom_ids(message)
        .into_iter()
        .find_map(|id| match id {
            CustomId::Survey { round, .. } => Some(round),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no survey component in {message}"))
}

/// The custom id of the message's survey component for `action`.
pub fn survey_button(message: &Value, action: SurveyAction) -> String {
    custom_ids(message)
        .into_iter()
        .find(|id| matches!(id, CustomId::Survey { action: a, .. } if *a == action))
        .map(|id| id.encode())
        .unwrap_or_else(|| panic!("no {action:?} component in {message}"))
}

/// The custom id of the notice's playbook button of this kind (`Related` matches any key).
pub fn playbook_button(notice: &Value, wanted: &PlaybookButton) -> String {
    custom_ids(notice)
        .into_iter()
        .find(|id| match (id, wanted) {
            (CustomId::Playbook { button: PlaybookButton::Related(_), .. }, PlaybookButton::Related(k)) => {
                k.is_empty() || matches!(id, CustomId::Playbook { button: PlaybookButton::Related(key), .. } if key == k)
            }
            (CustomId::Playbook { button, .. }, wanted) => button == wanted,
            _ => false,
        })
        .map(|id| id.encode())
        .unwrap_or_else(|| panic!("no {wanted:?} button in {notice}"))
}
