//! Direct messages and the other queued messages, rendered by the outbox worker at delivery
//! from their typed views (see `domain::outbox`).

use super::catalog::{Lang, t};
use super::custom_id::{CustomId, SurveyAction};
use super::discord::{Button, Message, Row, Style, user_mention};
use super::format;
use crate::config::Config;
use crate::domain::ids::DiscordId;
use crate::domain::outbox::{DirectMessage, LegacyButton};
use crate::domain::task::{PartOf, Task};

/// What a direct message needs from the stored state (the task it is about), read at delivery.
#[derive(Debug, Clone, Default)]
pub struct DirectContext {
    pub task: Option<Task>,
    pub part_of: Option<PartOf>,
    /// What the recipient's profile lacks (the weekly nudge; none without a profile).
    pub gaps: Option<Vec<crate::domain::newbie::ProfileGap>>,
}

fn button(custom_id: String, label: String) -> Row {
    Row::Buttons(vec![Button {
        custom_id,
        label,
        style: Style::Primary,
    }])
}

/// Renders a direct message; none when the task it is about is gone.
pub fn render(
    lang: Lang,
    config: &Config,
    message: &DirectMessage,
    ctx: &DirectContext,
) -> Option<Message> {
    let text = |content: String| Some(Message::text(content));
    match message {
        DirectMessage::AcceptedForCoordinator {
            task_id,
            vpa,
            name,
            surveyed,
        } => {
            let name = super::discord::cut(name, 100);
            text(if *surveyed {
                t!(
                    lang,
                    "dm-accepted-for-coordinator",
                    vpa = *vpa,
                    name = name,
                    task = *task_id
                )
            } else {
                t!(
                    lang,
                    "dm-accepted-for-coordinator-unsurveyed",
                    vpa = *vpa,
                    name = name,
                    task = *task_id
                )
            })
        }
        DirectMessage::AskDeclineReason { task_id, round_id } => Some(Message {
            content: t!(lang, "dm-ask-decline-reason", task = *task_id),
            components: vec![button(
                CustomId::survey(SurveyAction::Decline, *round_id).encode(),
                t!(lang, "button-give-reason"),
            )],
            ..Message::default()
        }),
        DirectMessage::AskLaterDate { task_id, round_id } => Some(Message {
            content: t!(lang, "dm-ask-later-date", task = *task_id),
            components: vec![button(
                CustomId::survey(SurveyAction::Later, *round_id).encode(),
                t!(lang, "button-give-date"),
            )],
            ..Message::default()
        }),
        DirectMessage::Assigned { .. } => {
            let task = ctx.task.as_ref()?;
            text(super::tasks::assigned_dm(lang, config, task, ctx.part_of))
        }
        DirectMessage::Unassigned { task_id } => text(t!(lang, "dm-unassigned", task = *task_id)),
        DirectMessage::AcceptedButUnassigned { task_id, accepted } => text(t!(
            lang,
            "dm-accepted-but-unassigned",
            task = *task_id,
            accepted = *accepted
        )),
        DirectMessage::ReaskDecliner { round_id, .. } => {
            let task = ctx.task.as_ref()?;
            Some(Message {
                content: t!(
                    lang,
                    "dm-reask-decliner",
                    task = task.id,
                    area = format::area(lang, task.area),
                    competence = format::competence(lang, &config.catalog, task.competence),
                    deadline = format::date(lang, task.deadline)
                ),
                components: round_id
                    .map(|r| {
                        button(
                            CustomId::survey(SurveyAction::Accept, r).encode(),
                            t!(lang, "button-accept"),
                        )
                    })
                    .into_iter()
                    .collect(),
                ..Message::default()
            })
        }
        DirectMessage::NewbieNudge { area } => Some(Message {
            content: t!(lang, "dm-newbie-nudge", area = format::area(lang, *area)),
            components: vec![super::picker::open_button(lang)],
            ..Message::default()
        }),
        DirectMessage::ProfileNudge {} => {
            // Completed meanwhile (or gone): nothing to nudge about.
            let gaps = ctx.gaps.as_ref().filter(|g| !g.is_empty())?;
            Some(Message {
                content: t!(
                    lang,
                    "dm-profile-nudge",
                    gaps = super::picker::gaps(lang, gaps)
                ),
                components: vec![super::picker::open_button(lang)],
                ..Message::default()
            })
        }
        DirectMessage::HandOnOffer {
            offer,
            closes_at,
            cover,
            ..
        } => {
            let task = ctx.task.as_ref()?;
            Some(super::dropout::offer(
                lang, config, task, *offer, *closes_at, *cover,
            ))
        }
        DirectMessage::HandedOnForCoordinator { vpa, cause, tasks } => {
            text(super::dropout::for_coordinator(lang, *vpa, *cause, tasks))
        }
        DirectMessage::HandedOnForVpa { cause, tasks } => {
            text(super::dropout::for_vpa(lang, *cause, tasks))
        }
        DirectMessage::TakenOverForCoordinator {
            task_id,
            vpa,
            holder,
        } => text(t!(
            lang,
            "dm-taken-over-for-coordinator",
            task = *task_id,
            vpa = *vpa,
            holder = *holder
        )),
        DirectMessage::CoverBack { task_id } => text(t!(lang, "dm-cover-back", task = *task_id)),
        DirectMessage::DmRefused { task_id, member } => text(t!(
            lang,
            "dm-refused-for-coordinator",
            task = *task_id,
            member = *member
        )),
        DirectMessage::AnswerOutdated { task_id, reasons } => text(t!(
            lang,
            "dm-answer-outdated",
            task = *task_id,
            reasons = super::edits::mismatches(lang, config, ctx.task.as_ref(), reasons)
        )),
        DirectMessage::HeldTaskChanged {
            task_id,
            change,
            unfit,
        } => {
            let mut out = t!(
                lang,
                "dm-held-task-changed",
                task = *task_id,
                changes = super::tasks::detail(lang, &config.catalog, change)
            );
            if !unfit.is_empty() {
                out.push('\n');
                out.push_str(&t!(
                    lang,
                    "dm-held-task-unfit",
                    reasons = super::edits::mismatches(lang, config, ctx.task.as_ref(), unfit)
                ));
            }
            text(out)
        }
    }
}

/// The same message as a mention in a channel, for a VPA who refuses DMs (only messages without
/// private data fall back this way).
pub fn in_channel(user: DiscordId, message: Message) -> Message {
    Message {
        content: format!("{} {}", user_mention(user), message.content),
        users: vec![user],
        ..message
    }
}

/// The mention in the fallback channel for a member Discord refuses DMs to: that a message
/// waits and how to open DMs — nothing of what the message says.
pub fn open_your_dms(lang: Lang, member: DiscordId) -> Message {
    Message {
        content: t!(lang, "dm-refused-mention", member = member),
        users: vec![member],
        ..Message::default()
    }
}

/// A DM queued with its finished text (before typed views), as it was written.
pub fn legacy(text: &str, buttons: &[LegacyButton]) -> Message {
    let components = if buttons.is_empty() {
        Vec::new()
    } else {
        vec![Row::Buttons(
            buttons
                .iter()
                .map(|b| Button {
                    custom_id: b.custom_id.clone(),
                    label: b.label.clone(),
                    style: Style::Primary,
                })
                .collect(),
        )]
    };
    Message {
        content: text.to_string(),
        components,
        ..Message::default()
    }
}
