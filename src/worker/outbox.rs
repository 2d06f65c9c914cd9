//! Delivers the outbox: posts, edits and DMs, rendered at delivery by `present` (in the
//! recipient's language, from the current state), each retried with back-off on 5xx, 429 and
//! connection failures, sent with a nonce (`enforce_nonce`) so a retry after a lost response
//! cannot double-post, and given up (logged, kept as `failed`) on a permanent error.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use tokio::sync::watch;

use crate::db::outbox::{Intent, OutboxItem};
use crate::domain::area::Urgency;
use crate::domain::ids::{DiscordId, TaskId};
use crate::domain::survey::{ACCEPT_EMOJI, DECLINE_EMOJI, LATER_EMOJI};
use crate::present::direct::{self, DirectContext};
use crate::present::{self, Lang, Message, notice, surveys};
use crate::service::escalation::notice_view;
use crate::service::survey::post_view;
use crate::service::{self, Desk};

/// Longest wait between attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// Poll interval when idle, in case a bell was missed (e.g. an item written by another process).
const IDLE_POLL: Duration = Duration::from_secs(5);
/// Most items taken per turn: one claim and one delivery record (one statement each) per batch,
/// so a burst of DMs does not make answers queue behind two bookkeeping writes per message.
const BATCH: u32 = 32;

/// What an item is, for logs (never its text: it may hold a client's name).
fn intent_kind(intent: &Intent) -> &'static str {
    match intent {
        Intent::SurveyPost { .. } => "survey_post",
        Intent::SurveyReactions { .. } => "survey_reactions",
        Intent::RefreshSurveyPost { .. } => "refresh_survey_post",
        Intent::EscalationNotice { .. } => "escalation_notice",
        Intent::EscalationPing { .. } => "escalation_ping",
        Intent::Direct { .. } => "direct",
        Intent::PoolWatch(_) => "pool_watch",
        Intent::LegacyDm { .. } => "legacy_dm",
        Intent::LegacyNudge { .. } => "legacy_nudge",
        Intent::LegacyChannelMessage { .. } => "legacy_channel_message",
    }
}

/// How a delivery attempt ended.
#[derive(Debug)]
enum Delivery {
    /// Done; what it produced (channel, message).
    Sent(Option<(DiscordId, DiscordId)>),
    /// Not possible yet (e.g. an edit of a post that is not out): try again soon, no error.
    NotYet,
    /// Held back until then (a role ping during quiet hours).
    Later(chrono::DateTime<chrono::Utc>),
}

/// Whether an error is worth retrying.
#[derive(Debug, PartialEq, Eq)]
pub enum Failure {
    /// 5xx, 429, connection problems.
    Transient { rate_limited: bool },
    /// Everything else (400 invalid form, 403, 404): retrying cannot help.
    Permanent,
}

/// Classifies a serenity error.
pub fn classify(error: &serenity::Error) -> Failure {
    match error {
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response)) => {
            let status = response.status_code.as_u16();
            if status == 429 {
                Failure::Transient { rate_limited: true }
            } else if status >= 500 {
                Failure::Transient {
                    rate_limited: false,
                }
            } else {
                Failure::Permanent
            }
        }
        serenity::Error::Http(serenity::HttpError::Request(_)) | serenity::Error::Io(_) => {
            Failure::Transient {
                rate_limited: false,
            }
        }
        serenity::Error::Http(
            serenity::HttpError::RateLimitI64F64 | serenity::HttpError::RateLimitUtf8,
        ) => Failure::Transient { rate_limited: true },
        _ => Failure::Permanent,
    }
}

/// Discord's "Cannot send messages to this user" (403, code 50007).
fn refuses_dms(error: &serenity::Error) -> bool {
    match error {
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response)) => {
            response.status_code.as_u16() == 403 && response.error.code == 50007
        }
        _ => false,
    }
}

/// Back-off after `attempts` failed attempts: 1 s, 2 s, 4 s … up to five minutes; at least 1 s
/// after a 429 (the client does not expose Discord's retry-after with the ratelimiter off).
pub fn backoff(attempts: i64, rate_limited: bool) -> Duration {
    let exp = attempts.clamp(0, 16) as u32;
    let wait = Duration::from_secs(1u64 << exp).min(MAX_BACKOFF);
    if rate_limited {
        wait.max(Duration::from_secs(1))
    } else {
        wait
    }
}

/// Runs until `stop` turns true: delivers due items, sleeps until the next is due or the bell rings.
pub async fn run(desk: Desk, http: Arc<serenity::Http>, mut stop: watch::Receiver<bool>) {
    match desk.db.requeue_in_flight_outbox().await {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            items = n,
            "outbox: items in flight at the last stop queued again"
        ),
        Err(e) => tracing::error!(error = %e, "outbox: cannot requeue in-flight items"),
    }
    let mut dms = DmChannels::default();
    loop {
        if *stop.borrow() {
            return;
        }
        match deliver_due(&desk, &http, &mut dms).await {
            Ok(true) => continue,
            Ok(false) => desk.publish(crate::service::DeskEvent::OutboxIdle),
            Err(e) => tracing::error!(error = format!("{e:#}"), "outbox: database error"),
        }
        let wait = match desk.db.next_outbox_due_at().await {
            Ok(Some(due)) => (due - desk.now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(IDLE_POLL),
            _ => IDLE_POLL,
        };
        tokio::select! {
            () = desk.outbox_bell.notified() => {}
            () = tokio::time::sleep(wait) => {}
            _ = stop.changed() => {}
        }
    }
}

/// The DM channel of each user the bot has written to. Discord returns the same channel every
/// time; asking once per user instead of once per message halves the requests of a DM burst.
#[derive(Debug, Default)]
pub struct DmChannels {
    known: HashMap<u64, serenity::ChannelId>,
}

impl DmChannels {
    async fn of(
        &mut self,
        http: &serenity::Http,
        user_id: u64,
    ) -> serenity::Result<serenity::ChannelId> {
        if let Some(channel) = self.known.get(&user_id) {
            return Ok(*channel);
        }
        let channel = serenity::UserId::new(user_id)
            .create_dm_channel(http)
            .await?
            .id;
        self.known.insert(user_id, channel);
        Ok(channel)
    }

    /// Sends `message` to the user's DM channel. After a failure the channel is asked for anew
    /// next time, in case it was the channel that went wrong.
    async fn send(
        &mut self,
        http: &serenity::Http,
        user_id: u64,
        message: serenity::CreateMessage,
    ) -> serenity::Result<(DiscordId, DiscordId)> {
        let channel = self.of(http, user_id).await?;
        match channel.send_message(http, message).await {
            Ok(sent) => Ok(ids(channel, sent.id)),
            Err(e) => {
                self.known.remove(&user_id);
                Err(e)
            }
        }
    }
}

/// Delivers a batch of due items; false when nothing was due.
pub async fn deliver_due(
    desk: &Desk,
    http: &serenity::Http,
    dms: &mut DmChannels,
) -> anyhow::Result<bool> {
    let items = desk.db.claim_due_outbox(desk.now(), BATCH).await?;
    if items.is_empty() {
        return Ok(false);
    }
    let mut delivered = Vec::with_capacity(items.len());
    for item in &items {
        let attempt = deliver(desk, http, dms, item).await;
        if let Err(e) = settle(desk, item, attempt, &mut delivered).await {
            tracing::error!(
                id = item.id,
                error = format!("{e:#}"),
                "outbox: cannot record the attempt"
            );
        }
    }
    desk.db.outbox_sent(&delivered, desk.now()).await?;
    Ok(true)
}

/// Records how an attempt ended; a delivery is collected into `delivered` for the batch's record.
async fn settle(
    desk: &Desk,
    item: &OutboxItem,
    attempt: anyhow::Result<Delivery>,
    delivered: &mut Vec<(i64, Option<(DiscordId, DiscordId)>)>,
) -> anyhow::Result<()> {
    match attempt {
        Ok(Delivery::Sent(produced)) => {
            tracing::debug!(id = item.id, ?produced, "outbox: delivered");
            delivered.push((item.id, produced));
        }
        Ok(Delivery::Later(at)) => {
            desk.db
                .outbox_retry(item.id, "held back until the quiet hours end", at)
                .await?;
        }
        Ok(Delivery::NotYet) => {
            desk.db
                .outbox_retry(
                    item.id,
                    "waiting for the survey post",
                    desk.now() + chrono::Duration::seconds(1),
                )
                .await?;
        }
        Err(e) => {
            let text = format!("{e:#}");
            let failure = e.downcast_ref::<serenity::Error>().map_or(
                Failure::Transient {
                    rate_limited: false,
                },
                classify,
            );
            match failure {
                Failure::Transient { rate_limited } => {
                    let wait = backoff(item.attempts, rate_limited);
                    tracing::warn!(id = item.id, attempts = item.attempts + 1, ?wait, error = %text, "outbox: will retry");
                    let next = desk.now() + chrono::Duration::from_std(wait).unwrap_or_default();
                    desk.db.outbox_retry(item.id, &text, next).await?;
                }
                Failure::Permanent => {
                    tracing::error!(id = item.id, kind = intent_kind(&item.intent), error = %text, "outbox: permanent failure, giving up");
                    desk.db.outbox_failed(item.id, &text, desk.now()).await?;
                }
            }
        }
    }
    Ok(())
}

/// The language of a member: the one they last used, else the configured default.
async fn language_of(desk: &Desk, user: DiscordId) -> Lang {
    let default = present::default_lang(&desk.config);
    match service::members::locale_of(desk, user).await {
        Ok(locale) => Lang::or(locale.as_deref(), default),
        Err(e) => {
            tracing::warn!(
                error = format!("{e:#}"),
                "outbox: cannot read a member's language"
            );
            default
        }
    }
}

fn ids(channel: serenity::ChannelId, message: serenity::MessageId) -> (DiscordId, DiscordId) {
    (DiscordId(channel.get()), DiscordId(message.get()))
}

async fn deliver(
    desk: &Desk,
    http: &serenity::Http,
    dms: &mut DmChannels,
    item: &OutboxItem,
) -> anyhow::Result<Delivery> {
    let discord = &desk.config.settings.discord;
    let config = &desk.config;
    // Channel posts speak the agency's language.
    let lang = present::default_lang(config);
    match &item.intent {
        Intent::SurveyPost { round_id } => {
            let Some(view) = post_view(desk, *round_id).await? else {
                return Ok(Delivery::Sent(None));
            };
            if let Some(post) = view.post {
                return Ok(Delivery::Sent(Some(post)));
            }
            let channel = channel_of(discord.surveys_channel_id);
            let message = channel
                .send_message(
                    http,
                    surveys::post(lang, config, &view).create(lang, &item.nonce),
                )
                .await?;
            let (channel, message) = ids(channel, message.id);
            service::delivery::survey_posted(desk, *round_id, channel, message).await?;
            Ok(Delivery::Sent(Some((channel, message))))
        }
        Intent::SurveyReactions { round_id } => {
            let Some(post) = service::delivery::round_post(desk, *round_id).await? else {
                return Ok(Delivery::Sent(None));
            };
            let Some((channel, message)) = post else {
                return Ok(Delivery::NotYet);
            };
            for emoji in [ACCEPT_EMOJI, DECLINE_EMOJI, LATER_EMOJI] {
                // PUT is idempotent: a retry after a partial success is harmless.
                http.create_reaction(
                    channel_of(channel),
                    serenity::MessageId::new(message.0),
                    &serenity::ReactionType::Unicode(emoji.to_string()),
                )
                .await?;
            }
            Ok(Delivery::Sent(Some((channel, message))))
        }
        Intent::RefreshSurveyPost { round_id } => {
            let Some(view) = post_view(desk, *round_id).await? else {
                return Ok(Delivery::Sent(None));
            };
            let Some((channel, message)) = view.post else {
                // The post itself is still queued and will show the current state when it goes out.
                return Ok(Delivery::Sent(None));
            };
            channel_of(channel)
                .edit_message(
                    http,
                    serenity::MessageId::new(message.0),
                    surveys::post(lang, config, &view).edit(lang),
                )
                .await?;
            Ok(Delivery::Sent(Some((channel, message))))
        }
        Intent::EscalationNotice { task_id } => {
            deliver_notice(desk, http, item, *task_id, lang).await
        }
        Intent::EscalationPing { task_id, cause } => {
            let Some(view) = notice_view(desk, *task_id).await? else {
                return Ok(Delivery::Sent(None));
            };
            let Some((channel, message)) = view.post else {
                return Ok(Delivery::NotYet);
            };
            let ping = view.urgency == Urgency::Immediate;
            if ping {
                if let Some(end) = config.quiet_hours_end(desk.now()) {
                    return Ok(Delivery::Later(end));
                }
            }
            let role = ping.then_some(discord.manager_role_id);
            let channel = channel_of(channel);
            let reply = notice::ping(lang, *task_id, *cause, role)
                .create(lang, &item.nonce)
                .reference_message((channel, serenity::MessageId::new(message.0)));
            let sent = channel.send_message(http, reply).await?;
            Ok(Delivery::Sent(Some(ids(channel, sent.id))))
        }
        Intent::Direct { to, message } => {
            let lang = language_of(desk, *to).await;
            let task = service::delivery::task_of(desk, message).await?;
            let context = DirectContext {
                part_of: task.as_ref().and_then(|(_, p)| *p),
                task: task.map(|(t, _)| t),
            };
            let Some(rendered) = direct::render(lang, config, message, &context) else {
                return Ok(Delivery::Sent(None));
            };
            let fallback = message
                .falls_back_to_newbies_channel()
                .then(|| rendered.clone());
            match dms
                .send(http, to.0, rendered.create(lang, &item.nonce))
                .await
            {
                Ok(produced) => Ok(Delivery::Sent(Some(produced))),
                // The VPA does not accept DMs: ask in the newbies channel instead.
                Err(e) if refuses_dms(&e) && fallback.is_some() => {
                    let channel = channel_of(discord.newbies_channel_id);
                    let message = direct::in_channel(*to, fallback.unwrap_or_default());
                    let sent = channel
                        .send_message(http, message.create(lang, &format!("{}n", item.nonce)))
                        .await?;
                    Ok(Delivery::Sent(Some(ids(channel, sent.id))))
                }
                Err(e) => Err(e.into()),
            }
        }
        Intent::PoolWatch(notice) => {
            let channel = channel_of(discord.manager_channel_id);
            let message = present::pool::notice(lang, notice, discord.manager_role_id);
            let sent = channel
                .send_message(http, message.create(lang, &item.nonce))
                .await?;
            Ok(Delivery::Sent(Some(ids(channel, sent.id))))
        }
        Intent::LegacyNudge { user_id, text } => {
            let message = direct::legacy(text, &[]);
            match dms
                .send(http, *user_id, message.clone().create(lang, &item.nonce))
                .await
            {
                Ok(produced) => Ok(Delivery::Sent(Some(produced))),
                Err(e) if refuses_dms(&e) => {
                    let channel = channel_of(discord.newbies_channel_id);
                    let message = direct::in_channel(DiscordId(*user_id), message);
                    let sent = channel
                        .send_message(http, message.create(lang, &format!("{}n", item.nonce)))
                        .await?;
                    Ok(Delivery::Sent(Some(ids(channel, sent.id))))
                }
                Err(e) => Err(e.into()),
            }
        }
        Intent::LegacyDm {
            user_id,
            text,
            buttons,
        } => {
            let message = direct::legacy(text, buttons).create(lang, &item.nonce);
            Ok(Delivery::Sent(Some(
                dms.send(http, *user_id, message).await?,
            )))
        }
        Intent::LegacyChannelMessage {
            channel_id,
            text,
            mention_users,
            mention_roles,
        } => {
            let message = Message {
                content: text.clone(),
                users: mention_users.iter().map(|u| DiscordId(*u)).collect(),
                roles: mention_roles.iter().map(|r| DiscordId(*r)).collect(),
                ..Message::default()
            };
            let channel = serenity::ChannelId::new(*channel_id);
            let sent = channel
                .send_message(http, message.create(lang, &item.nonce))
                .await?;
            Ok(Delivery::Sent(Some(ids(channel, sent.id))))
        }
    }
}

fn channel_of(id: DiscordId) -> serenity::ChannelId {
    serenity::ChannelId::new(id.0)
}

/// Posts the task's notice (pinging the manager role for BO demand, unless in quiet hours:
/// then a ping follows when they end) or edits it to the current state.
async fn deliver_notice(
    desk: &Desk,
    http: &serenity::Http,
    item: &OutboxItem,
    task_id: TaskId,
    lang: Lang,
) -> anyhow::Result<Delivery> {
    let config = &desk.config;
    let discord = &config.settings.discord;
    let Some(view) = notice_view(desk, task_id).await? else {
        return Ok(Delivery::Sent(None));
    };
    if let Some((channel, message)) = view.post {
        channel_of(channel)
            .edit_message(
                http,
                serenity::MessageId::new(message.0),
                notice::notice(lang, config, &view, None).edit(lang),
            )
            .await?;
        return Ok(Delivery::Sent(Some((channel, message))));
    }
    let wants_ping = view.urgency == Urgency::Immediate;
    let quiet_end = config.quiet_hours_end(desk.now());
    let role = (wants_ping && quiet_end.is_none()).then_some(discord.manager_role_id);
    let channel = channel_of(discord.manager_channel_id);
    let message = channel
        .send_message(
            http,
            notice::notice(lang, config, &view, role).create(lang, &item.nonce),
        )
        .await?;
    let (channel, message) = ids(channel, message.id);
    let ping_at = if wants_ping { quiet_end } else { None };
    service::delivery::notice_posted(desk, task_id, channel, message, ping_at).await?;
    Ok(Delivery::Sent(Some((channel, message))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(0, false), Duration::from_secs(1));
        assert_eq!(backoff(3, false), Duration::from_secs(8));
        assert_eq!(backoff(40, false), MAX_BACKOFF);
        assert!(backoff(0, true) >= Duration::from_secs(1));
    }
}
