//! Rendered messages as serenity builders. Every message the bot sends takes its allowed
//! mentions from here ([`Message::mentions`] are exactly the users and roles it may ping), so
//! text users typed can never ping @everyone or a role.

use poise::serenity_prelude as serenity;

use crate::domain::ids::DiscordId;

/// A message ready to post, edit or answer with.
#[derive(Debug, Clone, Default)]
pub struct Message {
    pub content: String,
    pub embeds: Vec<serenity::CreateEmbed>,
    pub components: Vec<serenity::CreateActionRow>,
    /// The users this message may ping.
    pub users: Vec<DiscordId>,
    /// The roles this message may ping.
    pub roles: Vec<DiscordId>,
}

/// Allowed mentions: exactly these users and roles, never @everyone/@here, nothing parsed from text.
pub fn mentions_only(users: &[DiscordId], roles: &[DiscordId]) -> serenity::CreateAllowedMentions {
    serenity::CreateAllowedMentions::new()
        .everyone(false)
        .all_users(false)
        .all_roles(false)
        .users(users.iter().map(|u| serenity::UserId::new(u.0)))
        .roles(roles.iter().map(|r| serenity::RoleId::new(r.0)))
}

impl Message {
    /// Plain text that pings nobody.
    pub fn text(content: impl Into<String>) -> Message {
        Message {
            content: content.into(),
            ..Message::default()
        }
    }

    fn allowed_mentions(&self) -> serenity::CreateAllowedMentions {
        mentions_only(&self.users, &self.roles)
    }

    /// A new channel message, sent with `nonce` so a retry returns the first post.
    pub fn create(self, nonce: &str) -> serenity::CreateMessage {
        let mentions = self.allowed_mentions();
        serenity::CreateMessage::new()
            .content(self.content)
            .embeds(self.embeds)
            .components(self.components)
            .allowed_mentions(mentions)
            .nonce(serenity::Nonce::String(nonce.to_string()))
            .enforce_nonce(true)
    }

    /// An edit of a posted message to this one.
    pub fn edit(self) -> serenity::EditMessage {
        let mentions = self.allowed_mentions();
        serenity::EditMessage::new()
            .content(self.content)
            .embeds(self.embeds)
            .components(self.components)
            .allowed_mentions(mentions)
    }

    /// A private answer to an interaction.
    pub fn private_reply(self) -> serenity::CreateInteractionResponseMessage {
        let mentions = self.allowed_mentions();
        serenity::CreateInteractionResponseMessage::new()
            .content(self.content)
            .embeds(self.embeds)
            .components(self.components)
            .ephemeral(true)
            .allowed_mentions(mentions)
    }

    /// The same, replacing the message the component is on (a select that becomes its answer).
    pub fn update(self) -> serenity::CreateInteractionResponseMessage {
        let mentions = self.allowed_mentions();
        serenity::CreateInteractionResponseMessage::new()
            .content(self.content)
            .embeds(self.embeds)
            .components(self.components)
            .allowed_mentions(mentions)
    }

    /// The completion of a deferred private answer.
    pub fn edit_response(self) -> serenity::EditInteractionResponse {
        let mentions = self.allowed_mentions();
        serenity::EditInteractionResponse::new()
            .content(self.content)
            .embeds(self.embeds)
            .components(self.components)
            .allowed_mentions(mentions)
    }

    /// A private follow-up, when the first answer is already given.
    pub fn followup(self) -> serenity::CreateInteractionResponseFollowup {
        let mentions = self.allowed_mentions();
        serenity::CreateInteractionResponseFollowup::new()
            .content(self.content)
            .embeds(self.embeds)
            .components(self.components)
            .ephemeral(true)
            .allowed_mentions(mentions)
    }

    /// A private reply to a command through poise.
    pub fn command_reply(self) -> poise::CreateReply {
        let mentions = self.allowed_mentions();
        let mut reply = poise::CreateReply::default()
            .content(self.content)
            .components(self.components)
            .ephemeral(true)
            .allowed_mentions(mentions);
        for embed in self.embeds {
            reply = reply.embed(embed);
        }
        reply
    }
}

/// The link to a message in a guild.
pub fn message_link(guild_id: u64, channel: DiscordId, message: DiscordId) -> String {
    format!("https://discord.com/channels/{guild_id}/{channel}/{message}")
}

/// A mention of a user, as Discord writes it.
pub fn user_mention(user: DiscordId) -> String {
    format!("<@{user}>")
}

/// A mention of a role, as Discord writes it.
pub fn role_mention(role: DiscordId) -> String {
    format!("<@&{role}>")
}

/// Cuts text to at most `max` characters, marking the cut with "…".
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
