//! The start-up self-check: the real binary's `vpa-desk check` against the loopback's guild
//! (clean, and each kind of problem reported with its fix, exit code 1), and the check at
//! `serve` start (the manager channel told, or only the log when that channel is the broken
//! one; `/pool`'s warning line while a problem stands, gone once it is fixed).

use poise::serenity_prelude as serenity;
use vpa_desk::config::Config;
use vpa_desk::domain::DiscordId;
use vpa_desk::domain::setup::{
    ChannelRole, Permission, RoleRole, SetupProblem, bits, channel_permissions,
};
use vpa_desk::loopback::guild::kind;
use vpa_desk::loopback::{LoopbackDiscord, Overwrite};
use vpa_desk::present::{Lang, setup};
use vpa_desk::service::DeskEvent;

use crate::support::cli::loopback;
use crate::support::cli::{run, stderr, stdout};
use crate::support::wait::next_event;
use crate::support::{CliEnv, Harness, de};

const TOKEN: &str = "check.bot.token";

fn check(env: &CliEnv, discord: &LoopbackDiscord) -> std::process::Output {
    run(env
        .bare()
        .arg("check")
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_API_BASE", discord.api_base()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_reports_a_server_set_up_right_as_clean() {
    let discord = loopback().await;
    let env = CliEnv::new();
    let out = check(&env, &discord);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        setup::report(de(), "vpa-desk loopback", &[])
    );
    assert!(
        stdout(&out).contains("Einrichtung geprüft"),
        "{}",
        stdout(&out)
    );
    // It only reads: nothing was posted anywhere.
    assert!(
        !discord.requests().iter().any(|r| r.method != "GET"),
        "{:?}",
        discord.requests()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_reports_each_problem_with_its_fix_and_exits_1() {
    let discord = loopback().await;
    let d = Config::embedded().settings.discord;
    discord.edit_guild(|g| {
        // The newbies channel gone, the surveys channel a voice channel, the VPA role gone,
        // sending denied to @everyone in the manager channel, the manager role unmentionable.
        g.channels.retain(|c| c.id != d.newbies_channel_id.0);
        g.channel_mut(d.surveys_channel_id.0).unwrap().kind = kind::VOICE;
        g.roles.retain(|r| r.id != d.vpa_role_id.0);
        let everyone = g.id;
        g.channel_mut(d.manager_channel_id.0)
            .unwrap()
            .overwrites
            .push(Overwrite::role(everyone).deny(bits::SEND_MESSAGES));
        g.roles
            .iter_mut()
            .find(|r| r.id == d.manager_role_id.0)
            .unwrap()
            .mentionable = false;
    });
    let env = CliEnv::new();
    let out = check(&env, &discord);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let report = stderr(&out);
    let expected = [
        SetupProblem::RoleMissing {
            role: RoleRole::Vpa,
            id: d.vpa_role_id,
        },
        SetupProblem::ChannelNotText {
            channel: ChannelRole::Surveys,
            id: d.surveys_channel_id,
            name: "surveys".into(),
            kind: kind::VOICE,
        },
        SetupProblem::PermissionsMissing {
            channel: ChannelRole::Manager,
            id: d.manager_channel_id,
            name: "manager".into(),
            missing: vec![Permission::SendMessages],
        },
        SetupProblem::ManagerRoleNotMentionable {
            id: d.manager_role_id,
            name: "manager".into(),
        },
        SetupProblem::ChannelMissing {
            channel: ChannelRole::Newbies,
            id: d.newbies_channel_id,
        },
    ];
    assert_eq!(report.trim(), setup::report(de(), "", &expected));
    // Each line says what is wrong and where to fix it, in German.
    for needle in [
        "5 Probleme",
        "`discord.vpa_role_id` = 100000000000000022 gibt es nicht. Servereinstellungen → Rollen",
        "#surveys ist kein Textkanal (Discord-Typ 2)",
        "In #manager (`discord.manager_channel_id`) fehlt dem Bot: Nachrichten senden. Kanal bearbeiten → Berechtigungen",
        "@manager (`discord.manager_role_id`) ist nicht erwähnbar",
        "„Erlaube jedem, diese Rolle zu @erwähnen“",
        "`discord.newbies_channel_id` = 100000000000000012 gibt es auf dem Server nicht",
    ] {
        assert!(report.contains(needle), "{needle:?} in {report}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_of_a_guild_the_bot_is_not_in_says_so() {
    let discord = loopback().await;
    let env = CliEnv::new();
    let dir = env.dir.path().join("config");
    std::fs::create_dir_all(&dir).unwrap();
    let shipped = std::fs::read_to_string(crate::support::cli::config_dir().join("default.toml"))
        .unwrap()
        .replace(
            "guild_id = 100000000000000001",
            "guild_id = 100000000000000999",
        );
    std::fs::write(dir.join("default.toml"), shipped).unwrap();
    std::fs::copy(
        crate::support::cli::config_dir().join("competences.toml"),
        dir.join("competences.toml"),
    )
    .unwrap();
    let out = run(env
        .bare()
        .arg("--config")
        .arg(&dir)
        .arg("check")
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_API_BASE", discord.api_base()));
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("Der Server 100000000000000999 ist nicht erreichbar")
            && stderr(&out).contains("ob der Bot eingeladen ist"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_without_a_token_says_how_to_set_it() {
    let env = CliEnv::new();
    let out = run(env.bare().arg("check"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("DISCORD_TOKEN ist nicht gesetzt"),
        "{}",
        stderr(&out)
    );
}

/// The permissions the check computes are the ones serenity computes from the same guild.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checks_permissions_agree_with_serenitys() {
    let discord = loopback().await;
    let d = Config::embedded().settings.discord;
    let bot_role = vpa_desk::loopback::fixtures::DEFAULT_BOT_ROLE_ID;
    let bot = vpa_desk::loopback::fixtures::DEFAULT_BOT_USER_ID;
    discord.edit_guild(|g| {
        let everyone = g.id;
        let c = g.channel_mut(d.surveys_channel_id.0).unwrap();
        c.overwrites = vec![
            Overwrite::role(everyone).deny(bits::SEND_MESSAGES | bits::ADD_REACTIONS),
            Overwrite::role(bot_role).allow(bits::SEND_MESSAGES),
            Overwrite::member(bot).deny(bits::EMBED_LINKS),
        ];
        let m = g.channel_mut(d.manager_channel_id.0).unwrap();
        m.overwrites = vec![Overwrite::role(everyone).deny(bits::VIEW_CHANNEL)];
    });
    let relay = vpa_desk::loopback::relay::Relay::start(&discord.api_base())
        .await
        .unwrap();
    let http =
        vpa_desk::bot::http_client(TOKEN, &vpa_desk::bot::Connection::Client(relay.client()));
    let view = vpa_desk::bot::setup_check::server_view(&http, d.guild_id)
        .await
        .unwrap();
    let guild = http
        .get_guild(serenity::GuildId::new(d.guild_id.0))
        .await
        .unwrap();
    let member = http
        .get_member(guild.id, serenity::UserId::new(bot))
        .await
        .unwrap();
    for id in [
        d.surveys_channel_id,
        d.manager_channel_id,
        d.newbies_channel_id,
    ] {
        let serenity::Channel::Guild(channel) = http
            .get_channel(serenity::ChannelId::new(id.0))
            .await
            .unwrap()
        else {
            panic!("a guild channel");
        };
        let theirs = guild.user_permissions_in(&channel, &member).bits();
        let ours = channel_permissions(&view, view.channels.iter().find(|c| c.id == id).unwrap());
        let wanted = Permission::ALL.iter().fold(0, |a, p| a | p.bit());
        assert_eq!(ours & wanted, theirs & wanted, "channel {id:?}");
    }
    relay.shutdown().await;
}

async fn setup_checked(h: &mut Harness) -> usize {
    let mut events = h.events_since_boot();
    next_event(&mut events, "the set-up check", |e| match e {
        DeskEvent::SetupChecked { problems } => Some(*problems),
        _ => None,
    })
    .await
}

/// Set-up notices queued in the outbox.
async fn setup_items(h: &Harness) -> Vec<(i64,)> {
    h.sql
        .rows("SELECT id FROM outbox WHERE json_extract(intent, '$.type') = 'setup_problems'")
        .await
}

async fn pool_text(h: &Harness) -> String {
    h.slash("pool", &[], vec![], &h.coordinator()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_starts_on_a_clean_server_without_a_notice_or_a_warning() {
    let mut h = Harness::start().await;
    assert_eq!(setup_checked(&mut h).await, 0);
    let pool = pool_text(&h).await;
    assert!(pool.starts_with("```"), "{pool}");
    assert!(!pool.contains("Einrichtung"), "{pool}");
    assert!(
        setup_items(&h).await.is_empty(),
        "no notice for a clean server"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_tells_the_manager_channel_and_pool_warns_until_it_is_fixed() {
    let h = Harness::start().await;
    let newbies = h.settings().newbies_channel_id.0;
    let manager_role = h.settings().manager_role_id.0;
    let mut h = h
        .restart_after(|d| {
            d.edit_guild(|g| {
                let everyone = g.id;
                g.channel_mut(newbies)
                    .unwrap()
                    .overwrites
                    .push(Overwrite::role(everyone).deny(bits::SEND_MESSAGES));
                g.roles
                    .iter_mut()
                    .find(|r| r.id == manager_role)
                    .unwrap()
                    .mentionable = false;
            })
        })
        .await;
    assert_eq!(setup_checked(&mut h).await, 2);
    let notice = h
        .wait_manager_message("the set-up notice", |m| {
            crate::support::messages::says(m, "Einrichtung: 2 Probleme")
        })
        .await;
    assert_eq!(setup_items(&h).await.len(), 1, "one notice queued");
    let text = crate::support::messages::content(&notice).to_string();
    assert!(
        text.contains(
            "In #newbies (`discord.newbies_channel_id`) fehlt dem Bot: Nachrichten senden"
        ),
        "{text}"
    );
    assert!(
        text.contains("@manager (`discord.manager_role_id`) ist nicht erwähnbar"),
        "{text}"
    );
    assert!(text.contains("der Bot läuft trotzdem"), "{text}");
    assert!(text.chars().count() <= 2000);
    // The notice itself pings nobody.
    let post = h.manager_posts().pop().unwrap();
    let roles = &post.body["allowed_mentions"]["roles"];
    assert!(
        roles.is_null() || roles == &serde_json::json!([]),
        "{roles}"
    );

    let pool = pool_text(&h).await;
    assert!(
        pool.starts_with("⚠️ Einrichtung unvollständig (2 Probleme)"),
        "{pool}"
    );
    assert!(pool.contains("```"), "the table follows: {pool}");

    // Fixed on the server: the next /pool looks again and the warning is gone.
    h.discord.edit_guild(|g| {
        g.channel_mut(newbies).unwrap().overwrites.clear();
        g.roles
            .iter_mut()
            .find(|r| r.id == manager_role)
            .unwrap()
            .mentionable = true;
    });
    let pool = pool_text(&h).await;
    assert!(pool.starts_with("```"), "{pool}");
    // And it stays gone without looking again.
    let requests = h.discord.requests().len();
    let pool = pool_text(&h).await;
    assert!(pool.starts_with("```"), "{pool}");
    assert!(
        !h.discord.requests()[requests..]
            .iter()
            .any(|r| r.is("GET", &format!("/guilds/{}", h.settings().guild_id.0))),
        "a clean check is not repeated"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_manager_channel_goes_to_the_log_not_to_the_channel() {
    let h = Harness::start().await;
    let manager = h.settings().manager_channel_id.0;
    let mut h = h
        .restart_after(|d| {
            d.edit_guild(|g| {
                g.channel_mut(manager).unwrap().kind = kind::VOICE;
            })
        })
        .await;
    assert_eq!(setup_checked(&mut h).await, 1);
    // Nothing was queued for the broken channel (it would only fail there).
    assert!(setup_items(&h).await.is_empty());
    let pool = pool_text(&h).await;
    assert!(
        pool.starts_with("⚠️ Einrichtung unvollständig (1 Problem)"),
        "{pool}"
    );
    h.stop().await;
}

#[test]
fn every_problem_fits_a_message_and_names_its_key() {
    let long = "x".repeat(500);
    let problems = vec![
        SetupProblem::GuildUnreachable {
            guild: DiscordId(1),
            error: long.clone(),
        },
        SetupProblem::PermissionsMissing {
            channel: ChannelRole::Surveys,
            id: DiscordId(2),
            name: long.clone(),
            missing: Permission::ALL.to_vec(),
        },
        SetupProblem::ManagerRoleNotMentionable {
            id: DiscordId(3),
            name: long,
        },
    ];
    for lang in Lang::all() {
        let notice = setup::serve_notice(lang, &problems);
        assert!(notice.content.chars().count() <= 2000, "{}", notice.content);
        assert!(notice.content.contains("surveys_channel_id"));
    }
}
