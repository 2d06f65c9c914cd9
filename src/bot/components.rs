//! Buttons, selects and modals of survey posts and DMs, routed by custom id (see
//! [`SurveyAction`]), so they work on posts made before a restart.

use poise::serenity_prelude as serenity;

use super::Error;
use super::errors::{log_reply_failure, private_reply};
use super::render::{self, SurveyAction};
use super::roles::Roles;
use crate::domain::dates::parse_date;
use crate::domain::ids::DiscordId;
use crate::domain::survey::{Answer, DeclineReason, Via};
use crate::messages;
use crate::service::answers::{self, AnswerOutcome};
use crate::service::{self, Desk};

/// Whether the user may answer: in the server they need the VPA role; in a DM (no member) the
/// DM itself was sent to them because they answered, so a profile or an invitation suffices.
async fn may_answer(
    desk: &Desk,
    member: Option<&serenity::Member>,
    user: DiscordId,
    round_id: i64,
) -> Result<bool, Error> {
    match member {
        Some(member) => Ok(Roles::of(&member.roles, &desk.config.settings.discord).vpa),
        None => Ok(desk.db.get_vpa(&desk.config.catalog, user).await?.is_some()
            || desk.db.invitees(round_id).await?.contains(&user)),
    }
}

/// A survey answer's who and what, read from a button's or modal's interaction.
struct Answering {
    action: SurveyAction,
    round_id: i64,
    user: DiscordId,
    name: String,
}

/// Reads who answers what; or the private refusal to send (an unknown button, not a VPA).
async fn answering(
    desk: &Desk,
    custom_id: &str,
    user: &serenity::User,
    member: Option<&serenity::Member>,
) -> Result<Result<Answering, &'static str>, Error> {
    let Some((action, round_id)) = SurveyAction::parse(custom_id) else {
        return Ok(Err(messages::UNKNOWN_BUTTON));
    };
    let id = DiscordId(user.id.get());
    if !may_answer(desk, member, id, round_id).await? {
        return Ok(Err(messages::ONLY_VPAS));
    }
    Ok(Ok(Answering {
        action,
        round_id,
        user: id,
        name: member
            .and_then(|m| m.nick.clone())
            .unwrap_or_else(|| user.name.clone()),
    }))
}

/// The private text for an answer outcome.
fn outcome_text(outcome: &AnswerOutcome, answer: &Answer) -> String {
    match outcome {
        AnswerOutcome::Recorded {
            task_id,
            changed: true,
            surveyed,
        } => messages::answer_confirmed(answer, *task_id, *surveyed),
        AnswerOutcome::Recorded {
            task_id,
            changed: false,
            ..
        } => messages::answer_unchanged(*task_id),
        AnswerOutcome::TaskClosed { task_id, status } => {
            messages::task_closed_for_answers(*task_id, *status)
        }
        AnswerOutcome::UnknownRound | AnswerOutcome::Withdrawn { .. } | AnswerOutcome::Ignored => {
            messages::UNKNOWN_SURVEY.into()
        }
    }
}

/// A button or select was used.
pub async fn on_component(
    ctx: &serenity::Context,
    desk: &Desk,
    c: &serenity::ComponentInteraction,
) -> Result<(), Error> {
    if !answers::first_time(desk, &format!("interaction:{}", c.id)).await? {
        tracing::debug!(interaction = %c.id, "duplicate interaction ignored");
        return Ok(());
    }
    if let Some(task_id) = render::parse_assign_custom_id(&c.data.custom_id) {
        return on_assign_select(ctx, desk, c, task_id).await;
    }
    if let Some((action, task_id)) = render::PlaybookAction::parse(&c.data.custom_id) {
        return on_playbook(ctx, desk, c, action, task_id).await;
    }
    let Answering {
        action,
        round_id,
        user,
        name,
    } = match answering(desk, &c.data.custom_id, &c.user, c.member.as_ref()).await? {
        Ok(answering) => answering,
        Err(refusal) => {
            log_reply_failure(c.create_response(&ctx.http, private_reply(refusal)).await);
            return Ok(());
        }
    };
    let response = match action {
        SurveyAction::Accept => {
            let outcome =
                answers::record_answer(desk, round_id, user, &name, Answer::Accept, Via::Button)
                    .await?;
            private_reply(outcome_text(&outcome, &Answer::Accept))
        }
        SurveyAction::Decline => match desk.db.get_round(round_id).await? {
            None => private_reply(messages::UNKNOWN_SURVEY),
            Some(_) => serenity::CreateInteractionResponse::Message(
                serenity::CreateInteractionResponseMessage::new()
                    .content(messages::CHOOSE_REASON)
                    .ephemeral(true)
                    .components(vec![render::reason_select(round_id)])
                    .allowed_mentions(render::mentions_only(&[], &[])),
            ),
        },
        SurveyAction::Reason => {
            let reason = match &c.data.kind {
                serenity::ComponentInteractionDataKind::StringSelect { values } => {
                    values.first().and_then(|v| v.parse::<DeclineReason>().ok())
                }
                _ => None,
            };
            let Some(reason) = reason.filter(|r| DeclineReason::CHOOSABLE.contains(r)) else {
                log_reply_failure(
                    c.create_response(&ctx.http, private_reply(messages::UNKNOWN_BUTTON))
                        .await,
                );
                return Ok(());
            };
            let answer = Answer::Decline { reason, note: None };
            let outcome =
                answers::record_answer(desk, round_id, user, &name, answer.clone(), Via::Button)
                    .await?;
            let mut message = serenity::CreateInteractionResponseMessage::new()
                .content(outcome_text(&outcome, &answer))
                .allowed_mentions(render::mentions_only(&[], &[]));
            message = if matches!(outcome, AnswerOutcome::Recorded { .. }) {
                message.components(vec![render::add_note_button(round_id)])
            } else {
                message.components(Vec::new())
            };
            // Replace the select in the private message with the confirmation.
            serenity::CreateInteractionResponse::UpdateMessage(message)
        }
        SurveyAction::AddNote => {
            serenity::CreateInteractionResponse::Modal(render::note_modal(round_id))
        }
        SurveyAction::Later => {
            serenity::CreateInteractionResponse::Modal(render::later_modal(round_id))
        }
        SurveyAction::NoteModal | SurveyAction::LaterModal => {
            private_reply(messages::UNKNOWN_BUTTON)
        }
    };
    log_reply_failure(c.create_response(&ctx.http, response).await);
    Ok(())
}

/// The text a modal's input with this custom id holds.
fn modal_value(m: &serenity::ModalInteraction, input: &str) -> Option<String> {
    m.data
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|c| match c {
            serenity::ActionRowComponent::InputText(t) if t.custom_id == input => {
                Some(t.value.clone().unwrap_or_default())
            }
            _ => None,
        })
}

/// A modal was submitted.
pub async fn on_modal(
    ctx: &serenity::Context,
    desk: &Desk,
    m: &serenity::ModalInteraction,
) -> Result<(), Error> {
    if !answers::first_time(desk, &format!("interaction:{}", m.id)).await? {
        return Ok(());
    }
    let Answering {
        action,
        round_id,
        user,
        name,
    } = match answering(desk, &m.data.custom_id, &m.user, m.member.as_ref()).await? {
        Ok(answering) => answering,
        Err(refusal) => {
            log_reply_failure(m.create_response(&ctx.http, private_reply(refusal)).await);
            return Ok(());
        }
    };
    let text = match action {
        SurveyAction::NoteModal => {
            let note = modal_value(m, "note").unwrap_or_default();
            let outcome =
                answers::add_decline_note(desk, round_id, user, &name, note.clone()).await?;
            let shown = desk
                .db
                .answers(round_id)
                .await?
                .into_iter()
                .find(|a| a.vpa == user)
                .map(|a| a.answer);
            outcome_text(
                &outcome,
                &shown.unwrap_or(Answer::Decline {
                    reason: DeclineReason::Other,
                    note: Some(note),
                }),
            )
        }
        SurveyAction::LaterModal => {
            let input = modal_value(m, "from").unwrap_or_default();
            let today = desk.today();
            match parse_date(&input) {
                None => messages::later_date_invalid(input.trim()),
                Some(day) if day < today => messages::later_date_past(day, today),
                Some(day) => {
                    let answer = Answer::Later { from: Some(day) };
                    let outcome = answers::record_answer(
                        desk,
                        round_id,
                        user,
                        &name,
                        answer.clone(),
                        Via::Button,
                    )
                    .await?;
                    outcome_text(&outcome, &answer)
                }
            }
        }
        _ => messages::UNKNOWN_BUTTON.into(),
    };
    log_reply_failure(m.create_response(&ctx.http, private_reply(text)).await);
    Ok(())
}

/// The coordinator picked a VPA in `/survey status`: assign. Components carry no poise check,
/// so the role is checked here.
async fn on_assign_select(
    ctx: &serenity::Context,
    desk: &Desk,
    c: &serenity::ComponentInteraction,
    task_id: i64,
) -> Result<(), Error> {
    let roles = c
        .member
        .as_ref()
        .map(|m| Roles::of(&m.roles, &desk.config.settings.discord))
        .unwrap_or_default();
    if !roles.can_coordinate() {
        log_reply_failure(
            c.create_response(&ctx.http, private_reply(messages::ONLY_COORDINATORS))
                .await,
        );
        return Ok(());
    }
    let vpa = match &c.data.kind {
        serenity::ComponentInteractionDataKind::StringSelect { values } => {
            values.first().and_then(|v| DiscordId::parse(v))
        }
        _ => None,
    };
    let Some(vpa) = vpa else {
        log_reply_failure(
            c.create_response(&ctx.http, private_reply(messages::UNKNOWN_BUTTON))
                .await,
        );
        return Ok(());
    };
    let text = match service::tasks::assign(desk, task_id, vpa, DiscordId(c.user.id.get())).await? {
        Ok(assigned) => messages::assigned(&assigned),
        Err(refusal) => messages::task_refusal(&refusal),
    };
    log_reply_failure(c.create_response(&ctx.http, private_reply(text)).await);
    Ok(())
}

/// A playbook button in the manager's notice. Only coordinators and the manager may act.
async fn on_playbook(
    ctx: &serenity::Context,
    desk: &Desk,
    c: &serenity::ComponentInteraction,
    action: render::PlaybookAction,
    task_id: i64,
) -> Result<(), Error> {
    let roles = c
        .member
        .as_ref()
        .map(|m| Roles::of(&m.roles, &desk.config.settings.discord))
        .unwrap_or_default();
    if !roles.can_coordinate() {
        log_reply_failure(
            c.create_response(&ctx.http, private_reply(messages::ONLY_COORDINATORS))
                .await,
        );
        return Ok(());
    }
    // The actions post and DM; acknowledge first so Discord's 3 s never run out.
    let defer = serenity::CreateInteractionResponse::Defer(
        serenity::CreateInteractionResponseMessage::new().ephemeral(true),
    );
    log_reply_failure(c.create_response(&ctx.http, defer).await);
    let by = DiscordId(c.user.id.get());
    let result = match action {
        render::PlaybookAction::Extend => {
            service::playbook::extend_round(desk, task_id, by).await?
        }
        render::PlaybookAction::Reask => service::playbook::reask_decliners(desk, task_id).await?,
        render::PlaybookAction::Related(key) => match desk.config.catalog.by_key(&key) {
            Some(competence) => {
                service::playbook::related_round(desk, task_id, competence.id, by).await?
            }
            None => Err(messages::UNKNOWN_BUTTON.to_string()),
        },
        render::PlaybookAction::Nudge => service::playbook::nudge_newbies(desk, task_id).await?,
        render::PlaybookAction::Split => service::playbook::split_task(desk, task_id, by).await?,
    };
    let text = match result {
        Ok(text) | Err(text) => text,
    };
    let edit = serenity::EditInteractionResponse::new()
        .content(text)
        .allowed_mentions(render::mentions_only(&[], &[]));
    if let Err(e) = c.edit_response(&ctx.http, edit).await {
        tracing::warn!(error = %e, "could not answer a playbook button");
    }
    Ok(())
}
