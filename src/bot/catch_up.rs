//! Catch-up on every READY (see `service::catch_up`): the ✅ ❌ ⏳ reactions of every open survey
//! post are read from Discord and each difference to what is recorded goes through the live
//! reaction path ([`super::reactions`]), as the missed event would have.
//!
//! READY comes with every fresh identify — the start, and every reconnect that could not resume
//! its session — which is exactly when reaction events may have been missed. A resumed session
//! gets the missed events replayed instead (and no READY).

use poise::serenity_prelude as serenity;

use super::Error;
use super::reactions::{self, ReactionMeaning};
use super::roles::Roles;
use crate::domain::catch_up::{PostReaction, ReactionChange};
use crate::domain::ids::DiscordId;
use crate::domain::survey::ANSWER_EMOJIS;
use crate::service::catch_up::{self, CatchUp, OpenPost};
use crate::service::{Desk, HandledOutcome};

/// The most users one `GET …/reactions/{emoji}` lists (Discord's maximum).
const PAGE: u8 = 100;

/// Reads back the reactions of every open survey post and records what changed meanwhile.
/// A post or a change that fails is logged and counted; the others go on.
pub async fn on_ready(
    ctx: &serenity::Context,
    desk: &Desk,
    ready: &serenity::Ready,
) -> Result<(), Error> {
    let mut done = CatchUp::default();
    for post in catch_up::open_posts(desk).await? {
        if let Err(e) = catch_up_post(ctx, desk, ready.user.id, post, &mut done).await {
            tracing::warn!(
                error = format!("{e:#}"),
                round_id = %post.round_id,
                message = %post.message,
                "cannot catch up on a survey post's reactions"
            );
            done.failed += 1;
        }
    }
    catch_up::caught_up(desk, done);
    Ok(())
}

/// How often a post is read back for a reaction lost to a busy database before giving up (the
/// next READY reads it again anyway).
const REREADS: u32 = 10;

/// A reaction could not be recorded because another process held the database longer than the
/// bot waits: Discord still shows it, so its post is read back once the lock is likely gone
/// (after as long again, and again while still busy) and every difference is recorded as on a
/// READY. Nothing the post shows is lost.
pub fn reread_later(ctx: &serenity::Context, desk: &Desk, message: DiscordId) {
    let (ctx, desk) = (ctx.clone(), desk.clone());
    tokio::spawn(async move {
        let bot = ctx.cache.current_user().id;
        for _ in 0..REREADS {
            tokio::time::sleep(desk.db.busy_bound()).await;
            let post = match catch_up::open_posts(&desk).await {
                Ok(posts) => posts.into_iter().find(|p| p.message == message),
                Err(e) => {
                    tracing::warn!(
                        error = format!("{e:#}"),
                        "cannot list the open survey posts"
                    );
                    continue;
                }
            };
            // Closed meanwhile: its answers no longer count.
            let Some(post) = post else { return };
            let mut done = CatchUp::default();
            match catch_up_post(&ctx, &desk, bot, post, &mut done).await {
                Ok(()) if done.failed == 0 => {
                    catch_up::caught_up(&desk, done);
                    return;
                }
                Ok(()) => catch_up::caught_up(&desk, done),
                Err(e) => {
                    tracing::warn!(error = format!("{e:#}"), %message, "cannot read a survey post back")
                }
            }
        }
    });
}

async fn catch_up_post(
    ctx: &serenity::Context,
    desk: &Desk,
    bot: serenity::UserId,
    post: OpenPost,
    done: &mut CatchUp,
) -> Result<(), Error> {
    // The recorded answers first, then the reactions (see `service::catch_up::Recorded`).
    let recorded = catch_up::recorded(desk, post.round_id).await?;
    let present = read_reactions(&ctx.http, post, bot).await?;
    done.posts += 1;
    for change in recorded.changes(&present) {
        match apply(ctx, desk, post, change).await {
            Ok(false) => {}
            Ok(true) => match change {
                ReactionChange::Added { .. } => done.added += 1,
                ReactionChange::Removed { .. } => done.withdrawn += 1,
            },
            Err(e) => {
                tracing::warn!(
                    error = format!("{e:#}"),
                    round_id = %post.round_id,
                    ?change,
                    "a caught-up reaction failed"
                );
                done.failed += 1;
            }
        }
    }
    Ok(())
}

/// Everyone's answer reactions on the post but the bot's own and other bots'.
async fn read_reactions(
    http: &serenity::Http,
    post: OpenPost,
    bot: serenity::UserId,
) -> Result<Vec<PostReaction>, serenity::Error> {
    let channel = serenity::ChannelId::new(post.channel.0);
    let message = serenity::MessageId::new(post.message.0);
    let mut present = Vec::new();
    for emoji in ANSWER_EMOJIS {
        let kind = serenity::ReactionType::Unicode(emoji.to_string());
        // Users come by ascending id; a full page may have more after its last one.
        let mut after = None;
        loop {
            let page = http
                .get_reaction_users(channel, message, &kind, PAGE, after)
                .await?;
            after = page.last().map(|u| u.id.get());
            let full = page.len() == usize::from(PAGE);
            present.extend(page.into_iter().filter(|u| u.id != bot && !u.bot).map(|u| {
                PostReaction {
                    user: DiscordId(u.id.get()),
                    emoji,
                }
            }));
            if !full {
                break;
            }
        }
    }
    Ok(present)
}

/// Sends one change through the live reaction path; whether it changed anything.
async fn apply(
    ctx: &serenity::Context,
    desk: &Desk,
    post: OpenPost,
    change: ReactionChange,
) -> Result<bool, Error> {
    let (user, emoji, added) = match change {
        ReactionChange::Added { user, emoji } => (user, emoji, true),
        ReactionChange::Removed { user, emoji } => (user, emoji, false),
    };
    // A live removal carries no member either: it is checked against the recorded answer.
    let (name, roles) = if added {
        member(ctx, desk, user).await?
    } else {
        (String::new(), None)
    };
    let meaning = ReactionMeaning::Answer {
        user,
        message: post.message,
        emoji: emoji.to_string(),
        name,
        roles,
    };
    Ok(reactions::handle(desk, &meaning, added).await? == HandledOutcome::Done)
}

/// The name and roles of whoever added a reaction. The reactions list carries users only, while
/// a live reaction carries the member with their roles as they are now: so the member is asked
/// from Discord (not the cache, which without the members intent keeps roles from whenever it
/// saw the member). Somebody no longer in the guild has no roles, and their reaction is
/// ignored as a live one without a member would be.
async fn member(
    ctx: &serenity::Context,
    desk: &Desk,
    user: DiscordId,
) -> Result<(String, Option<Roles>), serenity::Error> {
    let settings = &desk.config.settings.discord;
    let guild = serenity::GuildId::new(settings.guild_id.0);
    match guild.member(&ctx.http, serenity::UserId::new(user.0)).await {
        Ok(member) => Ok((
            reactions::member_name(&member),
            Some(Roles::of(&member.roles, settings)),
        )),
        Err(serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)))
            if r.status_code.as_u16() == 404 =>
        {
            Ok((String::new(), None))
        }
        Err(e) => Err(e),
    }
}
