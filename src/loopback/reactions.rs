//! Reactions as Discord keeps them: per message and emoji, the set of users who reacted (the
//! bot through `PUT …/reactions/{emoji}/@me`, test users through `LoopbackDiscord` methods or
//! dispatched `MESSAGE_REACTION_ADD`/`_REMOVE`), rendered into each message's `reactions` array
//! and listed by `GET …/reactions/{emoji}`.
//!
//! Emoji are keyed as the reaction routes name them, decoded: the character for a unicode emoji
//! (`"👍"`), `name:id` for a custom one.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::State;

/// The users who reacted to one message with one emoji.
#[derive(Debug, Clone, Default)]
pub(crate) struct Reaction {
    pub emoji: String,
    /// Sorted by id, as `GET …/reactions/{emoji}` lists them.
    pub users: BTreeSet<u64>,
}

/// Records `user`'s reaction; `false` if it was already there.
pub(crate) fn add(s: &mut State, channel: u64, message: u64, emoji: &str, user: u64) -> bool {
    let list = s.reactions.entry((channel, message)).or_default();
    // Discord lists a message's reactions in the order each emoji was first used.
    let pos = match list.iter().position(|r| r.emoji == emoji) {
        Some(pos) => pos,
        None => {
            list.push(Reaction {
                emoji: emoji.to_owned(),
                users: BTreeSet::new(),
            });
            list.len() - 1
        }
    };
    list[pos].users.insert(user)
}

/// Removes `user`'s reaction; `false` if there was none.
pub(crate) fn remove(s: &mut State, channel: u64, message: u64, emoji: &str, user: u64) -> bool {
    let Some(list) = s.reactions.get_mut(&(channel, message)) else {
        return false;
    };
    let removed = list
        .iter_mut()
        .find(|r| r.emoji == emoji)
        .is_some_and(|r| r.users.remove(&user));
    // An emoji nobody holds any more disappears from the message.
    list.retain(|r| !r.users.is_empty());
    removed
}

/// Removes every reaction with `emoji` (or, with `None`, every reaction) from a message.
pub(crate) fn clear(s: &mut State, channel: u64, message: u64, emoji: Option<&str>) {
    if let Some(list) = s.reactions.get_mut(&(channel, message)) {
        list.retain(|r| emoji.is_some_and(|e| r.emoji != e));
    }
}

/// Users who reacted with `emoji`, by id.
pub(crate) fn users(s: &State, channel: u64, message: u64, emoji: &str) -> Vec<u64> {
    s.reactions
        .get(&(channel, message))
        .and_then(|list| list.iter().find(|r| r.emoji == emoji))
        .map(|r| r.users.iter().copied().collect())
        .unwrap_or_default()
}

/// Emoji `user` has on a message, in first-use order.
pub(crate) fn of_user(s: &State, channel: u64, message: u64, user: u64) -> Vec<String> {
    s.reactions
        .get(&(channel, message))
        .map(|list| {
            list.iter()
                .filter(|r| r.users.contains(&user))
                .map(|r| r.emoji.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// The emoji object for a key: `{"id": null, "name": "👍"}`, or for `name:id` (`a:name:id` if
/// animated) a custom emoji.
pub(crate) fn emoji_json(emoji: &str) -> Value {
    let (animated, rest) = match emoji.strip_prefix("a:") {
        Some(rest) if rest.contains(':') => (true, rest),
        _ => (false, emoji),
    };
    match rest.rsplit_once(':') {
        Some((name, id)) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => {
            json!({"id": id, "name": name, "animated": animated})
        }
        _ => json!({"id": null, "name": emoji}),
    }
}

/// The key of a gateway emoji object (`{"id": ..., "name": ...}`).
pub(crate) fn emoji_key(emoji: &Value) -> Option<String> {
    let name = emoji["name"].as_str();
    match emoji["id"].as_str() {
        Some(id) => {
            let prefix = if emoji["animated"].as_bool() == Some(true) {
                "a:"
            } else {
                ""
            };
            Some(format!("{prefix}{}:{id}", name.unwrap_or("")))
        }
        None => name.map(str::to_owned),
    }
}

/// A message's `reactions` array as Discord renders it for `bot` (the current user).
pub(crate) fn render(s: &State, channel: u64, message: u64, bot: u64) -> Value {
    let list = s
        .reactions
        .get(&(channel, message))
        .map(Vec::as_slice)
        .unwrap_or_default();
    Value::Array(
        list.iter()
            .map(|r| {
                json!({
                    "count": r.users.len(),
                    "count_details": {"burst": 0, "normal": r.users.len()},
                    "me": r.users.contains(&bot),
                    "me_burst": false,
                    "burst_colors": [],
                    "emoji": emoji_json(&r.emoji),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use serenity::all::{MessageReaction, ReactionType};

    use super::*;

    #[test]
    fn sets_per_emoji_in_first_use_order() {
        let mut s = State::default();
        assert!(add(&mut s, 1, 2, "👍", 30));
        assert!(add(&mut s, 1, 2, "👎", 10));
        assert!(add(&mut s, 1, 2, "👍", 20));
        assert!(!add(&mut s, 1, 2, "👍", 20), "a user reacts once per emoji");
        assert_eq!(users(&s, 1, 2, "👍"), [20, 30]);
        assert_eq!(of_user(&s, 1, 2, 10), ["👎"]);
        assert!(remove(&mut s, 1, 2, "👎", 10));
        assert!(!remove(&mut s, 1, 2, "👎", 10));
        let rendered = render(&s, 1, 2, 30);
        assert_eq!(rendered.as_array().map(Vec::len), Some(1), "👎 is gone");
        clear(&mut s, 1, 2, Some("👍"));
        assert!(users(&s, 1, 2, "👍").is_empty());
    }

    #[test]
    fn rendered_reactions_deserialize_as_serenity_models() {
        let mut s = State::default();
        add(&mut s, 1, 2, "👍", 7);
        add(&mut s, 1, 2, "👍", 8);
        add(&mut s, 1, 2, "party:123", 7);
        add(&mut s, 1, 2, "a:dance:456", 8);
        let list: Vec<MessageReaction> = serde_json::from_value(render(&s, 1, 2, 7)).unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!((list[0].count, list[0].me), (2, true));
        assert_eq!(list[0].count_details.normal, 2);
        assert!(list[0].reaction_type.unicode_eq("👍"));
        let ReactionType::Custom { id, name, animated } = &list[1].reaction_type else {
            panic!("custom emoji")
        };
        assert_eq!(
            (id.get(), name.as_deref(), *animated),
            (123, Some("party"), false)
        );
        assert!(!list[2].me);
        assert!(matches!(
            list[2].reaction_type,
            ReactionType::Custom { animated: true, .. }
        ));
        // Keys round-trip through gateway emoji objects.
        for key in ["👍", "party:123", "a:dance:456"] {
            assert_eq!(emoji_key(&emoji_json(key)).as_deref(), Some(key));
        }
    }
}
