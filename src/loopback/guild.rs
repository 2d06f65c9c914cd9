//! The guild the loopback serves: its channels, roles, permission overwrites and the bot's
//! member, as a test configures them ([`GuildSetup`]), rendered as Discord's objects for
//! `GET /guilds/{g}`, `/roles`, `/channels`, `GET /channels/{c}` and `GET /guilds/{g}/members/{u}`,
//! and used to answer posts and reactions with Discord's permission errors.
//!
//! Permissions are computed with Discord's algorithm: @everyone's and the member's roles' guild
//! permissions (everything for the owner or an administrator), then the channel's overwrites for
//! @everyone, for the member's roles (denies, then allows) and for the member.

use serde_json::{Value, json};
use serenity::all::Permissions;

use super::fixtures;

/// The default guild's channel permissions for @everyone: view, send, read history, react, use
/// application commands.
pub const EVERYONE_PERMISSIONS: u64 = Permissions::VIEW_CHANNEL.bits()
    | Permissions::SEND_MESSAGES.bits()
    | Permissions::READ_MESSAGE_HISTORY.bits()
    | Permissions::ADD_REACTIONS.bits()
    | Permissions::USE_APPLICATION_COMMANDS.bits();
/// The bot role's permissions in the default guild: view channel, send messages, embed links,
/// attach files, add reactions, read message history (not mention everyone).
pub const BOT_PERMISSIONS: u64 = Permissions::VIEW_CHANNEL.bits()
    | Permissions::SEND_MESSAGES.bits()
    | Permissions::EMBED_LINKS.bits()
    | Permissions::ATTACH_FILES.bits()
    | Permissions::ADD_REACTIONS.bits()
    | Permissions::READ_MESSAGE_HISTORY.bits();

/// Channel types (Discord's `type`).
pub mod kind {
    /// A guild text channel.
    pub const TEXT: u8 = 0;
    /// A guild voice channel (it has a text chat too).
    pub const VOICE: u8 = 2;
    /// A category.
    pub const CATEGORY: u8 = 4;
    /// An announcement channel.
    pub const ANNOUNCEMENT: u8 = 5;
    /// A stage channel.
    pub const STAGE: u8 = 13;
    /// A forum (messages only in its threads).
    pub const FORUM: u8 = 15;
}

/// A role of the guild.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoleSetup {
    /// Role id (the guild id for @everyone).
    pub id: u64,
    pub name: String,
    /// Guild-wide permission bits.
    pub permissions: u64,
    /// Whether anyone may @mention it.
    pub mentionable: bool,
    /// Position in the role list (@everyone is 0).
    pub position: u16,
    /// Managed by an integration (a bot's own role is).
    pub managed: bool,
    /// For a bot's managed role: the bot's user id (`tags.bot_id`).
    pub bot_id: Option<u64>,
    /// Shown separately in the member list.
    pub hoist: bool,
    /// RGB colour, 0 for none.
    pub color: u32,
}

impl RoleSetup {
    /// An ordinary role without permissions of its own.
    pub fn new(id: u64, name: &str) -> Self {
        Self {
            id,
            name: name.to_owned(),
            ..Self::default()
        }
    }

    /// The same role, mentionable or not.
    #[must_use]
    pub fn mentionable(mut self, yes: bool) -> Self {
        self.mentionable = yes;
        self
    }

    /// The same role with these guild permissions.
    #[must_use]
    pub fn permissions(mut self, bits: u64) -> Self {
        self.permissions = bits;
        self
    }
}

/// Whom a permission overwrite is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverwriteTarget {
    /// A role (the guild id = @everyone).
    Role(u64),
    /// One member.
    Member(u64),
}

/// A channel's permission overwrite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overwrite {
    pub target: OverwriteTarget,
    /// Permission bits granted in the channel.
    pub allow: u64,
    /// Permission bits taken away in the channel.
    pub deny: u64,
}

impl Overwrite {
    /// An overwrite for a role that changes nothing yet.
    pub fn role(id: u64) -> Self {
        Self {
            target: OverwriteTarget::Role(id),
            allow: 0,
            deny: 0,
        }
    }

    /// An overwrite for a member that changes nothing yet.
    pub fn member(user_id: u64) -> Self {
        Self {
            target: OverwriteTarget::Member(user_id),
            allow: 0,
            deny: 0,
        }
    }

    /// Also grants `bits`.
    #[must_use]
    pub fn allow(mut self, bits: u64) -> Self {
        self.allow |= bits;
        self.deny &= !bits;
        self
    }

    /// Also takes `bits` away.
    #[must_use]
    pub fn deny(mut self, bits: u64) -> Self {
        self.deny |= bits;
        self.allow &= !bits;
        self
    }
}

/// A channel of the guild.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChannelSetup {
    pub id: u64,
    pub name: String,
    /// Discord's channel type, see [`kind`].
    pub kind: u8,
    pub position: u16,
    /// The category it is in.
    pub parent_id: Option<u64>,
    pub overwrites: Vec<Overwrite>,
}

impl ChannelSetup {
    /// A text channel without overwrites.
    pub fn text(id: u64, name: &str) -> Self {
        Self {
            id,
            name: name.to_owned(),
            kind: kind::TEXT,
            ..Self::default()
        }
    }

    /// Whether messages can be posted in it (text, voice/stage text chat, announcements;
    /// not categories or forums).
    pub fn takes_messages(&self) -> bool {
        matches!(
            self.kind,
            kind::TEXT | kind::VOICE | kind::ANNOUNCEMENT | kind::STAGE | 10..=12
        )
    }
}

/// The guild as a test sets it up.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GuildSetup {
    pub id: u64,
    pub name: String,
    pub owner_id: u64,
    /// @everyone (id = guild id) first, then the others.
    pub roles: Vec<RoleSetup>,
    pub channels: Vec<ChannelSetup>,
    /// Roles of the bot's member.
    pub bot_roles: Vec<u64>,
}

impl GuildSetup {
    /// The default guild: @everyone, the bot's managed role (held by the bot), the roles and
    /// text channels of [`fixtures::DEFAULT_ROLES`] and [`fixtures::DEFAULT_TEXT_CHANNELS`].
    pub fn default_for(guild_id: u64, bot_user_id: u64) -> Self {
        let mut roles = vec![RoleSetup {
            id: guild_id,
            name: "@everyone".into(),
            permissions: EVERYONE_PERMISSIONS,
            mentionable: false,
            ..RoleSetup::default()
        }];
        for (i, (id, name, mentionable)) in fixtures::DEFAULT_ROLES.iter().enumerate() {
            roles.push(RoleSetup {
                position: u16::try_from(i + 1).unwrap_or(u16::MAX),
                ..RoleSetup::new(*id, name).mentionable(*mentionable)
            });
        }
        roles.push(RoleSetup {
            id: fixtures::DEFAULT_BOT_ROLE_ID,
            name: "vpa-desk".into(),
            permissions: BOT_PERMISSIONS,
            position: u16::try_from(roles.len()).unwrap_or(u16::MAX),
            managed: true,
            bot_id: Some(bot_user_id),
            ..RoleSetup::default()
        });
        let channels = fixtures::DEFAULT_TEXT_CHANNELS
            .iter()
            .enumerate()
            .map(|(i, (id, name))| ChannelSetup {
                position: u16::try_from(i).unwrap_or(u16::MAX),
                ..ChannelSetup::text(*id, name)
            })
            .collect();
        Self {
            id: guild_id,
            name: "vpa-desk loopback".into(),
            owner_id: fixtures::DEFAULT_OWNER_ID,
            roles,
            channels,
            bot_roles: vec![fixtures::DEFAULT_BOT_ROLE_ID],
        }
    }

    pub fn channel(&self, id: u64) -> Option<&ChannelSetup> {
        self.channels.iter().find(|c| c.id == id)
    }

    pub fn channel_mut(&mut self, id: u64) -> Option<&mut ChannelSetup> {
        self.channels.iter_mut().find(|c| c.id == id)
    }

    pub fn role_mut(&mut self, id: u64) -> Option<&mut RoleSetup> {
        self.roles.iter_mut().find(|r| r.id == id)
    }

    /// A member's permissions in a channel (Discord's algorithm, see the module docs); `None`
    /// for a channel the guild does not have.
    pub fn permissions_in(
        &self,
        channel_id: u64,
        user_id: u64,
        member_roles: &[u64],
    ) -> Option<u64> {
        let channel = self.channel(channel_id)?;
        let all = Permissions::all().bits();
        if user_id == self.owner_id {
            return Some(all);
        }
        let has_role = |id: u64| id == self.id || member_roles.contains(&id);
        let mut base = self
            .roles
            .iter()
            .filter(|r| has_role(r.id))
            .fold(0, |acc, r| acc | r.permissions);
        if base & Permissions::ADMINISTRATOR.bits() != 0 {
            return Some(all);
        }
        let everyone = OverwriteTarget::Role(self.id);
        if let Some(o) = channel.overwrites.iter().find(|o| o.target == everyone) {
            base = (base & !o.deny) | o.allow;
        }
        let (allow, deny) = channel
            .overwrites
            .iter()
            .filter(|o| matches!(o.target, OverwriteTarget::Role(r) if r != self.id && member_roles.contains(&r)))
            .fold((0, 0), |(a, d), o| (a | o.allow, d | o.deny));
        base = (base & !deny) | allow;
        if let Some(o) = channel
            .overwrites
            .iter()
            .find(|o| o.target == OverwriteTarget::Member(user_id))
        {
            base = (base & !o.deny) | o.allow;
        }
        // Without View Channel a member has no permission in the channel at all.
        if base & Permissions::VIEW_CHANNEL.bits() == 0 {
            base = 0;
        }
        Some(base)
    }
}

/// A role object (`GET /guilds/{g}/roles`, `roles` of a guild).
pub(crate) fn role_json(role: &RoleSetup) -> Value {
    let tags = match role.bot_id {
        Some(bot) => json!({"bot_id": bot.to_string()}),
        None => json!({}),
    };
    json!({
        "id": role.id.to_string(),
        "name": role.name,
        "color": role.color,
        "colors": {"primary_color": role.color, "secondary_color": null, "tertiary_color": null},
        "hoist": role.hoist,
        "icon": null,
        "unicode_emoji": null,
        "position": role.position,
        "permissions": role.permissions.to_string(),
        "managed": role.managed,
        "mentionable": role.mentionable,
        "flags": 0,
        "tags": tags,
    })
}

/// A guild channel object.
pub(crate) fn channel_json(guild_id: u64, c: &ChannelSetup) -> Value {
    let overwrites: Vec<Value> = c
        .overwrites
        .iter()
        .map(|o| {
            let (id, kind) = match o.target {
                OverwriteTarget::Role(id) => (id, 0),
                OverwriteTarget::Member(id) => (id, 1),
            };
            json!({"id": id.to_string(), "type": kind,
                "allow": o.allow.to_string(), "deny": o.deny.to_string()})
        })
        .collect();
    let mut v = json!({
        "id": c.id.to_string(),
        "type": c.kind,
        "guild_id": guild_id.to_string(),
        "name": c.name,
        "position": c.position,
        "permission_overwrites": overwrites,
        "nsfw": false,
        "topic": null,
        "last_message_id": null,
        "parent_id": c.parent_id.map(|p| p.to_string()),
        "rate_limit_per_user": 0,
        "flags": 0,
    });
    if matches!(c.kind, kind::VOICE | kind::STAGE) {
        v["bitrate"] = json!(64_000);
        v["user_limit"] = json!(0);
        v["rtc_region"] = Value::Null;
    }
    v
}

/// The guild object of `GET /guilds/{g}` (a partial guild: no channels or members).
pub(crate) fn guild_json(g: &GuildSetup) -> Value {
    json!({
        "id": g.id.to_string(),
        "name": g.name,
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": g.owner_id.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "widget_channel_id": null,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": g.roles.iter().map(role_json).collect::<Vec<_>>(),
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "max_presences": null,
        "max_members": 500_000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "de",
        "public_updates_channel_id": null,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
    })
}

/// The bot's member object (`GET /guilds/{g}/members/{bot}`).
pub(crate) fn bot_member_json(g: &GuildSetup, bot_user_id: u64) -> Value {
    fixtures::guild_member_json(fixtures::bot_user_json(bot_user_id), &g.bot_roles)
}

#[cfg(test)]
mod tests {
    use serenity::all::{
        ChannelType, GuildChannel, Member, PartialGuild, PermissionOverwriteType, Role,
    };

    use super::*;

    const G: u64 = fixtures::DEFAULT_GUILD_ID;
    const BOT: u64 = fixtures::DEFAULT_BOT_USER_ID;

    fn guild() -> GuildSetup {
        GuildSetup::default_for(G, BOT)
    }

    #[test]
    fn objects_deserialize_as_serenity_models() {
        let mut g = guild();
        let channel = fixtures::DEFAULT_TEXT_CHANNELS[0].0;
        g.channel_mut(channel)
            .unwrap()
            .overwrites
            .push(Overwrite::member(BOT).deny(Permissions::SEND_MESSAGES.bits()));
        let pg: PartialGuild = serde_json::from_value(guild_json(&g)).expect("guild");
        assert_eq!(pg.id.get(), G);
        assert_eq!(pg.roles.len(), g.roles.len());
        let bot_role = &pg.roles[&fixtures::DEFAULT_BOT_ROLE_ID.into()];
        assert!(bot_role.managed);
        assert_eq!(bot_role.tags.bot_id.map(|b| b.get()), Some(BOT));
        assert!(bot_role.permissions.attach_files() && !bot_role.permissions.mention_everyone());
        let r: Role = serde_json::from_value(role_json(&g.roles[2])).expect("role");
        assert_eq!(r.id.get(), g.roles[2].id);
        let c: GuildChannel =
            serde_json::from_value(channel_json(G, &g.channels[0])).expect("channel");
        assert_eq!(c.kind, ChannelType::Text);
        assert_eq!(
            c.permission_overwrites[0].kind,
            PermissionOverwriteType::Member(BOT.into())
        );
        assert!(c.permission_overwrites[0].deny.send_messages());
        let mut voice = g.channels[1].clone();
        voice.kind = kind::VOICE;
        let v: GuildChannel = serde_json::from_value(channel_json(G, &voice)).expect("voice");
        assert_eq!(v.kind, ChannelType::Voice);
        let mut m = bot_member_json(&g, BOT);
        m["guild_id"] = json!(G.to_string()); // serenity's get_member adds it
        let m: Member = serde_json::from_value(m).expect("member");
        assert_eq!(m.roles, [fixtures::DEFAULT_BOT_ROLE_ID]);
    }

    #[test]
    fn permissions_follow_discords_overwrite_order() {
        let send = Permissions::SEND_MESSAGES.bits();
        let view = Permissions::VIEW_CHANNEL.bits();
        let mut g = guild();
        let c = g.channels[0].id;
        let roles = [fixtures::DEFAULT_BOT_ROLE_ID];
        let p = g.permissions_in(c, BOT, &roles).unwrap();
        assert_eq!(p & BOT_PERMISSIONS, BOT_PERMISSIONS);
        assert_eq!(p & Permissions::MENTION_EVERYONE.bits(), 0);
        // @everyone denied, the bot's role allowed: the role wins.
        let ch = g.channel_mut(c).unwrap();
        ch.overwrites.push(Overwrite::role(G).deny(send));
        ch.overwrites.push(Overwrite::role(roles[0]).allow(send));
        assert_ne!(g.permissions_in(c, BOT, &roles).unwrap() & send, 0);
        // A member overwrite beats both.
        let ch = g.channel_mut(c).unwrap();
        ch.overwrites.push(Overwrite::member(BOT).deny(send));
        assert_eq!(g.permissions_in(c, BOT, &roles).unwrap() & send, 0);
        // Without View Channel nothing is left.
        let ch = g.channel_mut(c).unwrap();
        ch.overwrites = vec![Overwrite::role(roles[0]).deny(view)];
        g.roles[0].permissions &= !view;
        assert_eq!(g.permissions_in(c, BOT, &roles), Some(0));
        // An administrator role ignores overwrites; the owner has everything.
        g.roles.last_mut().unwrap().permissions |= Permissions::ADMINISTRATOR.bits();
        assert_eq!(
            g.permissions_in(c, BOT, &roles),
            Some(Permissions::all().bits())
        );
        assert_eq!(
            g.permissions_in(c, g.owner_id, &[]),
            Some(Permissions::all().bits())
        );
        assert_eq!(g.permissions_in(42, BOT, &roles), None, "no such channel");
    }
}
