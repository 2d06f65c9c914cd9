//! Builders for complete Discord payloads (interactions, reactions, messages, READY, users).
//!
//! serenity 0.12.5 turns a gateway event with a missing required field into `Event::Unknown` and
//! only logs it at DEBUG, so every builder here emits every field serenity requires; the unit
//! tests at the bottom deserialize each builder's output into the serenity model to prove it.
//! Ids are snowflakes rendered as strings, as Discord sends them.

use serde_json::{Value, json};

/// Application id used by [`super::LoopbackConfig::default`] and by the fixtures.
pub const DEFAULT_APPLICATION_ID: u64 = 1_100_000_000_000_000_001;
/// Bot user id used by [`super::LoopbackConfig::default`].
pub const DEFAULT_BOT_USER_ID: u64 = 1_100_000_000_000_000_001;
/// Guild id used by [`super::LoopbackConfig::default`] and by the fixtures.
pub const DEFAULT_GUILD_ID: u64 = 1_100_000_000_000_000_100;
/// Text channel the fixtures' interactions happen in.
pub const DEFAULT_CHANNEL_ID: u64 = 1_100_000_000_000_000_200;
/// Owner of the application (reported by `GET /oauth2/applications/@me`) and of the guild.
pub const DEFAULT_OWNER_ID: u64 = 1_100_000_000_000_000_002;
/// The bot's own managed role in the default guild (the bot member holds it).
pub const DEFAULT_BOT_ROLE_ID: u64 = 1_100_000_000_000_000_030;
/// Text channels of the default guild: the fixtures' channel, and the ids the shipped
/// `config/default.toml` names in `[discord]`, so a bot with the shipped ids finds them.
pub const DEFAULT_TEXT_CHANNELS: [(u64, &str); 4] = [
    (DEFAULT_CHANNEL_ID, "general"),
    (100_000_000_000_000_010, "surveys"),
    (100_000_000_000_000_011, "manager"),
    (100_000_000_000_000_012, "newbies"),
];
/// Roles of the default guild besides @everyone and the bot's role: `(id, name, mentionable)`,
/// the ids `config/default.toml` names in `[discord]`.
pub const DEFAULT_ROLES: [(u64, &str, bool); 3] = [
    (100_000_000_000_000_020, "coordinator", false),
    (100_000_000_000_000_021, "manager", true),
    (100_000_000_000_000_022, "vpa", false),
];

/// Permissions of an ordinary member: view channel, send messages, embed links, read history,
/// add reactions, use application commands.
pub const MEMBER_PERMISSIONS: u64 =
    (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16) | (1 << 6) | (1 << 31);
/// Permissions the bot has in the fixtures' channel (member set plus manage messages).
pub const APP_PERMISSIONS: u64 = MEMBER_PERMISSIONS | (1 << 13);

/// A guild member who triggers interactions and reactions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeUser {
    /// User id.
    pub id: u64,
    /// Username (also used as global name).
    pub name: String,
    /// Role ids the member has in the guild.
    pub roles: Vec<u64>,
    /// Permission bits of the member in the channel (sent as a string).
    pub permissions: u64,
}

impl FakeUser {
    /// A member with no roles and [`MEMBER_PERMISSIONS`].
    pub fn new(id: u64, name: &str) -> Self {
        Self {
            id,
            name: name.to_owned(),
            roles: Vec::new(),
            permissions: MEMBER_PERMISSIONS,
        }
    }

    /// The same member with these role ids.
    #[must_use]
    pub fn with_roles(mut self, roles: &[u64]) -> Self {
        self.roles = roles.to_vec();
        self
    }
}

/// The value of one slash command option; the variant picks the Discord option type.
#[derive(Debug, Clone, PartialEq)]
pub enum Opt {
    /// Type 3.
    Str(String),
    /// Type 4.
    Int(i64),
    /// Type 10.
    Num(f64),
    /// Type 5.
    Bool(bool),
    /// Type 6; the user (and member) also goes into `data.resolved`.
    User(FakeUser),
}

impl From<&str> for Opt {
    fn from(v: &str) -> Self {
        Opt::Str(v.to_owned())
    }
}
impl From<String> for Opt {
    fn from(v: String) -> Self {
        Opt::Str(v)
    }
}
impl From<i64> for Opt {
    fn from(v: i64) -> Self {
        Opt::Int(v)
    }
}
impl From<i32> for Opt {
    fn from(v: i32) -> Self {
        Opt::Int(i64::from(v))
    }
}
impl From<f64> for Opt {
    fn from(v: f64) -> Self {
        Opt::Num(v)
    }
}
impl From<bool> for Opt {
    fn from(v: bool) -> Self {
        Opt::Bool(v)
    }
}
impl From<&FakeUser> for Opt {
    fn from(v: &FakeUser) -> Self {
        Opt::User(v.clone())
    }
}

/// Current time as Discord renders timestamps (RFC 3339, milliseconds, `Z`... `+00:00`).
pub fn now_timestamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

/// A user object (not a bot).
pub fn user_json(user: &FakeUser) -> Value {
    json!({
        "id": user.id.to_string(),
        "username": user.name,
        "global_name": user.name,
        "discriminator": "0",
        "avatar": null,
        "bot": false,
        "public_flags": 0,
    })
}

/// The bot's own user object.
pub fn bot_user_json(bot_user_id: u64) -> Value {
    json!({
        "id": bot_user_id.to_string(),
        "username": "vpa-desk",
        "global_name": null,
        "discriminator": "0000",
        "avatar": null,
        "bot": true,
        "verified": true,
        "mfa_enabled": false,
        "flags": 0,
        "public_flags": 0,
    })
}

/// A guild member object including the user, roles and permissions (as in interactions).
pub fn member_json(user: &FakeUser) -> Value {
    let mut member = guild_member_json(user_json(user), &user.roles);
    member["permissions"] = json!(user.permissions.to_string());
    member
}

/// A guild member object as `GET /guilds/{g}/members/{u}` returns it (no `permissions`).
pub(crate) fn guild_member_json(user: Value, roles: &[u64]) -> Value {
    json!({
        "user": user,
        "nick": null,
        "avatar": null,
        "roles": roles.iter().map(u64::to_string).collect::<Vec<_>>(),
        "joined_at": "2024-01-01T00:00:00.000000+00:00",
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "communication_disabled_until": null,
    })
}

/// A member without `user` and `permissions`, as in `data.resolved.members`.
fn resolved_member_json(user: &FakeUser) -> Value {
    json!({
        "nick": null,
        "avatar": null,
        "roles": user.roles.iter().map(u64::to_string).collect::<Vec<_>>(),
        "joined_at": "2024-01-01T00:00:00.000000+00:00",
        "premium_since": null,
        "flags": 0,
        "pending": false,
        "permissions": user.permissions.to_string(),
        "communication_disabled_until": null,
    })
}

/// A message as the REST API returns it (`author` is the bot).
pub fn message_json(id: u64, channel_id: u64, bot_user_id: u64, content: &str) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "author": bot_user_json(bot_user_id),
        "content": content,
        "timestamp": now_timestamp(),
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "reactions": [],
        "pinned": false,
        "type": 0,
        "components": [],
        "flags": 0,
    })
}

/// Fields shared by every interaction; `id`/`token` are placeholders that
/// [`super::LoopbackDiscord::interact`] replaces.
fn base_interaction(kind: u8, user: &FakeUser) -> Value {
    json!({
        "id": "1",
        "application_id": DEFAULT_APPLICATION_ID.to_string(),
        "type": kind,
        "token": "placeholder-token",
        "version": 1,
        "guild_id": DEFAULT_GUILD_ID.to_string(),
        "channel_id": DEFAULT_CHANNEL_ID.to_string(),
        "channel": {
            "id": DEFAULT_CHANNEL_ID.to_string(),
            "type": 0,
            "name": "general",
            "permissions": user.permissions.to_string(),
        },
        "member": member_json(user),
        "app_permissions": APP_PERMISSIONS.to_string(),
        "locale": "de",
        "guild_locale": "de",
        "entitlements": [],
        "authorizing_integration_owners": {"0": DEFAULT_GUILD_ID.to_string()},
        "context": 0,
        "attachment_size_limit": 10_485_760,
    })
}

/// Option JSON (`name`, `type`, `value`) for one slash option; records users in `resolved`.
fn option_json(name: &str, value: &Opt, resolved: &mut Value) -> Value {
    let (kind, v) = match value {
        Opt::Str(s) => (3, json!(s)),
        Opt::Int(i) => (4, json!(i)),
        Opt::Num(n) => (10, json!(n)),
        Opt::Bool(b) => (5, json!(b)),
        Opt::User(u) => {
            let id = u.id.to_string();
            resolved["users"][&id] = user_json(u);
            resolved["members"][&id] = resolved_member_json(u);
            (6, json!(id))
        }
    };
    json!({"name": name, "type": kind, "value": v})
}

/// Wraps leaf options into the subcommand group / subcommand path `sub` (0, 1 or 2 names).
fn nest_options(sub: &[&str], leaf: Vec<Value>) -> Vec<Value> {
    match sub {
        [] => leaf,
        [s] => vec![json!({"name": s, "type": 1, "options": leaf})],
        [g, s, ..] => vec![json!({"name": g, "type": 2, "options": [
            {"name": s, "type": 1, "options": leaf}
        ]})],
    }
}

fn command_data(name: &str, sub: &[&str], leaf: Vec<Value>, resolved: Value) -> Value {
    json!({
        "id": "1",
        "name": name,
        "type": 1,
        "guild_id": DEFAULT_GUILD_ID.to_string(),
        "options": nest_options(sub, leaf),
        "resolved": resolved,
    })
}

/// A slash command interaction (type 2) by `user`.
///
/// `sub` is the path below the command: `[]`, `["sub"]` or `["group", "sub"]`. Option types
/// follow the [`Opt`] variant (`"x".into()`, `3i64.into()`, `1.5.into()`, `true.into()`,
/// `(&user).into()`); user options also fill `data.resolved.users` and `.members`.
/// `data.id` is replaced by the registered command's id in `interact`.
pub fn slash(name: &str, sub: &[&str], options: Vec<(&str, Opt)>, user: &FakeUser) -> Value {
    let mut resolved = json!({"users": {}, "members": {}});
    let leaf = options
        .iter()
        .map(|(n, v)| option_json(n, v, &mut resolved))
        .collect();
    let mut v = base_interaction(2, user);
    v["data"] = command_data(name, sub, leaf, resolved);
    v
}

/// An autocomplete interaction (type 4): `options` already typed, plus the option being typed
/// (`focused.0`) with its partial string value (`focused.1`), marked `focused: true`.
pub fn autocomplete(
    name: &str,
    sub: &[&str],
    options: Vec<(&str, Opt)>,
    focused: (&str, &str),
    user: &FakeUser,
) -> Value {
    let mut resolved = json!({"users": {}, "members": {}});
    let mut leaf: Vec<Value> = options
        .iter()
        .map(|(n, v)| option_json(n, v, &mut resolved))
        .collect();
    leaf.push(json!({"name": focused.0, "type": 3, "value": focused.1, "focused": true}));
    let mut v = base_interaction(4, user);
    v["data"] = command_data(name, sub, leaf, resolved);
    v
}

/// A message component interaction (type 3) on `message` (a full message object; use
/// [`message_json`] or a message the bot posted). `component_type` 2 = button, 3 = string
/// select (with `values`), 5..=8 the other selects.
pub fn component(
    custom_id: &str,
    component_type: u8,
    values: &[&str],
    message: Value,
    user: &FakeUser,
) -> Value {
    let mut v = base_interaction(3, user);
    let mut data = json!({"custom_id": custom_id, "component_type": component_type});
    if component_type != 2 {
        data["values"] = json!(values);
    }
    v["data"] = data;
    v["message"] = message;
    v
}

/// A bot message in the fixtures' channel that carries one button `custom_id`.
pub fn message_with_button(custom_id: &str) -> Value {
    let mut m = message_json(
        1_100_000_000_000_000_300,
        DEFAULT_CHANNEL_ID,
        DEFAULT_BOT_USER_ID,
        "",
    );
    m["components"] = json!([{"type": 1, "components": [
        {"type": 2, "style": 1, "label": "Go", "custom_id": custom_id}
    ]}]);
    m
}

/// A button click (component type 2) on a generic bot message.
pub fn button(custom_id: &str, user: &FakeUser) -> Value {
    component(custom_id, 2, &[], message_with_button(custom_id), user)
}

/// A string select (component type 3) choosing `values` on a generic bot message.
pub fn select(custom_id: &str, values: &[&str], user: &FakeUser) -> Value {
    component(custom_id, 3, values, message_with_button(custom_id), user)
}

/// A modal submit (type 5): `fields` are `(text input custom_id, value)`, one per action row.
pub fn modal_submit(custom_id: &str, fields: &[(&str, &str)], user: &FakeUser) -> Value {
    let rows: Vec<Value> = fields
        .iter()
        .map(|(id, value)| {
            json!({"type": 1, "components": [{"type": 4, "custom_id": id, "value": value}]})
        })
        .collect();
    let mut v = base_interaction(5, user);
    v["data"] = json!({"custom_id": custom_id, "components": rows});
    v
}

/// MESSAGE_REACTION_ADD data: `user` reacted with the unicode `emoji` in the fixtures' guild.
pub fn reaction_add(user: &FakeUser, channel_id: u64, message_id: u64, emoji: &str) -> Value {
    let mut v = reaction_remove(user, channel_id, message_id, emoji);
    v["member"] = member_json(user);
    v["message_author_id"] = json!(DEFAULT_BOT_USER_ID.to_string());
    v
}

/// MESSAGE_REACTION_REMOVE data (no `member`, as Discord sends it).
pub fn reaction_remove(user: &FakeUser, channel_id: u64, message_id: u64, emoji: &str) -> Value {
    json!({
        "user_id": user.id.to_string(),
        "channel_id": channel_id.to_string(),
        "message_id": message_id.to_string(),
        "guild_id": DEFAULT_GUILD_ID.to_string(),
        "emoji": super::reactions::emoji_json(emoji),
        "burst": false,
        "burst_colors": [],
        "type": 0,
    })
}

/// The READY dispatch payload.
pub fn ready(
    application_id: u64,
    bot_user_id: u64,
    session_id: &str,
    resume_gateway_url: &str,
) -> Value {
    json!({
        "v": 10,
        "user": bot_user_json(bot_user_id),
        "guilds": [],
        "session_id": session_id,
        "resume_gateway_url": resume_gateway_url,
        "shard": [0, 1],
        "application": {"id": application_id.to_string(), "flags": 0},
        "private_channels": [],
        "relationships": [],
    })
}

/// `GET /oauth2/applications/@me`.
pub fn application_info(application_id: u64, bot_user_id: u64) -> Value {
    json!({
        "id": application_id.to_string(),
        "name": "vpa-desk",
        "icon": null,
        "description": "loopback application",
        "rpc_origins": [],
        "bot_public": false,
        "bot_require_code_grant": false,
        "verify_key": "0000000000000000000000000000000000000000000000000000000000000000",
        "owner": {
            "id": DEFAULT_OWNER_ID.to_string(),
            "username": "owner",
            "discriminator": "0",
            "avatar": null,
        },
        "team": null,
        "flags": 0,
        "bot": bot_user_json(bot_user_id),
    })
}

/// A DM channel with `user_id`.
pub fn dm_channel(channel_id: u64, user_id: u64) -> Value {
    json!({
        "id": channel_id.to_string(),
        "type": 1,
        "last_message_id": null,
        "flags": 0,
        "recipients": [{
            "id": user_id.to_string(),
            "username": format!("user{user_id}"),
            "global_name": null,
            "discriminator": "0",
            "avatar": null,
        }],
    })
}

/// A guild text channel.
pub fn guild_text_channel(channel_id: u64, guild_id: u64) -> Value {
    json!({
        "id": channel_id.to_string(),
        "type": 0,
        "guild_id": guild_id.to_string(),
        "name": format!("channel-{channel_id}"),
        "position": 0,
        "permission_overwrites": [],
        "nsfw": false,
        "topic": null,
        "last_message_id": null,
        "parent_id": null,
        "rate_limit_per_user": 0,
        "flags": 0,
    })
}

#[cfg(test)]
mod tests {
    use serenity::all::{
        ChannelType, Command, CommandDataOptionValue, ComponentInteractionDataKind,
        CurrentApplicationInfo, GuildChannel, Interaction, Message, PrivateChannel, Reaction,
        Ready,
    };

    use super::*;

    fn alice() -> FakeUser {
        FakeUser::new(1_200_000_000_000_000_001, "alice").with_roles(&[42, 43])
    }

    fn parse(v: Value) -> Interaction {
        match serde_json::from_value::<Interaction>(v.clone()) {
            Ok(i) => i,
            Err(e) => panic!("{e}: {v:#}"),
        }
    }

    #[test]
    fn slash_deserializes_with_all_option_types() {
        let bob = FakeUser::new(1_200_000_000_000_000_002, "bob").with_roles(&[7]);
        let v = slash(
            "client",
            &["demand", "set"],
            vec![
                ("name", "Acme".into()),
                ("hours", 12i64.into()),
                ("rate", 1.5.into()),
                ("urgent", true.into()),
                ("va", (&bob).into()),
            ],
            &alice(),
        );
        let Interaction::Command(cmd) = parse(v) else {
            panic!("not a command")
        };
        assert_eq!(cmd.data.name, "client");
        assert_eq!(cmd.locale, "de");
        let member = cmd.member.as_ref().expect("member");
        assert_eq!(member.roles.len(), 2);
        assert!(cmd.app_permissions.is_some());
        assert_eq!(cmd.user.id.get(), alice().id);
        let opts = cmd.data.options();
        assert_eq!(opts.len(), 1); // the group
        let CommandDataOptionValue::SubCommandGroup(sub) = &cmd.data.options[0].value else {
            panic!("no group")
        };
        let CommandDataOptionValue::SubCommand(leaf) = &sub[0].value else {
            panic!("no sub")
        };
        assert_eq!(leaf.len(), 5);
        assert_eq!(leaf[4].value.as_user_id().map(|u| u.get()), Some(bob.id));
        assert!(cmd.data.resolved.users.contains_key(&bob.id.into()));
        assert!(cmd.data.resolved.members.contains_key(&bob.id.into()));
    }

    #[test]
    fn plain_slash_and_autocomplete_deserialize() {
        let Interaction::Command(c) = parse(slash("ping", &[], vec![], &alice())) else {
            panic!()
        };
        assert!(c.data.options.is_empty());
        let v = autocomplete(
            "client",
            &["show"],
            vec![("n", 3i64.into())],
            ("name", "Ac"),
            &alice(),
        );
        let Interaction::Autocomplete(a) = parse(v) else {
            panic!("not autocomplete")
        };
        let focused = a.data.autocomplete().expect("focused option");
        assert_eq!(focused.name, "name");
        assert_eq!(focused.value, "Ac");
    }

    #[test]
    fn components_and_modal_deserialize() {
        let Interaction::Component(b) = parse(button("t:1", &alice())) else {
            panic!()
        };
        assert_eq!(b.data.custom_id, "t:1");
        assert!(matches!(b.data.kind, ComponentInteractionDataKind::Button));
        assert_eq!(b.message.components.len(), 1);
        let Interaction::Component(s) = parse(select("pick", &["a", "b"], &alice())) else {
            panic!()
        };
        let ComponentInteractionDataKind::StringSelect { values } = &s.data.kind else {
            panic!()
        };
        assert_eq!(values, &["a", "b"]);
        let v = modal_submit("form", &[("reason", "because"), ("hours", "3")], &alice());
        let Interaction::Modal(m) = parse(v) else {
            panic!()
        };
        assert_eq!(m.data.custom_id, "form");
        assert_eq!(m.data.components.len(), 2);
    }

    #[test]
    fn reactions_deserialize() {
        let r: Reaction = serde_json::from_value(reaction_add(&alice(), 5, 6, "👍")).expect("add");
        assert_eq!(r.user_id.map(|u| u.get()), Some(alice().id));
        assert!(r.member.is_some());
        assert!(r.emoji.unicode_eq("👍"));
        let r: Reaction =
            serde_json::from_value(reaction_remove(&alice(), 5, 6, "👍")).expect("remove");
        assert_eq!(r.message_id.get(), 6);
    }

    #[test]
    fn rest_objects_deserialize() {
        let m: Message =
            serde_json::from_value(message_json(9, 8, DEFAULT_BOT_USER_ID, "hi")).expect("msg");
        assert!(m.author.bot);
        let r: Ready = serde_json::from_value(ready(1, 2, "s", "ws://x")).expect("ready");
        assert_eq!(r.application.id.get(), 1);
        let a: CurrentApplicationInfo =
            serde_json::from_value(application_info(1, 2)).expect("app info");
        assert_eq!(a.id.get(), 1);
        let c: PrivateChannel = serde_json::from_value(dm_channel(3, 4)).expect("dm");
        assert_eq!(c.recipient.id.get(), 4);
        let g: GuildChannel =
            serde_json::from_value(guild_text_channel(3, 4)).expect("guild channel");
        assert_eq!(g.kind, ChannelType::Text);
        let cmd = json!({"id": "5", "type": 1, "application_id": "1", "name": "ping",
            "description": "d", "version": "1", "options": []});
        let _: Command = serde_json::from_value(cmd).expect("command");
    }
}
