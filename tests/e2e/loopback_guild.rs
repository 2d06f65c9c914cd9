//! The guild for a start-up self-check: channels, roles, overwrites and the bot's member, read
//! through serenity's own `Http` methods into its models, reshaped per test (a channel gone,
//! one turned into a voice channel, Send Messages denied, a role unmentionable or removed), and
//! enforced on posts with Discord's errors.

use poise::serenity_prelude as serenity;
use serenity::{
    Channel, ChannelId, ChannelType, CreateAttachment, CreateMessage, GuildChannel, GuildId,
    Member, PartialGuild, Permissions, RoleId, UserId,
};
use vpa_desk::loopback::{ChannelSetup, LoopbackConfig, Overwrite, fixtures, guild::kind};

use super::{api_error, start};

const GUILD: u64 = fixtures::DEFAULT_GUILD_ID;
const BOT: u64 = fixtures::DEFAULT_BOT_USER_ID;
const BOT_ROLE: u64 = fixtures::DEFAULT_BOT_ROLE_ID;
const SURVEYS: u64 = 100_000_000_000_000_010;
const MANAGER: u64 = 100_000_000_000_000_011;
const NEWBIES: u64 = 100_000_000_000_000_012;
const COORDINATOR_ROLE: u64 = 100_000_000_000_000_020;
const MANAGER_ROLE: u64 = 100_000_000_000_000_021;
const VPA_ROLE: u64 = 100_000_000_000_000_022;

fn guild_id() -> GuildId {
    GuildId::new(GUILD)
}

async fn guild_channel(http: &serenity::Http, id: u64) -> GuildChannel {
    match http
        .get_channel(ChannelId::new(id))
        .await
        .expect("get_channel")
    {
        Channel::Guild(c) => c,
        other => panic!("not a guild channel: {other:?}"),
    }
}

/// The bot's permissions in a channel as serenity computes them from what the loopback serves.
async fn serenity_permissions(http: &serenity::Http, channel: u64) -> Permissions {
    let guild: PartialGuild = http.get_guild(guild_id()).await.expect("get_guild");
    let member: Member = http
        .get_member(guild_id(), UserId::new(BOT))
        .await
        .expect("get_member");
    guild.user_permissions_in(&guild_channel(http, channel).await, &member)
}

#[tokio::test]
async fn the_default_guild_reads_into_serenitys_models() {
    let (lb, http) = start(LoopbackConfig::default()).await;
    let guild = http.get_guild(guild_id()).await.expect("get_guild");
    assert_eq!(guild.id.get(), GUILD);
    let everyone = &guild.roles[&RoleId::new(GUILD)];
    assert_eq!(everyone.name, "@everyone");
    let mentionable = |id: u64| guild.roles[&RoleId::new(id)].mentionable;
    assert!(mentionable(MANAGER_ROLE));
    assert!(!mentionable(COORDINATOR_ROLE) && !mentionable(VPA_ROLE));
    assert!(guild.roles[&RoleId::new(BOT_ROLE)].managed);

    let roles = http
        .get_guild_roles(guild_id())
        .await
        .expect("get_guild_roles");
    let mut ids: Vec<u64> = roles.iter().map(|r| r.id.get()).collect();
    ids.sort_unstable();
    let mut expected = vec![GUILD, COORDINATOR_ROLE, MANAGER_ROLE, VPA_ROLE, BOT_ROLE];
    expected.sort_unstable();
    assert_eq!(ids, expected);

    let channels = http.get_channels(guild_id()).await.expect("get_channels");
    let mut text: Vec<u64> = channels
        .iter()
        .filter(|c| c.kind == ChannelType::Text)
        .map(|c| c.id.get())
        .collect();
    text.sort_unstable();
    assert_eq!(
        text,
        [SURVEYS, MANAGER, NEWBIES, fixtures::DEFAULT_CHANNEL_ID]
    );
    let surveys = guild_channel(&http, SURVEYS).await;
    assert_eq!(
        (surveys.guild_id.get(), surveys.name.as_str()),
        (GUILD, "surveys")
    );

    let me = http
        .get_member(guild_id(), UserId::new(BOT))
        .await
        .expect("the bot's member");
    assert_eq!(me.roles, [RoleId::new(BOT_ROLE)]);
    assert!(me.user.bot);
    assert_eq!(http.get_current_user().await.expect("@me").id.get(), BOT);

    // What the bot may do, computed by serenity from these objects, is what the loopback
    // enforces.
    let perms = serenity_permissions(&http, SURVEYS).await;
    for needed in [
        Permissions::VIEW_CHANNEL,
        Permissions::SEND_MESSAGES,
        Permissions::EMBED_LINKS,
        Permissions::ATTACH_FILES,
        Permissions::ADD_REACTIONS,
        Permissions::READ_MESSAGE_HISTORY,
    ] {
        assert!(perms.contains(needed), "{needed:?} missing in {perms:?}");
    }
    assert!(!perms.mention_everyone());
    assert_eq!(Some(perms.bits()), lb.bot_permissions_in(SURVEYS));
    lb.shutdown();
}

#[tokio::test]
async fn unknown_channels_members_and_guilds_are_discords_404s() {
    let (lb, http) = start(LoopbackConfig::default()).await;
    let code = |e: serenity::Error| api_error(&e).map(|r| (r.status_code.as_u16(), r.error.code));
    lb.remove_channel(MANAGER);
    let e = http
        .get_channel(ChannelId::new(MANAGER))
        .await
        .expect_err("removed");
    assert_eq!(code(e), Some((404, 10003)));
    let e = ChannelId::new(MANAGER)
        .say(&http, "x")
        .await
        .expect_err("removed");
    assert_eq!(
        code(e),
        Some((404, 10003)),
        "posting into a missing channel"
    );
    let e = http
        .get_member(guild_id(), UserId::new(42))
        .await
        .expect_err("no such member");
    assert_eq!(code(e), Some((404, 10007)));
    let e = http
        .get_guild(GuildId::new(7))
        .await
        .expect_err("no such guild");
    assert_eq!(code(e), Some((404, 10004)));
    // A DM channel is a channel too.
    let alice = fixtures::FakeUser::new(1_200_000_000_000_000_001, "alice");
    let dm = lb.dm_channel_id(alice.id);
    assert!(matches!(
        http.get_channel(ChannelId::new(dm)).await.expect("dm"),
        Channel::Private(_)
    ));
    lb.shutdown();
}

#[tokio::test]
async fn a_test_reshapes_the_guild_and_serenity_sees_it() {
    let (lb, http) = start(LoopbackConfig::default()).await;
    lb.set_channel_kind(NEWBIES, kind::VOICE);
    assert_eq!(guild_channel(&http, NEWBIES).await.kind, ChannelType::Voice);

    // Send Messages denied for the bot's role in one channel, for its member in another.
    let send = Permissions::SEND_MESSAGES.bits();
    lb.add_overwrite(SURVEYS, Overwrite::role(BOT_ROLE).deny(send));
    lb.add_overwrite(MANAGER, Overwrite::member(BOT).deny(send));
    for channel in [SURVEYS, MANAGER] {
        let c = guild_channel(&http, channel).await;
        assert_eq!(c.permission_overwrites.len(), 1);
        assert!(c.permission_overwrites[0].deny.send_messages());
        let perms = serenity_permissions(&http, channel).await;
        assert!(perms.view_channel() && !perms.send_messages());
        assert_eq!(Some(perms.bits()), lb.bot_permissions_in(channel));
        let e = ChannelId::new(channel)
            .say(&http, "x")
            .await
            .expect_err("denied");
        let r = api_error(&e).expect("answered");
        assert_eq!((r.status_code.as_u16(), r.error.code), (403, 50013));
    }
    assert!(lb.channel_messages(SURVEYS).is_empty());

    lb.set_role_mentionable(MANAGER_ROLE, false);
    lb.remove_role(VPA_ROLE);
    let roles = http.get_guild_roles(guild_id()).await.expect("roles");
    assert!(roles.iter().all(|r| r.id.get() != VPA_ROLE), "removed");
    let manager = roles
        .iter()
        .find(|r| r.id.get() == MANAGER_ROLE)
        .expect("manager");
    assert!(!manager.mentionable);

    // The bot losing its role loses the role's permissions (@everyone's remain).
    lb.set_bot_roles(&[]);
    let me = http
        .get_member(guild_id(), UserId::new(BOT))
        .await
        .expect("me");
    assert!(me.roles.is_empty());
    let perms = serenity_permissions(&http, fixtures::DEFAULT_CHANNEL_ID).await;
    assert!(perms.send_messages() && !perms.attach_files());
    let with_file = CreateMessage::new().add_file(CreateAttachment::bytes(b"x".to_vec(), "x.txt"));
    let e = ChannelId::new(fixtures::DEFAULT_CHANNEL_ID)
        .send_message(&http, with_file)
        .await
        .expect_err("no Attach Files");
    assert_eq!(api_error(&e).map(|r| r.error.code), Some(50013));
    ChannelId::new(fixtures::DEFAULT_CHANNEL_ID)
        .say(&http, "text still goes")
        .await
        .expect("Send Messages from @everyone");
    lb.shutdown();
}

#[tokio::test]
async fn posts_need_a_text_channel_the_bot_can_see() {
    let (lb, http) = start(LoopbackConfig::default()).await;
    let category = 1_100_000_000_000_000_400;
    lb.add_channel(ChannelSetup {
        kind: kind::CATEGORY,
        ..ChannelSetup::text(category, "section")
    });
    let e = ChannelId::new(category)
        .say(&http, "x")
        .await
        .expect_err("category");
    assert_eq!(api_error(&e).map(|r| r.error.code), Some(50008));
    // Hidden from @everyone and not allowed back for the bot: Missing Access.
    let view = Permissions::VIEW_CHANNEL.bits();
    lb.add_overwrite(NEWBIES, Overwrite::role(GUILD).deny(view));
    lb.add_overwrite(NEWBIES, Overwrite::role(BOT_ROLE).deny(view));
    let e = ChannelId::new(NEWBIES)
        .say(&http, "x")
        .await
        .expect_err("hidden");
    assert_eq!(
        api_error(&e).map(|r| (r.status_code.as_u16(), r.error.code)),
        Some((403, 50001))
    );
    // Allowed back for the bot's member: it posts.
    lb.add_overwrite(NEWBIES, Overwrite::member(BOT).allow(view));
    ChannelId::new(NEWBIES)
        .say(&http, "visible again")
        .await
        .expect("posts");
    // Reactions need Add Reactions.
    let m = ChannelId::new(SURVEYS)
        .say(&http, "vote")
        .await
        .expect("post");
    lb.add_overwrite(
        SURVEYS,
        Overwrite::role(BOT_ROLE).deny(Permissions::ADD_REACTIONS.bits()),
    );
    lb.add_overwrite(
        SURVEYS,
        Overwrite::role(GUILD).deny(Permissions::ADD_REACTIONS.bits()),
    );
    let e = m.react(&http, '👍').await.expect_err("no Add Reactions");
    assert_eq!(api_error(&e).map(|r| r.error.code), Some(50013));
    assert!(lb.bot_reactions(SURVEYS, m.id.get()).is_empty());
    lb.shutdown();
}
