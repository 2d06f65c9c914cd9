//! Delivers the outbox: posts, edits and DMs, each retried with back-off on 5xx, 429 and
//! connection failures, sent with a nonce (`enforce_nonce`) so a retry after a lost response
//! cannot double-post, and given up (logged, kept as `failed`) on a permanent error.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use tokio::sync::watch;

use crate::bot::render::{mentions_only, notice_embed, playbook_buttons, survey_post};
use crate::db::escalations::set_message as set_notice_message;
use crate::db::outbox::{Intent, OutboxItem, enqueue};
use crate::db::surveys::set_round_message;
use crate::domain::area::Urgency;
use crate::domain::ids::DiscordId;
use crate::domain::survey::{ACCEPT_EMOJI, DECLINE_EMOJI, LATER_EMOJI};
use crate::messages;
use crate::service::Desk;
use crate::service::escalation::notice_view;
use crate::service::survey::post_view;

/// Longest wait between attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// Poll interval when idle, in case a bell was missed (e.g. an item written by another process).
const IDLE_POLL: Duration = Duration::from_secs(5);
/// Most items taken per turn: one claim and one delivery record (one statement each) per batch,
/// so a burst of DMs does not make answers queue behind two bookkeeping writes per message.
const BATCH: u32 = 32;

/// How a delivery attempt ended.
#[derive(Debug)]
enum Delivery {
    /// Done; what it produced (channel, message).
    Sent(Option<(i64, i64)>),
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
            Ok(false) => {}
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
    ) -> serenity::Result<(i64, i64)> {
        let channel = self.of(http, user_id).await?;
        match channel.send_message(http, message).await {
            Ok(sent) => Ok((channel.get() as i64, sent.id.get() as i64)),
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
    delivered: &mut Vec<(i64, Option<(i64, i64)>)>,
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
                    tracing::error!(id = item.id, intent = ?item.intent, error = %text, "outbox: permanent failure, giving up");
                    desk.db.outbox_failed(item.id, &text, desk.now()).await?;
                }
            }
        }
    }
    Ok(())
}

async fn deliver(
    desk: &Desk,
    http: &serenity::Http,
    dms: &mut DmChannels,
    item: &OutboxItem,
) -> anyhow::Result<Delivery> {
    let discord = &desk.config.settings.discord;
    match &item.intent {
        Intent::SurveyPost { round_id } => {
            let Some(view) = post_view(desk, *round_id).await? else {
                return Ok(Delivery::Sent(None));
            };
            if let (Some(channel), Some(message)) = (view.channel_id, view.message_id) {
                return Ok(Delivery::Sent(Some((channel, message))));
            }
            let post = survey_post(&view);
            let channel = serenity::ChannelId::new(discord.surveys_channel_id);
            let message = channel
                .send_message(
                    http,
                    serenity::CreateMessage::new()
                        .content(post.content)
                        .embed(post.embed)
                        .components(post.components)
                        .allowed_mentions(mentions_only(&post.mentions, &[]))
                        .nonce(serenity::Nonce::String(item.nonce.clone()))
                        .enforce_nonce(true),
                )
                .await?;
            let produced = (channel.get() as i64, message.id.get() as i64);
            // Record the post and queue its reactions together, so neither is lost.
            let now = desk.now();
            let mut tx = desk.db.begin_write().await?;
            set_round_message(
                &mut tx,
                *round_id,
                DiscordId(channel.get()),
                DiscordId(message.id.get()),
            )
            .await?;
            enqueue(
                &mut tx,
                &Intent::SurveyReactions {
                    round_id: *round_id,
                },
                None,
                now,
                now,
            )
            .await?;
            tx.commit().await?;
            desk.ring_outbox();
            Ok(Delivery::Sent(Some(produced)))
        }
        Intent::SurveyReactions { round_id } => {
            let Some(round) = desk.db.get_round(*round_id).await? else {
                return Ok(Delivery::Sent(None));
            };
            let (Some(channel), Some(message)) = (round.channel_id, round.message_id) else {
                return Ok(Delivery::NotYet);
            };
            for emoji in [ACCEPT_EMOJI, DECLINE_EMOJI, LATER_EMOJI] {
                // PUT is idempotent: a retry after a partial success is harmless.
                http.create_reaction(
                    serenity::ChannelId::new(channel as u64),
                    serenity::MessageId::new(message as u64),
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
            let (Some(channel), Some(message)) = (view.channel_id, view.message_id) else {
                // The post itself is still queued and will show the current state when it goes out.
                return Ok(Delivery::Sent(None));
            };
            let post = survey_post(&view);
            serenity::ChannelId::new(channel as u64)
                .edit_message(
                    http,
                    serenity::MessageId::new(message as u64),
                    serenity::EditMessage::new()
                        .content(post.content)
                        .embed(post.embed)
                        .components(post.components)
                        .allowed_mentions(mentions_only(&post.mentions, &[])),
                )
                .await?;
            Ok(Delivery::Sent(Some((channel, message))))
        }
        Intent::EscalationNotice { task_id } => deliver_notice(desk, http, item, *task_id).await,
        Intent::Nudge { user_id, text } => {
            let message = serenity::CreateMessage::new()
                .content(text)
                .allowed_mentions(mentions_only(&[], &[]))
                .nonce(serenity::Nonce::String(item.nonce.clone()))
                .enforce_nonce(true);
            match dms.send(http, *user_id, message).await {
                Ok(produced) => Ok(Delivery::Sent(Some(produced))),
                // The VPA does not accept DMs: ask in the newbies channel instead.
                Err(e) if refuses_dms(&e) => {
                    let channel = serenity::ChannelId::new(discord.newbies_channel_id);
                    let sent = channel
                        .send_message(
                            http,
                            serenity::CreateMessage::new()
                                .content(messages::newbie_nudge_in_channel(*user_id, text))
                                .allowed_mentions(mentions_only(&[DiscordId(*user_id)], &[]))
                                .nonce(serenity::Nonce::String(format!("{}n", item.nonce)))
                                .enforce_nonce(true),
                        )
                        .await?;
                    Ok(Delivery::Sent(Some((
                        channel.get() as i64,
                        sent.id.get() as i64,
                    ))))
                }
                Err(e) => Err(e.into()),
            }
        }
        Intent::EscalationPing { task_id, cause } => {
            let Some(view) = notice_view(desk, *task_id).await? else {
                return Ok(Delivery::Sent(None));
            };
            let (Some(channel), Some(message)) = (view.channel_id, view.message_id) else {
                return Ok(Delivery::NotYet);
            };
            let ping = view.urgency == Urgency::Immediate;
            if ping {
                if let Some(end) = desk.config.quiet_hours_end(desk.now()) {
                    return Ok(Delivery::Later(end));
                }
            }
            let role = ping.then_some(discord.manager_role_id);
            let channel = serenity::ChannelId::new(channel as u64);
            let sent = channel
                .send_message(
                    http,
                    serenity::CreateMessage::new()
                        .content(messages::escalation_ping(*task_id, cause, role))
                        .reference_message((channel, serenity::MessageId::new(message as u64)))
                        .allowed_mentions(mentions_only(&[], role.as_slice()))
                        .nonce(serenity::Nonce::String(item.nonce.clone()))
                        .enforce_nonce(true),
                )
                .await?;
            Ok(Delivery::Sent(Some((
                channel.get() as i64,
                sent.id.get() as i64,
            ))))
        }
        Intent::Dm {
            user_id,
            text,
            buttons,
        } => {
            let mut message = serenity::CreateMessage::new()
                .content(text)
                .allowed_mentions(mentions_only(&[], &[]))
                .nonce(serenity::Nonce::String(item.nonce.clone()))
                .enforce_nonce(true);
            if !buttons.is_empty() {
                message = message.components(vec![serenity::CreateActionRow::Buttons(
                    buttons
                        .iter()
                        .map(|b| {
                            serenity::CreateButton::new(&b.custom_id)
                                .label(&b.label)
                                .style(serenity::ButtonStyle::Primary)
                        })
                        .collect(),
                )]);
            }
            Ok(Delivery::Sent(Some(
                dms.send(http, *user_id, message).await?,
            )))
        }
        Intent::ChannelMessage {
            channel_id,
            text,
            mention_users,
            mention_roles,
        } => {
            let users: Vec<DiscordId> = mention_users.iter().map(|u| DiscordId(*u)).collect();
            let channel = serenity::ChannelId::new(*channel_id);
            let sent = channel
                .send_message(
                    http,
                    serenity::CreateMessage::new()
                        .content(text)
                        .allowed_mentions(mentions_only(&users, mention_roles))
                        .nonce(serenity::Nonce::String(item.nonce.clone()))
                        .enforce_nonce(true),
                )
                .await?;
            Ok(Delivery::Sent(Some((
                *channel_id as i64,
                sent.id.get() as i64,
            ))))
        }
    }
}

/// Posts the task's notice (pinging the manager role for BO demand, unless in quiet hours:
/// then a ping follows when they end) or edits it to the current state.
async fn deliver_notice(
    desk: &Desk,
    http: &serenity::Http,
    item: &OutboxItem,
    task_id: i64,
) -> anyhow::Result<Delivery> {
    let discord = &desk.config.settings.discord;
    let Some(view) = notice_view(desk, task_id).await? else {
        return Ok(Delivery::Sent(None));
    };
    if let (Some(channel), Some(message)) = (view.channel_id, view.message_id) {
        serenity::ChannelId::new(channel as u64)
            .edit_message(
                http,
                serenity::MessageId::new(message as u64),
                serenity::EditMessage::new()
                    .content(messages::escalation_notice(&view, None))
                    .embed(notice_embed(desk, &view))
                    .components(playbook_buttons(desk, &view))
                    .allowed_mentions(mentions_only(&[], &[])),
            )
            .await?;
        return Ok(Delivery::Sent(Some((channel, message))));
    }
    let now = desk.now();
    let wants_ping = view.urgency == Urgency::Immediate;
    let quiet_end = desk.config.quiet_hours_end(now);
    let role = (wants_ping && quiet_end.is_none()).then_some(discord.manager_role_id);
    let channel = serenity::ChannelId::new(discord.manager_channel_id);
    let message = channel
        .send_message(
            http,
            serenity::CreateMessage::new()
                .content(messages::escalation_notice(&view, role))
                .embed(notice_embed(desk, &view))
                .components(playbook_buttons(desk, &view))
                .allowed_mentions(mentions_only(&[], role.as_slice()))
                .nonce(serenity::Nonce::String(item.nonce.clone()))
                .enforce_nonce(true),
        )
        .await?;
    let mut tx = desk.db.begin_write().await?;
    set_notice_message(
        &mut tx,
        task_id,
        DiscordId(channel.get()),
        DiscordId(message.id.get()),
    )
    .await?;
    if let (true, Some(end)) = (wants_ping, quiet_end) {
        let ping = Intent::EscalationPing {
            task_id,
            cause: "quiet-hours".into(),
        };
        enqueue(&mut tx, &ping, None, end, now).await?;
    }
    tx.commit().await?;
    Ok(Delivery::Sent(Some((
        channel.get() as i64,
        message.id.get() as i64,
    ))))
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
