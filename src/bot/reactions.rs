//! The quick path: ✅ ❌ ⏳ on a survey post answer it; removing the reaction that matches the
//! current answer withdraws it. The bot's own reactions and other bots are ignored.

use poise::serenity_prelude as serenity;

use super::Error;
use super::roles::Roles;
use crate::domain::ids::DiscordId;
use crate::domain::survey::answer_for_emoji;
use crate::service::answers::{self, AnswerOutcome, Answerer};
use crate::service::{Busy, Desk, DeskEvent, HandledEvent, HandledOutcome};

/// What a reaction means for us, decided from the payload alone (unit-tested without a gateway).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReactionMeaning {
    /// Not ours to handle: a bot, a foreign emoji, no user.
    Ignore,
    /// A survey answer (or its withdrawal) by this user.
    Answer {
        user: DiscordId,
        message: DiscordId,
        emoji: String,
        name: String,
        roles: Option<Roles>,
    },
}

/// Reads a reaction payload. `bot_id` is our own user id.
pub fn meaning(
    reaction: &serenity::Reaction,
    bot_id: Option<serenity::UserId>,
    settings: &crate::config::DiscordSettings,
) -> ReactionMeaning {
    let Some(user) = reaction.user_id else {
        return ReactionMeaning::Ignore;
    };
    if Some(user) == bot_id || reaction.member.as_ref().is_some_and(|m| m.user.bot) {
        return ReactionMeaning::Ignore;
    }
    let serenity::ReactionType::Unicode(emoji) = &reaction.emoji else {
        return ReactionMeaning::Ignore;
    };
    // Some clients send the emoji with a variation selector (U+FE0F).
    let emoji = emoji.trim_end_matches('\u{fe0f}').to_string();
    if answer_for_emoji(&emoji).is_none() {
        return ReactionMeaning::Ignore;
    }
    ReactionMeaning::Answer {
        user: DiscordId(user.get()),
        message: DiscordId(reaction.message_id.get()),
        emoji,
        name: reaction
            .member
            .as_ref()
            .map(member_name)
            .unwrap_or_default(),
        roles: reaction
            .member
            .as_ref()
            .map(|m| Roles::of(&m.roles, settings)),
    }
}

/// The name a member goes by in the guild (told to the coordinator with an acceptance).
pub fn member_name(member: &serenity::Member) -> String {
    member
        .nick
        .clone()
        .unwrap_or_else(|| member.user.name.clone())
}

/// A reaction was added (`added`) or removed. Whatever comes of it is published as handled,
/// so a test can tell "ignored" from "not processed yet".
pub async fn on_reaction(
    ctx: &serenity::Context,
    desk: &Desk,
    reaction: &serenity::Reaction,
    added: bool,
) -> Result<(), Error> {
    let bot_id = Some(ctx.cache.current_user().id);
    let meaning = meaning(reaction, bot_id, &desk.config.settings.discord);
    let result = handle(desk, &meaning, added).await;
    let outcome = match &result {
        Ok(outcome) => *outcome,
        Err(_) => HandledOutcome::Failed,
    };
    let emoji = match &reaction.emoji {
        serenity::ReactionType::Unicode(e) => e.trim_end_matches('\u{fe0f}').to_string(),
        other => other.to_string(),
    };
    desk.publish(DeskEvent::Handled {
        event: HandledEvent::Reaction {
            message: DiscordId(reaction.message_id.get()),
            user: DiscordId(reaction.user_id.map_or(0, |u| u.get())),
            emoji,
            added,
        },
        outcome,
    });
    // Another process held the database too long: read the post back later. Any other
    // failure goes to the event hook's log; Discord replays the event or the VPA reacts again.
    if let Err(Error::Internal(e)) = &result
        && e.downcast_ref::<Busy>().is_some()
    {
        super::catch_up::reread_later(ctx, desk, DiscordId(reaction.message_id.get()));
    }
    result.map(|_| ())
}

/// Records or withdraws the answer a reaction stands for: the one path of live reactions and
/// of the catch-up after a READY ([`super::catch_up`]).
pub(super) async fn handle(
    desk: &Desk,
    meaning: &ReactionMeaning,
    added: bool,
) -> Result<HandledOutcome, Error> {
    let ReactionMeaning::Answer {
        user,
        message,
        emoji,
        name,
        roles,
    } = meaning
    else {
        return Ok(HandledOutcome::Ignored);
    };
    let who = Answerer {
        vpa: *user,
        name: name.clone(),
        event: None,
    };
    let outcome = if added {
        // Without the VPA role a reaction is no answer (removals carry no member: checked by state).
        if !roles.is_some_and(|r| r.vpa) {
            tracing::info!(%user, %message, "reaction by a non-VPA ignored");
            return Ok(HandledOutcome::Ignored);
        }
        let answer = answer_for_emoji(emoji).unwrap_or(crate::domain::survey::Answer::Accept);
        answers::record_reaction(desk, *message, &who, answer).await?
    } else {
        answers::withdraw_reaction(desk, *message, &who, emoji).await?
    };
    tracing::debug!(?outcome, added, "reaction handled");
    Ok(match outcome {
        AnswerOutcome::Recorded { changed: true, .. } | AnswerOutcome::Withdrawn { .. } => {
            HandledOutcome::Done
        }
        _ => HandledOutcome::Ignored,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn reaction(user: u64, emoji: &str, bot: bool, roles: &[u64]) -> serenity::Reaction {
        let json = serde_json::json!({
            "user_id": user.to_string(), "channel_id": "10", "message_id": "20", "guild_id": "1",
            "emoji": {"id": null, "name": emoji}, "burst": false, "burst_colors": [], "type": 0,
            "member": {
                "user": {"id": user.to_string(), "username": "anna", "discriminator": "0", "avatar": null, "bot": bot, "global_name": null},
                "roles": roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
                "joined_at": "2026-01-01T00:00:00Z", "deaf": false, "mute": false, "flags": 0
            }
        });
        serde_json::from_value(json).expect("a Discord-shaped reaction")
    }

    #[test]
    fn reads_answers_and_ignores_bots_and_foreign_emojis() {
        let config = Config::embedded();
        let d = &config.settings.discord;
        let bot = Some(serenity::UserId::new(99));
        match meaning(&reaction(5, "✅", false, &[d.vpa_role_id.0]), bot, d) {
            ReactionMeaning::Answer {
                user,
                message,
                emoji,
                roles,
                ..
            } => {
                assert_eq!(
                    (user, message, emoji.as_str()),
                    (DiscordId(5), DiscordId(20), "✅")
                );
                assert!(roles.unwrap().vpa);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            meaning(&reaction(99, "✅", false, &[]), bot, d),
            ReactionMeaning::Ignore
        );
        assert_eq!(
            meaning(&reaction(6, "✅", true, &[]), bot, d),
            ReactionMeaning::Ignore
        );
        assert_eq!(
            meaning(&reaction(5, "👍", false, &[]), bot, d),
            ReactionMeaning::Ignore
        );
        assert!(matches!(
            meaning(&reaction(5, "⏳\u{fe0f}", false, &[]), bot, d),
            ReactionMeaning::Answer { .. }
        ));
    }
}
