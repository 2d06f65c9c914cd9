//! Delivers the outbox: posts, edits and DMs, rendered at delivery by `present` (in the
//! recipient's language, from the current state, within Discord's limits). Each is sent with a
//! nonce (`enforce_nonce`) so a retry after a lost response cannot double-post, recorded as soon
//! as Discord answered it, retried with back-off on 5xx, 429 and connection failures up to a
//! limit, and given up (kept as `failed`, the manager channel told, `vpa-desk outbox` to look
//! and requeue) on a permanent error. An item whose post may have gone out without the bot
//! hearing of it — in flight at an earlier stop, or longer ago than Discord's nonce window — is
//! first looked for in its channel.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use tokio::sync::watch;

use crate::db::outbox::{self, Intent, OutboxItem};
use crate::domain::area::Urgency;
use crate::domain::ids::{DiscordId, TaskId};
use crate::domain::outbox::DirectMessage;
use crate::domain::survey::{ACCEPT_EMOJI, DECLINE_EMOJI, LATER_EMOJI};
use crate::present::direct::{self, DirectContext};
use crate::present::{self, Lang, Message, notice, surveys};
use crate::service::escalation::notice_view;
use crate::service::survey::post_view;
use crate::service::{self, Desk, DeskEvent};

/// Longest wait between attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// Poll interval when idle, in case a bell was missed (e.g. an item written by another process).
const IDLE_POLL: Duration = Duration::from_secs(5);
/// Most items taken per turn (one claim statement for all of them).
const BATCH: u32 = 32;
/// How long a delivery under way may still take once the worker is told to stop. A Discord
/// round trip takes a fraction of this; what takes longer is waiting (serenity's ratelimiter
/// sleeping until a bucket resets, up to 5 s for posts in one channel, or a `Retry-After`), and
/// a stop must not wait for that: `docker stop` kills after 10 s.
pub const STOP_GRACE: Duration = Duration::from_secs(1);
/// Transient failures in a row before an item is given up (with the back-off: about 1 h 20 min).
pub const MAX_ATTEMPTS: i64 = 20;
/// How long Discord returns the first message for a repeated nonce ("a few minutes"); an item
/// in flight longer ago than this may have been posted, and is looked for before it is sent.
const NONCE_WINDOW: chrono::Duration = chrono::Duration::minutes(4);

/// Whether an item may be out already, and since when: it was handed to Discord without the
/// bot hearing the answer, and the nonce cannot be trusted to return that message — because
/// it was in flight when an earlier process stopped (`started` is this one's start), or longer
/// ago than the nonce window.
///
/// After a stop the elapsed time is not looked at: Discord's window is "a few minutes" by its
/// own clock, and the bot's may have jumped while it was down (a restored VM, a corrected
/// clock). Items are marked in flight one at a time, just before their post, so a stop leaves at
/// most one such item, and looking for it costs one request.
fn may_be_out(
    item: &OutboxItem,
    started: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    item.in_flight_since
        .filter(|since| *since < started || now - *since > NONCE_WINDOW)
}

/// How a delivery attempt ended.
#[derive(Debug)]
enum Delivery {
    /// Done; what it produced (channel, message).
    Sent(Option<(DiscordId, DiscordId)>),
    /// Not possible yet (e.g. an edit of a post that is not out): nothing was sent.
    NotYet,
    /// Held back until then (a role ping during quiet hours): nothing was sent.
    Later(chrono::DateTime<chrono::Utc>),
    /// Discord refuses DMs to the member for longer than [`DM_REFUSED_TRIES`]: given up, kept
    /// as failed (`vpa-desk outbox --requeue`), the manager not told — the coordinator was.
    DmRefused,
}

/// How long, and how often, a DM Discord refuses is tried again: the member was asked to open
/// their DMs, and then it arrives by itself.
const DM_REFUSED_TRIES: chrono::Duration = chrono::Duration::hours(72);
const DM_REFUSED_AGAIN: chrono::Duration = chrono::Duration::hours(1);

/// A DM Discord refused: tried again in an hour, until it is three days old.
fn dm_refused_delivery(item: &OutboxItem, now: chrono::DateTime<chrono::Utc>) -> Delivery {
    if now - item.created_at < DM_REFUSED_TRIES {
        Delivery::Later(now + DM_REFUSED_AGAIN)
    } else {
        Delivery::DmRefused
    }
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

/// Discord's status and error code for a refused request.
fn refusal_of(error: &anyhow::Error) -> Option<(u16, u32)> {
    match error.downcast_ref::<serenity::Error>()? {
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)) => {
            Some((r.status_code.as_u16(), r.error.code as u32))
        }
        _ => None,
    }
}

/// Discord's "Cannot send messages to this user" (403, code 50007).
fn refuses_dms(error: &anyhow::Error) -> bool {
    match error.downcast_ref::<serenity::Error>() {
        Some(serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response))) => {
            response.status_code.as_u16() == 403 && response.error.code == 50007
        }
        _ => false,
    }
}

/// Back-off after `attempts` failed attempts: 1 s, 2 s, 4 s … up to five minutes; at least 1 s
/// after a 429. serenity's ratelimiter (on with every connection; `discord.api_base` goes
/// through the relay for that) sleeps for Discord's `Retry-After` and retries by itself, so a
/// 429 reaches here only without a usable `Retry-After` header, or on a route serenity keeps no
/// bucket for.
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
    let started = desk.now();
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
        match deliver_due(&desk, &http, &mut dms, &stop, started).await {
            Ok(true) => continue,
            Ok(false) => desk.publish(DeskEvent::OutboxIdle),
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
        message: &Message,
        how: &Attempt<'_>,
    ) -> anyhow::Result<(DiscordId, DiscordId)> {
        let channel = self.of(http, user_id).await?;
        match how.post(http, channel, message).await {
            Ok(sent) => Ok(ids(channel, sent)),
            Err(e) => {
                self.known.remove(&user_id);
                Err(e)
            }
        }
    }
}

/// How one attempt posts: for which item, in which language, with which nonce, shortened after
/// Discord refused the full message, and whether to look for the message first (it may be out
/// already, see [`may_be_out`]).
struct Attempt<'a> {
    desk: &'a Desk,
    item: &'a OutboxItem,
    lang: Lang,
    nonce: &'a str,
    fallback: bool,
    look_since: Option<chrono::DateTime<chrono::Utc>>,
}

impl Attempt<'_> {
    fn shape(&self, message: &Message) -> Message {
        if self.fallback {
            message.fallback()
        } else {
            message.clone()
        }
    }

    /// Posts `message` in `channel` — or, when the item may be out already, finds that message
    /// first (the bot's own, the same text).
    async fn post(
        &self,
        http: &serenity::Http,
        channel: serenity::ChannelId,
        message: &Message,
    ) -> anyhow::Result<serenity::MessageId> {
        self.post_reply(http, channel, message, None).await
    }

    /// Like [`Attempt::post`], as a reply to `reference` when given.
    async fn post_reply(
        &self,
        http: &serenity::Http,
        channel: serenity::ChannelId,
        message: &Message,
        reference: Option<serenity::MessageId>,
    ) -> anyhow::Result<serenity::MessageId> {
        let message = self.shape(message);
        if let Some(since) = self.look_since {
            if let Some(found) = find_posted(http, channel, &message, self.lang, since).await? {
                tracing::info!(id = self.item.id, %channel, message = %found, "outbox: found the post of an item that was in flight");
                return Ok(found);
            }
        }
        // Recorded before the post leaves: if the answer never comes (a lost response, a
        // kill), the item is known to be possibly out.
        if self.item.in_flight_since.is_none() {
            self.desk
                .db
                .outbox_in_flight(self.item.id, self.desk.now())
                .await?;
        }
        let nonce = if self.fallback {
            format!("{}f", self.nonce)
        } else {
            self.nonce.to_string()
        };
        let mut create = message.create(self.lang, &nonce);
        if let Some(reference) = reference {
            create = create.reference_message((channel, reference));
        }
        Ok(channel.send_message(http, create).await?.id)
    }

    /// An edit to the current state: repeating it is harmless.
    fn edit(&self, message: &Message) -> serenity::EditMessage {
        self.shape(message).edit(self.lang)
    }
}

/// The bot's message with this text in `channel`, posted since `since`, if there is one.
async fn find_posted(
    http: &serenity::Http,
    channel: serenity::ChannelId,
    message: &Message,
    lang: Lang,
    since: chrono::DateTime<chrono::Utc>,
) -> serenity::Result<Option<serenity::MessageId>> {
    let content = message.clone().fit(lang).content;
    // Snowflakes carry their time: messages after `since` (a little earlier, for clock skew).
    let millis =
        u64::try_from((since - chrono::Duration::seconds(5)).timestamp_millis()).unwrap_or(0);
    let after = serenity::MessageId::new((millis.saturating_sub(1_420_070_400_000) << 22).max(1));
    let recent = channel
        .messages(http, serenity::GetMessages::new().after(after).limit(100))
        .await?;
    Ok(recent
        .into_iter()
        .find(|m| m.author.bot && m.content == content)
        .map(|m| m.id))
}

/// Delivers the due items one by one, recording each as it settles; false when nothing was
/// due. Stops between items when asked to, giving back what it had not begun; a delivery under
/// way gets [`STOP_GRACE`] to finish (and be recorded), else it is dropped where it stood and
/// given back with the rest — marked in flight if its post had left, so the next start looks
/// for it before sending it again.
pub async fn deliver_due(
    desk: &Desk,
    http: &serenity::Http,
    dms: &mut DmChannels,
    stop: &watch::Receiver<bool>,
    started: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<bool> {
    let items = desk.db.claim_due_outbox(desk.now(), BATCH).await?;
    if items.is_empty() {
        return Ok(false);
    }
    for (i, item) in items.iter().enumerate() {
        if *stop.borrow() {
            let rest: Vec<i64> = items[i..].iter().map(|it| it.id).collect();
            desk.db.outbox_release(&rest).await?;
            return Ok(true);
        }
        let attempt = tokio::select! {
            attempt = attempt(desk, http, dms, item, started) => attempt,
            () = stop_grace_over(stop) => {
                tracing::warn!(
                    id = item.id,
                    kind = item.intent.kind(),
                    "outbox: stopping in the middle of a delivery; it is given back"
                );
                let rest: Vec<i64> = items[i..].iter().map(|it| it.id).collect();
                desk.db.outbox_release(&rest).await?;
                return Ok(true);
            }
        };
        if let Err(e) = settle(desk, item, attempt).await {
            tracing::error!(
                id = item.id,
                error = format!("{e:#}"),
                "outbox: cannot record the attempt"
            );
        }
    }
    Ok(true)
}

/// Delivers one item; when Discord refuses the message itself, a short plain one instead.
async fn attempt(
    desk: &Desk,
    http: &serenity::Http,
    dms: &mut DmChannels,
    item: &OutboxItem,
    started: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Delivery> {
    match deliver(desk, http, dms, item, false, started).await {
        Err(e) if refusal_of(&e).is_some_and(|(status, _)| status == 400) => {
            tracing::warn!(
                id = item.id,
                kind = item.intent.kind(),
                error = format!("{e:#}"),
                "outbox: refused as sent, trying a shorter message"
            );
            match deliver(desk, http, dms, item, true, started).await {
                Ok(done) => Ok(done),
                // The first refusal says what was wrong with the real message.
                Err(_) => Err(e),
            }
        }
        other => other,
    }
}

/// Completes [`STOP_GRACE`] after the worker was told to stop (or its stop switch is gone).
async fn stop_grace_over(stop: &watch::Receiver<bool>) {
    let mut stop = stop.clone();
    let _ = stop.wait_for(|stopping| *stopping).await;
    tokio::time::sleep(STOP_GRACE).await;
}

/// Records how an attempt ended, at once.
async fn settle(
    desk: &Desk,
    item: &OutboxItem,
    attempt: anyhow::Result<Delivery>,
) -> anyhow::Result<()> {
    let now = desk.now();
    match attempt {
        Ok(Delivery::Sent(produced)) => {
            tracing::debug!(id = item.id, ?produced, "outbox: delivered");
            desk.db.outbox_sent(&[(item.id, produced)], now).await?;
        }
        Ok(Delivery::Later(at)) => {
            desk.db
                .outbox_wait(
                    item.id,
                    "held back (quiet hours, or a DM Discord refuses)",
                    at,
                )
                .await?;
        }
        Ok(Delivery::DmRefused) => {
            tracing::warn!(
                id = item.id,
                "outbox: Discord refuses DMs to the member for three days; given up"
            );
            desk.db
                .outbox_failed(
                    item.id,
                    "Discord refuses DMs to this member (403, 50007)",
                    now,
                )
                .await?;
        }
        Ok(Delivery::NotYet) => {
            // It waits for another item (a post, a notice): ever longer, and that item's
            // delivery makes it due at once.
            let waited = (now - item.created_at).to_std().unwrap_or_default();
            let wait = (waited / 2).clamp(Duration::from_secs(1), MAX_BACKOFF);
            let next = now + chrono::Duration::from_std(wait).unwrap_or_default();
            desk.db
                .outbox_wait(item.id, "waiting for the message it belongs to", next)
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
                Failure::Transient { .. } if item.attempts + 1 >= MAX_ATTEMPTS => {
                    tracing::error!(id = item.id, kind = item.intent.kind(), attempts = item.attempts + 1, error = %text, "outbox: giving up after too many attempts");
                    desk.db.outbox_failed(item.id, &text, now).await?;
                    tell_manager(desk, item, None).await?;
                }
                Failure::Transient { rate_limited } => {
                    let wait = backoff(item.attempts, rate_limited);
                    tracing::warn!(id = item.id, kind = item.intent.kind(), attempts = item.attempts + 1, ?wait, error = %text, "outbox: will retry");
                    let next = now + chrono::Duration::from_std(wait).unwrap_or_default();
                    desk.db.outbox_retry(item.id, &text, next).await?;
                }
                Failure::Permanent => {
                    tracing::error!(id = item.id, kind = item.intent.kind(), error = %text, "outbox: permanent failure, giving up");
                    desk.db.outbox_failed(item.id, &text, now).await?;
                    tell_manager(desk, item, refusal_of(&e)).await?;
                }
            }
        }
    }
    Ok(())
}

/// Queues the manager channel's message about an item given up — unless that message is what
/// failed (the channel itself may be the problem: the log has it).
async fn tell_manager(
    desk: &Desk,
    item: &OutboxItem,
    refusal: Option<(u16, u32)>,
) -> anyhow::Result<()> {
    if matches!(item.intent, Intent::DeliveryFailed { .. }) {
        return Ok(());
    }
    let now = desk.now();
    let intent = Intent::DeliveryFailed {
        outbox_id: item.id,
        kind: item.intent.kind().to_string(),
        status: refusal.map(|r| r.0),
        code: refusal.map(|r| r.1),
    };
    let mut tx = desk.db.begin_write().await?;
    outbox::enqueue(&mut tx, outbox::once(intent, now), now).await?;
    tx.commit().await?;
    desk.ring_outbox();
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

fn channel_of(id: DiscordId) -> serenity::ChannelId {
    serenity::ChannelId::new(id.0)
}

async fn deliver(
    desk: &Desk,
    http: &serenity::Http,
    dms: &mut DmChannels,
    item: &OutboxItem,
    fallback: bool,
    started: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Delivery> {
    let discord = &desk.config.settings.discord;
    let config = &desk.config;
    // Channel posts speak the agency's language.
    let lang = present::default_lang(config);
    let how = Attempt {
        desk,
        item,
        look_since: may_be_out(item, started, desk.now()),
        lang,
        nonce: &item.nonce,
        fallback,
    };
    match &item.intent {
        Intent::SurveyPost { round_id } => {
            let Some(view) = post_view(desk, *round_id).await? else {
                return Ok(Delivery::Sent(None));
            };
            if let Some(post) = view.post {
                return Ok(Delivery::Sent(Some(post)));
            }
            let channel = channel_of(discord.surveys_channel_id);
            let message = how
                .post(http, channel, &surveys::post(lang, config, &view))
                .await?;
            let (channel, message) = ids(channel, message);
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
                    how.edit(&surveys::post(lang, config, &view)),
                )
                .await?;
            Ok(Delivery::Sent(Some((channel, message))))
        }
        Intent::EscalationNotice { task_id } => deliver_notice(desk, http, &how, *task_id).await,
        Intent::EscalationPing { task_id, cause } => {
            // Only where the notice is and how urgent the task is: a ping that waits for its
            // notice asks again and again, and must stay cheap.
            let Some(target) = service::delivery::ping_target(desk, *task_id).await? else {
                return Ok(Delivery::Sent(None));
            };
            let Some((channel, message)) = target.notice else {
                return Ok(Delivery::NotYet);
            };
            let ping = target.urgency == Urgency::Immediate;
            if ping {
                if let Some(end) = config.quiet_hours_end(desk.now()) {
                    return Ok(Delivery::Later(end));
                }
            }
            let role = ping.then_some(discord.manager_role_id);
            let channel = channel_of(channel);
            let reply = notice::ping(lang, *task_id, *cause, role);
            let sent = how
                .post_reply(
                    http,
                    channel,
                    &reply,
                    Some(serenity::MessageId::new(message.0)),
                )
                .await?;
            Ok(Delivery::Sent(Some(ids(channel, sent))))
        }
        Intent::Direct { to, message } => {
            let lang = language_of(desk, *to).await;
            let how = Attempt { lang, ..how };
            let task = service::delivery::task_of(desk, message).await?;
            if message.is_nudge() {
                // The bot's own nudges never come in quiet hours.
                if let Some(end) = config.quiet_hours_end(desk.now()) {
                    return Ok(Delivery::Later(end));
                }
            }
            let gaps = match message {
                DirectMessage::ProfileNudge {} => service::newbies::nudge_gaps(desk, *to).await?,
                _ => None,
            };
            let context = DirectContext {
                part_of: task.as_ref().and_then(|(_, p)| *p),
                task: task.map(|(t, _)| t),
                gaps,
            };
            let Some(rendered) = direct::render(lang, config, message, &context) else {
                return Ok(Delivery::Sent(None));
            };
            match dms.send(http, to.0, &rendered, &how).await {
                Ok(produced) => {
                    if let Err(e) = service::members::dm_reached(desk, *to).await {
                        tracing::warn!(
                            error = format!("{e:#}"),
                            "outbox: cannot clear a member's DM mark"
                        );
                    }
                    Ok(Delivery::Sent(Some(produced)))
                }
                Err(e) if refuses_dms(&e) => {
                    let refused = service::members::dm_refused(desk, *to, message).await?;
                    if message.falls_back_to_newbies_channel() {
                        // A nudge carries nothing private: it goes to the newbies channel whole.
                        let channel = channel_of(discord.newbies_channel_id);
                        let nonce = format!("{}n", item.nonce);
                        let how = Attempt {
                            nonce: &nonce,
                            ..how
                        };
                        let sent = how
                            .post(http, channel, &direct::in_channel(*to, rendered))
                            .await?;
                        return Ok(Delivery::Sent(Some(ids(channel, sent))));
                    }
                    let delivery = dm_refused_delivery(item, desk.now());
                    // Given up: asking them to open their DMs would promise a message that
                    // no longer comes.
                    if refused.mention && !matches!(delivery, Delivery::DmRefused) {
                        let channel = channel_of(discord.dm_fallback_channel());
                        // One mention a day at most: the day makes its nonce.
                        let day = desk.now().timestamp().div_euclid(86_400);
                        let nonce = format!("{}u{day:x}", item.nonce);
                        let how = Attempt {
                            nonce: &nonce,
                            look_since: None,
                            ..how
                        };
                        how.post(http, channel, &direct::open_your_dms(lang, *to))
                            .await?;
                    }
                    Ok(delivery)
                }
                Err(e) => Err(e),
            }
        }
        Intent::PoolWatch(watch) => {
            // The alert pings the manager role: in quiet hours it waits for their end, as
            // every role ping does.
            if watch.kind == crate::domain::outbox::PoolNoticeKind::Alert {
                if let Some(end) = config.quiet_hours_end(desk.now()) {
                    return Ok(Delivery::Later(end));
                }
            }
            let channel = channel_of(discord.manager_channel_id);
            let message = present::pool::notice(lang, watch, discord.manager_role_id);
            let sent = how.post(http, channel, &message).await?;
            Ok(Delivery::Sent(Some(ids(channel, sent))))
        }
        Intent::WeeklyDigest { due_on, late } => {
            let view = service::reports::digest(desk, *due_on, *late).await?;
            let channel = channel_of(discord.manager_channel_id);
            let message = present::report::digest(lang, &view);
            let sent = how.post(http, channel, &message).await?;
            Ok(Delivery::Sent(Some(ids(channel, sent))))
        }
        Intent::SetupProblems { problems } => {
            let channel = channel_of(discord.manager_channel_id);
            let message = present::setup::serve_notice(lang, problems);
            let sent = how.post(http, channel, &message).await?;
            Ok(Delivery::Sent(Some(ids(channel, sent))))
        }
        Intent::DeliveryFailed {
            outbox_id,
            kind,
            status,
            code,
        } => {
            let channel = channel_of(discord.manager_channel_id);
            let message = present::outbox::delivery_failed(lang, *outbox_id, kind, *status, *code);
            let sent = how.post(http, channel, &message).await?;
            Ok(Delivery::Sent(Some(ids(channel, sent))))
        }
        Intent::LegacyNudge { user_id, text } => {
            let message = direct::legacy(text, &[]);
            match dms.send(http, *user_id, &message, &how).await {
                Ok(produced) => Ok(Delivery::Sent(Some(produced))),
                Err(e) if refuses_dms(&e) => {
                    let channel = channel_of(discord.newbies_channel_id);
                    let nonce = format!("{}n", item.nonce);
                    let how = Attempt {
                        nonce: &nonce,
                        ..how
                    };
                    let message = direct::in_channel(DiscordId(*user_id), message);
                    let sent = how.post(http, channel, &message).await?;
                    Ok(Delivery::Sent(Some(ids(channel, sent))))
                }
                Err(e) => Err(e),
            }
        }
        Intent::LegacyDm {
            user_id,
            text,
            buttons,
        } => {
            let message = direct::legacy(text, buttons);
            Ok(Delivery::Sent(Some(
                dms.send(http, *user_id, &message, &how).await?,
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
            let sent = how.post(http, channel, &message).await?;
            Ok(Delivery::Sent(Some(ids(channel, sent))))
        }
    }
}

/// Posts the task's notice (pinging the manager role for BO demand, unless in quiet hours:
/// then a ping follows when they end) or edits it to the current state.
async fn deliver_notice(
    desk: &Desk,
    http: &serenity::Http,
    how: &Attempt<'_>,
    task_id: TaskId,
) -> anyhow::Result<Delivery> {
    let config = &desk.config;
    let discord = &config.settings.discord;
    let lang = how.lang;
    let Some(view) = notice_view(desk, task_id).await? else {
        return Ok(Delivery::Sent(None));
    };
    if let Some((channel, message)) = view.post {
        channel_of(channel)
            .edit_message(
                http,
                serenity::MessageId::new(message.0),
                how.edit(&notice::notice(lang, config, &view, None)),
            )
            .await?;
        return Ok(Delivery::Sent(Some((channel, message))));
    }
    let wants_ping = view.urgency == Urgency::Immediate;
    let quiet_end = config.quiet_hours_end(desk.now());
    let role = (wants_ping && quiet_end.is_none()).then_some(discord.manager_role_id);
    let channel = channel_of(discord.manager_channel_id);
    let message = how
        .post(http, channel, &notice::notice(lang, config, &view, role))
        .await?;
    let (channel, message) = ids(channel, message);
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
