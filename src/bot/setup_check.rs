//! The start-up self-check's Discord side: reads the guild, its roles and channels and the
//! bot's member through the REST API into [`ServerView`], for `domain::setup::check`.

use poise::serenity_prelude as serenity;

use crate::config::Config;
use crate::domain::ids::DiscordId;
use crate::domain::setup::{
    ChannelRole, RoleRole, ServerChannel, ServerOverwrite, ServerRole, ServerView, SetupProblem,
    Wanted, check,
};

/// The ids the configuration names.
pub fn wanted(config: &Config) -> Wanted {
    let d = &config.settings.discord;
    let mut channels = vec![
        (ChannelRole::Surveys, d.surveys_channel_id),
        (ChannelRole::Manager, d.manager_channel_id),
        (ChannelRole::Newbies, d.newbies_channel_id),
    ];
    if d.dm_fallback_channel() != d.newbies_channel_id {
        channels.push((ChannelRole::DmFallback, d.dm_fallback_channel()));
    }
    Wanted {
        channels,
        roles: [
            (RoleRole::Coordinator, d.coordinator_role_id),
            (RoleRole::Manager, d.manager_role_id),
            (RoleRole::Vpa, d.vpa_role_id),
        ],
    }
}

/// Reads what the bot sees of the configured guild.
pub async fn server_view(http: &serenity::Http, guild: DiscordId) -> serenity::Result<ServerView> {
    let guild_id = serenity::GuildId::new(guild.0.max(1));
    let partial = http.get_guild(guild_id).await?;
    let channels = http.get_channels(guild_id).await?;
    let me = http.get_current_user().await?;
    let member = http.get_member(guild_id, me.id).await?;
    let roles = partial
        .roles
        .values()
        .map(|r| ServerRole {
            id: DiscordId(r.id.get()),
            name: r.name.clone(),
            permissions: r.permissions.bits(),
            mentionable: r.mentionable,
        })
        .collect();
    let channels = channels
        .into_iter()
        .map(|c| ServerChannel {
            id: DiscordId(c.id.get()),
            name: c.name.clone(),
            kind: u8::from(c.kind),
            overwrites: c
                .permission_overwrites
                .iter()
                .filter_map(|o| {
                    let (id, member) = match o.kind {
                        serenity::PermissionOverwriteType::Member(u) => (u.get(), true),
                        serenity::PermissionOverwriteType::Role(r) => (r.get(), false),
                        _ => return None,
                    };
                    Some(ServerOverwrite {
                        id: DiscordId(id),
                        member,
                        allow: o.allow.bits(),
                        deny: o.deny.bits(),
                    })
                })
                .collect(),
        })
        .collect();
    Ok(ServerView {
        guild_id: guild,
        guild_name: partial.name.clone(),
        owner_id: DiscordId(partial.owner_id.get()),
        roles,
        channels,
        bot_id: DiscordId(me.id.get()),
        bot_roles: member.roles.iter().map(|r| DiscordId(r.get())).collect(),
    })
}

/// Checks the server the configuration names: its name (empty when it could not be read) and
/// everything to fix (empty: all set up).
pub async fn run(http: &serenity::Http, config: &Config) -> (String, Vec<SetupProblem>) {
    let guild = config.settings.discord.guild_id;
    match server_view(http, guild).await {
        Ok(view) => {
            let problems = check(&view, &wanted(config));
            (view.guild_name, problems)
        }
        Err(e) => (
            String::new(),
            vec![SetupProblem::GuildUnreachable {
                guild,
                error: e.to_string(),
            }],
        ),
    }
}

/// The check at `serve` start: kept for `/pool`, told to the manager channel (or the log).
pub async fn at_start(desk: &crate::service::Desk, http: &serenity::Http) {
    let (_, problems) = run(http, &desk.config).await;
    if let Err(e) = crate::service::setup::checked(desk, problems, true).await {
        tracing::error!(error = %e, "could not keep the set-up check's outcome");
    }
}
