//! Whether the server is set up for the bot: the configured channels exist and are text
//! channels, the roles exist, the bot's effective permissions in each channel cover what it
//! does there, and it can ping the manager role. Permissions are computed as Discord computes
//! them: the guild permissions of @everyone and the member's roles (everything for the owner
//! or an administrator), then the channel's overwrites — @everyone, the member's roles (denies,
//! then allows), the member.

use serde::{Deserialize, Serialize};

use super::ids::DiscordId;

/// Discord's permission bits this check needs.
pub mod bits {
    pub const ADMINISTRATOR: u64 = 1 << 3;
    pub const ADD_REACTIONS: u64 = 1 << 6;
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    pub const SEND_MESSAGES: u64 = 1 << 11;
    pub const EMBED_LINKS: u64 = 1 << 14;
    pub const ATTACH_FILES: u64 = 1 << 15;
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    pub const MENTION_EVERYONE: u64 = 1 << 17;
}

/// A permission the bot needs somewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    ViewChannel,
    SendMessages,
    EmbedLinks,
    AttachFiles,
    AddReactions,
    ReadMessageHistory,
}

impl Permission {
    pub const ALL: [Permission; 6] = [
        Permission::ViewChannel,
        Permission::SendMessages,
        Permission::EmbedLinks,
        Permission::AttachFiles,
        Permission::AddReactions,
        Permission::ReadMessageHistory,
    ];

    pub fn bit(self) -> u64 {
        match self {
            Permission::ViewChannel => bits::VIEW_CHANNEL,
            Permission::SendMessages => bits::SEND_MESSAGES,
            Permission::EmbedLinks => bits::EMBED_LINKS,
            Permission::AttachFiles => bits::ATTACH_FILES,
            Permission::AddReactions => bits::ADD_REACTIONS,
            Permission::ReadMessageHistory => bits::READ_MESSAGE_HISTORY,
        }
    }
}

/// Which configured channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelRole {
    /// Survey posts: embeds, the bot's reactions, reading reactions back after a restart.
    Surveys,
    /// Notices, reports with charts, the manager ping.
    Manager,
    /// Newbie nudges (and, by default, the mentions of members who refuse DMs).
    Newbies,
    /// The mentions of members who refuse DMs, when configured apart from the newbies channel.
    DmFallback,
}

impl ChannelRole {
    /// What the bot does in this channel needs these.
    pub fn needs(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            ChannelRole::Surveys => &[
                ViewChannel,
                SendMessages,
                EmbedLinks,
                AddReactions,
                ReadMessageHistory,
            ],
            ChannelRole::Manager => &[
                ViewChannel,
                SendMessages,
                EmbedLinks,
                AttachFiles,
                ReadMessageHistory,
            ],
            ChannelRole::Newbies | ChannelRole::DmFallback => {
                &[ViewChannel, SendMessages, ReadMessageHistory]
            }
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            ChannelRole::Surveys => "surveys_channel_id",
            ChannelRole::Manager => "manager_channel_id",
            ChannelRole::Newbies => "newbies_channel_id",
            ChannelRole::DmFallback => "dm_fallback_channel_id",
        }
    }
}

/// Which configured role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleRole {
    Coordinator,
    Manager,
    Vpa,
}

impl RoleRole {
    pub const ALL: [RoleRole; 3] = [RoleRole::Coordinator, RoleRole::Manager, RoleRole::Vpa];

    pub fn key(self) -> &'static str {
        match self {
            RoleRole::Coordinator => "coordinator_role_id",
            RoleRole::Manager => "manager_role_id",
            RoleRole::Vpa => "vpa_role_id",
        }
    }
}

/// A role of the server as Discord describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerRole {
    pub id: DiscordId,
    pub name: String,
    pub permissions: u64,
    pub mentionable: bool,
}

/// A channel overwrite: for a role or for one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerOverwrite {
    pub id: DiscordId,
    pub member: bool,
    pub allow: u64,
    pub deny: u64,
}

/// A channel of the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerChannel {
    pub id: DiscordId,
    pub name: String,
    /// Discord's channel type (0 text, 2 voice, 4 category, 5 announcement, …).
    pub kind: u8,
    pub overwrites: Vec<ServerOverwrite>,
}

/// What the bot sees of the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerView {
    pub guild_id: DiscordId,
    pub guild_name: String,
    pub owner_id: DiscordId,
    pub roles: Vec<ServerRole>,
    pub channels: Vec<ServerChannel>,
    pub bot_id: DiscordId,
    /// The bot member's roles.
    pub bot_roles: Vec<DiscordId>,
}

/// The configured ids the check looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub channels: Vec<(ChannelRole, DiscordId)>,
    pub roles: [(RoleRole, DiscordId); 3],
}

/// Something to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum SetupProblem {
    /// The guild could not be read (wrong id, the bot not in it, or Discord unreachable).
    GuildUnreachable {
        guild: DiscordId,
        error: String,
    },
    ChannelMissing {
        channel: ChannelRole,
        id: DiscordId,
    },
    /// Not a text channel (a voice channel, a category, a forum …).
    ChannelNotText {
        channel: ChannelRole,
        id: DiscordId,
        name: String,
        kind: u8,
    },
    RoleMissing {
        role: RoleRole,
        id: DiscordId,
    },
    /// The bot lacks these permissions in the channel.
    PermissionsMissing {
        channel: ChannelRole,
        id: DiscordId,
        name: String,
        missing: Vec<Permission>,
    },
    /// The manager role cannot be mentioned, and the bot may not mention all roles: its ping
    /// reaches nobody.
    ManagerRoleNotMentionable {
        id: DiscordId,
        name: String,
    },
}

/// Channel types the bot can post in like a text channel.
fn is_text(kind: u8) -> bool {
    // 0: text, 5: announcement (also takes messages).
    matches!(kind, 0 | 5)
}

/// The bot's guild-wide permissions.
fn guild_permissions(view: &ServerView) -> u64 {
    let everyone = view
        .roles
        .iter()
        .find(|r| r.id == view.guild_id)
        .map_or(0, |r| r.permissions);
    let mut permissions = everyone;
    for role in view.roles.iter().filter(|r| view.bot_roles.contains(&r.id)) {
        permissions |= role.permissions;
    }
    permissions
}

/// The bot's permissions in one channel, as Discord computes them.
pub fn channel_permissions(view: &ServerView, channel: &ServerChannel) -> u64 {
    let all = u64::MAX;
    if view.owner_id == view.bot_id {
        return all;
    }
    let mut permissions = guild_permissions(view);
    if permissions & bits::ADMINISTRATOR != 0 {
        return all;
    }
    let overwrite = |id: DiscordId, member: bool| {
        channel
            .overwrites
            .iter()
            .find(|o| o.id == id && o.member == member)
    };
    if let Some(o) = overwrite(view.guild_id, false) {
        permissions = (permissions & !o.deny) | o.allow;
    }
    let (mut allow, mut deny) = (0, 0);
    for role in &view.bot_roles {
        if let Some(o) = overwrite(*role, false) {
            allow |= o.allow;
            deny |= o.deny;
        }
    }
    permissions = (permissions & !deny) | allow;
    if let Some(o) = overwrite(view.bot_id, true) {
        permissions = (permissions & !o.deny) | o.allow;
    }
    permissions
}

/// Everything to fix, in the order of the configuration; empty when all is set up.
pub fn check(view: &ServerView, wanted: &Wanted) -> Vec<SetupProblem> {
    let mut problems = Vec::new();
    for (role, id) in wanted.roles {
        if !view.roles.iter().any(|r| r.id == id) {
            problems.push(SetupProblem::RoleMissing { role, id });
        }
    }
    for &(which, id) in &wanted.channels {
        let Some(channel) = view.channels.iter().find(|c| c.id == id) else {
            problems.push(SetupProblem::ChannelMissing { channel: which, id });
            continue;
        };
        if !is_text(channel.kind) {
            problems.push(SetupProblem::ChannelNotText {
                channel: which,
                id,
                name: channel.name.clone(),
                kind: channel.kind,
            });
            continue;
        }
        let has = channel_permissions(view, channel);
        // Without View Channel nothing else counts there.
        let missing: Vec<Permission> = if has & bits::VIEW_CHANNEL == 0 {
            which.needs().to_vec()
        } else {
            which
                .needs()
                .iter()
                .copied()
                .filter(|p| has & p.bit() == 0)
                .collect()
        };
        if !missing.is_empty() {
            problems.push(SetupProblem::PermissionsMissing {
                channel: which,
                id,
                name: channel.name.clone(),
                missing,
            });
        }
        // The ping is a problem of its own, whatever else the channel lacks.
        if which == ChannelRole::Manager {
            let manager = wanted
                .roles
                .iter()
                .find(|(r, _)| *r == RoleRole::Manager)
                .map(|(_, id)| *id);
            if let Some(role) = manager.and_then(|m| view.roles.iter().find(|r| r.id == m))
                && !role.mentionable
                && has & bits::MENTION_EVERYONE == 0
            {
                problems.push(SetupProblem::ManagerRoleNotMentionable {
                    id: role.id,
                    name: role.name.clone(),
                });
            }
        }
    }
    problems
}

/// Whether the manager channel itself is broken (then problems go to the log only).
pub fn manager_channel_broken(problems: &[SetupProblem]) -> bool {
    problems.iter().any(|p| match p {
        SetupProblem::GuildUnreachable { .. } => true,
        SetupProblem::ChannelMissing { channel, .. }
        | SetupProblem::ChannelNotText { channel, .. } => *channel == ChannelRole::Manager,
        SetupProblem::PermissionsMissing {
            channel, missing, ..
        } => {
            *channel == ChannelRole::Manager
                && missing
                    .iter()
                    .any(|p| matches!(p, Permission::ViewChannel | Permission::SendMessages))
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUILD: DiscordId = DiscordId(1);
    const BOT: DiscordId = DiscordId(99);
    const BOT_ROLE: DiscordId = DiscordId(50);

    fn view() -> ServerView {
        let role = |id: u64, name: &str, permissions: u64, mentionable: bool| ServerRole {
            id: DiscordId(id),
            name: name.into(),
            permissions,
            mentionable,
        };
        let text = |id: u64, name: &str| ServerChannel {
            id: DiscordId(id),
            name: name.into(),
            kind: 0,
            overwrites: Vec::new(),
        };
        ServerView {
            guild_id: GUILD,
            guild_name: "Agentur".into(),
            owner_id: DiscordId(7),
            roles: vec![
                role(
                    1,
                    "@everyone",
                    bits::VIEW_CHANNEL | bits::SEND_MESSAGES,
                    false,
                ),
                role(
                    50,
                    "vpa-desk",
                    bits::EMBED_LINKS
                        | bits::ATTACH_FILES
                        | bits::ADD_REACTIONS
                        | bits::READ_MESSAGE_HISTORY,
                    false,
                ),
                role(11, "Koordination", 0, false),
                role(12, "VPA-Management", 0, true),
                role(13, "VPA", 0, false),
            ],
            channels: vec![
                text(21, "umfragen"),
                text(22, "vpa-management"),
                text(23, "newbies"),
            ],
            bot_id: BOT,
            bot_roles: vec![BOT_ROLE],
        }
    }

    fn wanted() -> Wanted {
        Wanted {
            channels: vec![
                (ChannelRole::Surveys, DiscordId(21)),
                (ChannelRole::Manager, DiscordId(22)),
                (ChannelRole::Newbies, DiscordId(23)),
            ],
            roles: [
                (RoleRole::Coordinator, DiscordId(11)),
                (RoleRole::Manager, DiscordId(12)),
                (RoleRole::Vpa, DiscordId(13)),
            ],
        }
    }

    #[test]
    fn a_server_set_up_right_has_nothing_to_fix() {
        assert_eq!(check(&view(), &wanted()), Vec::new());
    }

    #[test]
    fn overwrites_apply_everyone_then_roles_then_the_member() {
        let mut v = view();
        // @everyone denied sending in the surveys channel; the bot's role allowed again; the
        // member denied reactions.
        v.channels[0].overwrites = vec![
            ServerOverwrite {
                id: GUILD,
                member: false,
                allow: 0,
                deny: bits::SEND_MESSAGES,
            },
            ServerOverwrite {
                id: BOT_ROLE,
                member: false,
                allow: bits::SEND_MESSAGES,
                deny: 0,
            },
            ServerOverwrite {
                id: BOT,
                member: true,
                allow: 0,
                deny: bits::ADD_REACTIONS,
            },
        ];
        assert_eq!(
            check(&v, &wanted()),
            vec![SetupProblem::PermissionsMissing {
                channel: ChannelRole::Surveys,
                id: DiscordId(21),
                name: "umfragen".into(),
                missing: vec![Permission::AddReactions],
            }]
        );
        // An administrator role overrides every overwrite.
        v.roles[1].permissions |= bits::ADMINISTRATOR;
        assert_eq!(check(&v, &wanted()), Vec::new());
    }

    #[test]
    fn each_kind_of_problem_is_found() {
        let mut v = view();
        v.channels.retain(|c| c.id != DiscordId(23));
        v.channels[0].kind = 2;
        v.roles.retain(|r| r.id != DiscordId(13));
        v.roles[3].mentionable = false;
        let problems = check(&v, &wanted());
        assert_eq!(
            problems,
            vec![
                SetupProblem::RoleMissing {
                    role: RoleRole::Vpa,
                    id: DiscordId(13)
                },
                SetupProblem::ChannelNotText {
                    channel: ChannelRole::Surveys,
                    id: DiscordId(21),
                    name: "umfragen".into(),
                    kind: 2
                },
                SetupProblem::ManagerRoleNotMentionable {
                    id: DiscordId(12),
                    name: "VPA-Management".into()
                },
                SetupProblem::ChannelMissing {
                    channel: ChannelRole::Newbies,
                    id: DiscordId(23)
                },
            ]
        );
        assert!(!manager_channel_broken(&problems));
        // Mention Everyone lets the bot ping an unmentionable role.
        v.roles[1].permissions |= bits::MENTION_EVERYONE;
        assert!(
            !check(&v, &wanted())
                .iter()
                .any(|p| matches!(p, SetupProblem::ManagerRoleNotMentionable { .. }))
        );
    }
}
