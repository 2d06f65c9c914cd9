//! Buttons, selects and forms of survey posts, DMs, `/survey status` and the manager's notice,
//! routed by custom id (`present::custom_id`), so they work on posts made before a restart.

use poise::serenity_prelude as serenity;

use super::Error;
use super::reply::Responder;
use super::roles::Roles;
use crate::domain::dates::parse_date;
use crate::domain::ids::{DiscordId, RoundId, TaskId};
use crate::domain::survey::{Answer, AnswerVia, DeclineReason};
use crate::domain::vpa::ChangeSource;
use crate::present::catalog::t;
use crate::present::custom_id::{
    CustomId, DropOutConfirm, FROM_INPUT, NOTE_INPUT, PickerId, PlaybookButton, SurveyAction,
};
use crate::present::surveys::MAX_NOTE_CHARS;
use crate::present::{Message, notice, surveys};
use crate::service::answers::{self, AnswerOutcome, Answerer};
use crate::service::dropout::OfferAnswered;
use crate::service::playbook::PlaybookAction;
use crate::service::profiles::{self, Actor, ProfileChange};
use crate::service::{self, Act, Desk, HandledOutcome, Refusal, refuse};

/// A button or select was used.
pub async fn on_component(
    ctx: &serenity::Context,
    desk: &Desk,
    c: &serenity::ComponentInteraction,
) -> Result<(), Error> {
    remember_locale(desk, &c.user, &c.locale);
    let responder = Responder::component(&ctx.http, desk, c);
    let outcome = responder
        .in_time(async {
            match component(desk, &responder, c).await {
                Ok(outcome) => outcome,
                Err(e) => responder.fail(desk, &e, &c.data.custom_id).await,
            }
        })
        .await;
    super::handled(desk, c.id.get(), outcome);
    Ok(())
}

/// A form was submitted.
pub async fn on_modal(
    ctx: &serenity::Context,
    desk: &Desk,
    m: &serenity::ModalInteraction,
) -> Result<(), Error> {
    remember_locale(desk, &m.user, &m.locale);
    let responder = Responder::modal(&ctx.http, desk, m);
    let outcome = responder
        .in_time(async {
            match modal(desk, &responder, m).await {
                Ok(outcome) => outcome,
                Err(e) => responder.fail(desk, &e, &m.data.custom_id).await,
            }
        })
        .await;
    super::handled(desk, m.id.get(), outcome);
    Ok(())
}

/// Remembers the member's language in the background (the reply must not wait for it).
pub(crate) fn remember_locale(desk: &Desk, user: &serenity::User, locale: &str) {
    let (desk, user, locale) = (desk.clone(), DiscordId(user.id.get()), locale.to_string());
    tokio::spawn(async move {
        if let Err(e) = service::members::remember_locale(&desk, user, &locale).await {
            tracing::warn!(
                error = format!("{e:#}"),
                "cannot remember a member's language"
            );
        }
    });
}

fn roles(desk: &Desk, member: Option<&serenity::Member>) -> Roles {
    member
        .map(|m| Roles::of(&m.roles, &desk.config.settings.discord))
        .unwrap_or_default()
}

/// The VPA answering: they need the VPA role. A DM carries no member, so their roles as they
/// are now are asked from Discord (a profile is no permission: the role may have been taken
/// away since the DM went out); somebody who left the server cannot answer. Only if Discord
/// cannot be asked does an invitation to the round (surveyed, or sent the DM) stand in.
async fn answerer(
    http: &serenity::Http,
    desk: &Desk,
    round: RoundId,
    interaction_id: u64,
    user: &serenity::User,
    member: Option<&serenity::Member>,
) -> Result<Answerer, Error> {
    let id = DiscordId(user.id.get());
    let settings = &desk.config.settings.discord;
    let mut name = member.and_then(|m| m.nick.clone());
    let may = match member {
        Some(member) => Roles::of(&member.roles, settings).vpa,
        None => {
            let guild = serenity::GuildId::new(settings.guild_id.0);
            match guild.member(http, user.id).await {
                Ok(member) => {
                    name = member.nick.clone();
                    Roles::of(&member.roles, settings).vpa
                }
                Err(serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)))
                    if r.status_code.as_u16() == 404 =>
                {
                    false
                }
                Err(e) => {
                    tracing::warn!(error = %e, user = %id, "cannot read a DM answerer's roles; their invitation decides");
                    answers::is_invited(desk, round, id).await?
                }
            }
        }
    };
    if !may {
        return refuse(Refusal::OnlyVpas);
    }
    Ok(Answerer {
        vpa: id,
        name: name.unwrap_or_else(|| {
            user.global_name
                .clone()
                .unwrap_or_else(|| user.name.clone())
        }),
        event: Some(format!("interaction:{interaction_id}")),
    })
}

fn selected(c: &serenity::ComponentInteraction) -> Option<&str> {
    match &c.data.kind {
        serenity::ComponentInteractionDataKind::StringSelect { values } => {
            values.first().map(String::as_str)
        }
        _ => None,
    }
}

/// Every value chosen in a select (a multi-select sends all it holds, none included).
fn all_selected(c: &serenity::ComponentInteraction) -> Vec<String> {
    match &c.data.kind {
        serenity::ComponentInteractionDataKind::StringSelect { values } => values.clone(),
        _ => Vec::new(),
    }
}

/// Who uses the picker on `vpa`'s profile. Their own: in a DM the user id identifies the VPA
/// (no member there); in the server they need the VPA role or to coordinate. Somebody else's:
/// only coordinators and the manager, their roles asked from Discord when in a DM.
async fn picker_actor(
    http: &serenity::Http,
    desk: &Desk,
    c: &serenity::ComponentInteraction,
    vpa: DiscordId,
) -> Result<Actor, Error> {
    let me = DiscordId(c.user.id.get());
    let settings = &desk.config.settings.discord;
    let roles = match &c.member {
        Some(member) => Some(Roles::of(&member.roles, settings)),
        None if vpa == me => None,
        None => {
            let guild = serenity::GuildId::new(settings.guild_id.0);
            match guild.member(http, c.user.id).await {
                Ok(member) => Some(Roles::of(&member.roles, settings)),
                Err(_) => Some(Roles::default()),
            }
        }
    };
    Ok(super::roles::profile_actor(me, vpa, roles)?)
}

/// The competence picker: every step saved as it is made, the message showing the next.
async fn picker(
    desk: &Desk,
    r: &Responder<'_>,
    c: &serenity::ComponentInteraction,
    id: PickerId,
) -> Result<HandledOutcome, Error> {
    use crate::present::picker as view;
    use crate::service::newbies;
    let (lang, config) = (r.lang, &desk.config);
    let me = DiscordId(c.user.id.get());
    let name = c
        .member
        .as_ref()
        .and_then(|m| m.nick.clone())
        .or_else(|| c.user.global_name.clone())
        .unwrap_or_else(|| c.user.name.clone());
    match id {
        PickerId::Open => {
            let actor = picker_actor(r.http(), desk, c, me).await?;
            let page = newbies::open(desk, me, &name, None, actor).await?;
            r.reply(view::page(lang, config, &page, None)).await;
        }
        PickerId::Page { vpa, page } => {
            let actor = picker_actor(r.http(), desk, c, vpa).await?;
            let page = newbies::open(desk, vpa, &name, Some(page), actor).await?;
            r.update(view::page(lang, config, &page, None)).await;
        }
        PickerId::Choose { vpa, page } => {
            let actor = picker_actor(r.http(), desk, c, vpa).await?;
            let chosen = newbies::choose(desk, vpa, page, &all_selected(c), actor).await?;
            r.update(view::chosen(lang, config, &chosen, None)).await;
        }
        PickerId::Level {
            vpa,
            page,
            index,
            chosen,
        } => {
            let actor = picker_actor(r.http(), desk, c, vpa).await?;
            let Some(value) = selected(c) else {
                return refuse(Refusal::UnknownButton);
            };
            let step = newbies::set_level(desk, vpa, page, &chosen, index, value, actor).await?;
            r.update(view::level_saved(lang, config, &step, &chosen[index]))
                .await;
        }
        PickerId::Remove { vpa, page, keys } => {
            let actor = picker_actor(r.http(), desk, c, vpa).await?;
            let (page, removed) = newbies::remove(desk, vpa, page, &keys, actor).await?;
            r.update(view::removed(lang, config, &page, &removed)).await;
        }
        PickerId::Done { vpa } => {
            picker_actor(r.http(), desk, c, vpa).await?;
            let saved = newbies::done(desk, vpa).await?;
            r.update(view::finished(lang, config, &saved)).await;
        }
    }
    Ok(HandledOutcome::Done)
}

/// A repeated interaction was answered when it came first: it gets no second answer.
fn repeated(outcome: &AnswerOutcome) -> bool {
    *outcome == AnswerOutcome::Duplicate
}

fn outcome_of(outcome: &AnswerOutcome) -> HandledOutcome {
    match outcome {
        AnswerOutcome::Duplicate => HandledOutcome::Duplicate,
        AnswerOutcome::Recorded { .. } | AnswerOutcome::Withdrawn { .. } => HandledOutcome::Done,
        _ => HandledOutcome::Refused,
    }
}

async fn component(
    desk: &Desk,
    r: &Responder<'_>,
    c: &serenity::ComponentInteraction,
) -> Result<HandledOutcome, Error> {
    let lang = r.lang;
    let Some(id) = CustomId::parse(&c.data.custom_id) else {
        return refuse(Refusal::UnknownButton);
    };
    let act = Act::interaction(DiscordId(c.user.id.get()), c.id.get());
    let (round, action) = match id {
        CustomId::Assign { task } => return assign(desk, r, c, task, &act).await,
        CustomId::LeftOut { task } => {
            if !roles(desk, c.member.as_ref()).can_coordinate() {
                return refuse(Refusal::OnlyCoordinators);
            }
            let left_out = service::survey::left_out(desk, task).await?;
            r.reply(Message::text(surveys::left_out(lang, &left_out)))
                .await;
            return Ok(HandledOutcome::Done);
        }
        CustomId::Playbook { task, button } => {
            return playbook(desk, r, c, task, button, &act).await;
        }
        CustomId::Survey { round, action } => (round, action),
        CustomId::Offer { offer, take } => {
            let answered = service::dropout::answer_offer(desk, offer, act.by, take, &act).await?;
            let text = crate::present::dropout::offer_answered(lang, &answered);
            return Ok(match answered {
                OfferAnswered::NotYours => {
                    r.reply(Message::text(text)).await;
                    HandledOutcome::Refused
                }
                OfferAnswered::Gone { .. } => {
                    r.update(Message::text(text)).await;
                    HandledOutcome::Refused
                }
                _ => {
                    r.update(Message::text(text)).await;
                    HandledOutcome::Done
                }
            });
        }
        CustomId::DropOut(confirm) => return drop_out(desk, r, c, confirm).await,
        CustomId::ConfirmEdit { pending, confirm } => {
            if !roles(desk, c.member.as_ref()).can_coordinate() {
                return refuse(Refusal::OnlyCoordinators);
            }
            r.defer().await;
            let message = match service::edits::confirm(desk, pending, confirm, &act).await? {
                service::edits::Confirmed::Saved(edited) => {
                    crate::present::edits::edited(lang, &desk.config, &edited)
                }
                service::edits::Confirmed::Dropped(task) => {
                    Message::text(crate::present::edits::dropped(lang, task))
                }
            };
            r.reply(message).await;
            return Ok(HandledOutcome::Done);
        }
        CustomId::NewlyFitting { task } | CustomId::Further { task } => {
            if !roles(desk, c.member.as_ref()).can_coordinate() {
                return refuse(Refusal::OnlyCoordinators);
            }
            let newly = matches!(id, CustomId::NewlyFitting { .. });
            r.defer().await;
            let asked = if newly {
                service::edits::ask_newly_fitting(desk, task, &act).await?
            } else {
                service::edits::ask_next_wave(desk, task, &act).await?
            };
            r.reply(Message::text(crate::present::edits::asked(
                lang, &asked, newly,
            )))
            .await;
            return Ok(HandledOutcome::Done);
        }
        CustomId::Picker(id) => return picker(desk, r, c, id).await,
        CustomId::AssignAnyway { task, vpa } => {
            if !roles(desk, c.member.as_ref()).can_coordinate() {
                return refuse(Refusal::OnlyCoordinators);
            }
            let assigned = service::tasks::assign(desk, task, vpa, true, &act).await?;
            r.reply(Message::text(crate::present::tasks::assigned(
                lang, &assigned,
            )))
            .await;
            return Ok(HandledOutcome::Done);
        }
    };
    let who = answerer(
        r.http(),
        desk,
        round,
        c.id.get(),
        &c.user,
        c.member.as_ref(),
    )
    .await?;
    match action {
        SurveyAction::Accept => {
            let outcome =
                answers::record_answer(desk, round, &who, Answer::Accept, AnswerVia::Button)
                    .await?;
            if !repeated(&outcome) {
                r.reply(Message::text(surveys::outcome(
                    lang,
                    &outcome,
                    &Answer::Accept,
                )))
                .await;
            }
            Ok(outcome_of(&outcome))
        }
        SurveyAction::Decline => {
            if !answers::round_exists(desk, round).await? {
                return refuse(Refusal::UnknownSurvey);
            }
            r.reply(surveys::choose_reason(lang, round)).await;
            Ok(HandledOutcome::Done)
        }
        SurveyAction::Reason => {
            let reason = selected(c)
                .and_then(|v| v.parse::<DeclineReason>().ok())
                .filter(|r| DeclineReason::CHOOSABLE.contains(r));
            let Some(reason) = reason else {
                return refuse(Refusal::UnknownButton);
            };
            let answer = Answer::Decline { reason, note: None };
            let outcome =
                answers::record_answer(desk, round, &who, answer.clone(), AnswerVia::Button)
                    .await?;
            if repeated(&outcome) {
                return Ok(HandledOutcome::Duplicate);
            }
            let mut message = Message::text(surveys::outcome(lang, &outcome, &answer));
            if matches!(outcome, AnswerOutcome::Recorded { .. }) {
                message.components = vec![surveys::add_note_button(lang, round)];
            }
            // Replace the select in the private message with the confirmation.
            r.update(message).await;
            Ok(outcome_of(&outcome))
        }
        SurveyAction::AddNote => {
            r.open_form(surveys::note_modal(lang, round), || {
                surveys::form_too_late(lang)
            })
            .await;
            Ok(HandledOutcome::Done)
        }
        SurveyAction::Later => {
            r.open_form(surveys::later_modal(lang, round), || {
                surveys::form_too_late(lang)
            })
            .await;
            Ok(HandledOutcome::Done)
        }
        SurveyAction::NoteModal | SurveyAction::LaterModal => refuse(Refusal::UnknownButton),
    }
}

/// The text a form's input with this custom id holds.
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

async fn modal(
    desk: &Desk,
    r: &Responder<'_>,
    m: &serenity::ModalInteraction,
) -> Result<HandledOutcome, Error> {
    let lang = r.lang;
    let Some(CustomId::Survey { round, action }) = CustomId::parse(&m.data.custom_id) else {
        return refuse(Refusal::UnknownButton);
    };
    let who = answerer(
        r.http(),
        desk,
        round,
        m.id.get(),
        &m.user,
        m.member.as_ref(),
    )
    .await?;
    let (outcome, answer) = match action {
        SurveyAction::NoteModal => {
            let note = modal_value(m, NOTE_INPUT).unwrap_or_default();
            if note.chars().count() > MAX_NOTE_CHARS {
                return refuse(Refusal::NoteTooLong {
                    max: MAX_NOTE_CHARS,
                });
            }
            let outcome = answers::add_decline_note(desk, round, &who, note.clone()).await?;
            let shown = answers::current_answer(desk, round, who.vpa).await?;
            let answer = shown.unwrap_or(Answer::Decline {
                reason: DeclineReason::Other,
                note: Some(note),
            });
            (outcome, answer)
        }
        SurveyAction::LaterModal => {
            let input = modal_value(m, FROM_INPUT).unwrap_or_default();
            let today = desk.today();
            let day = match parse_date(&input) {
                None => {
                    return refuse(Refusal::LaterDateInvalid {
                        input: input.trim().to_string(),
                    });
                }
                Some(day) if day < today => return refuse(Refusal::LaterDatePast { day, today }),
                Some(day) => day,
            };
            let answer = Answer::Later { from: Some(day) };
            let outcome =
                answers::record_answer(desk, round, &who, answer.clone(), AnswerVia::Button)
                    .await?;
            (outcome, answer)
        }
        _ => return refuse(Refusal::UnknownButton),
    };
    if !repeated(&outcome) {
        r.reply(Message::text(surveys::outcome(lang, &outcome, &answer)))
            .await;
    }
    Ok(outcome_of(&outcome))
}

/// "Bestätigen" under the question before an absence or a deactivation hands on assignments:
/// saves it now (the same rights as the command), and replaces the question with the saved
/// profile and what was handed on. "Endgültig löschen" under the question before an erasure
/// (the manager only) erases.
async fn drop_out(
    desk: &Desk,
    r: &Responder<'_>,
    c: &serenity::ComponentInteraction,
    confirm: DropOutConfirm,
) -> Result<HandledOutcome, Error> {
    let lang = r.lang;
    let presser = DiscordId(c.user.id.get());
    let roles = roles(desk, c.member.as_ref());
    let (vpa, change) = match confirm {
        DropOutConfirm::CallOff => {
            r.update(Message::text(t!(lang, "dropout-called-off")))
                .await;
            return Ok(HandledOutcome::Done);
        }
        DropOutConfirm::Absence { vpa, from, until } => (
            vpa,
            ProfileChange::Absence {
                from: Some(from),
                until,
            },
        ),
        DropOutConfirm::Deactivation { vpa } => {
            if !roles.manager {
                return refuse(Refusal::OnlyManager);
            }
            (vpa, ProfileChange::Deactivate)
        }
        DropOutConfirm::Forget { vpa } => {
            if !roles.manager {
                return refuse(Refusal::OnlyManager);
            }
            let act = Act::interaction(presser, c.id.get());
            let forgotten = profiles::forget(desk, vpa, &act).await?;
            r.update(Message::text(crate::present::profiles::forgotten(
                lang, &forgotten,
            )))
            .await;
            return Ok(HandledOutcome::Done);
        }
    };
    let source = if roles.manager {
        ChangeSource::Manager
    } else if vpa == presser {
        ChangeSource::Profile
    } else if roles.can_coordinate() {
        ChangeSource::Coordinator
    } else {
        r.reply(Message::text(t!(lang, "dropout-confirm-not-yours")))
            .await;
        return Ok(HandledOutcome::Refused);
    };
    let actor = Actor {
        id: presser,
        source: if vpa == presser && source == ChangeSource::Manager {
            ChangeSource::Profile
        } else {
            source
        },
    };
    let name = if vpa == presser {
        c.user
            .global_name
            .clone()
            .unwrap_or_else(|| c.user.name.clone())
    } else {
        String::new()
    };
    let saved = profiles::change(desk, vpa, &name, change, actor).await?;
    let mut text = if matches!(confirm, DropOutConfirm::Deactivation { .. }) {
        t!(lang, "profile-deactivated", vpa = vpa)
    } else {
        crate::present::profiles::profile(
            lang,
            &desk.config,
            &saved,
            Some(t!(lang, "profile-saved")),
        )
    };
    if !saved.handed_on.is_empty() {
        text.push_str("\n\n");
        text.push_str(&crate::present::dropout::handed_on(lang, &saved.handed_on));
    }
    r.update(Message::text(crate::present::discord::cut(&text, 2000)))
        .await;
    Ok(HandledOutcome::Done)
}

/// The coordinator picked a VPA in `/survey status`: assign. Components carry no poise check,
/// so the role is checked here.
async fn assign(
    desk: &Desk,
    r: &Responder<'_>,
    c: &serenity::ComponentInteraction,
    task: TaskId,
    act: &Act,
) -> Result<HandledOutcome, Error> {
    if !roles(desk, c.member.as_ref()).can_coordinate() {
        return refuse(Refusal::OnlyCoordinators);
    }
    let Some(vpa) = selected(c).and_then(DiscordId::parse) else {
        return refuse(Refusal::UnknownButton);
    };
    match service::tasks::assign(desk, task, vpa, false, act).await {
        Ok(assigned) => {
            r.reply(Message::text(crate::present::tasks::assigned(
                r.lang, &assigned,
            )))
            .await;
            Ok(HandledOutcome::Done)
        }
        // An answer an edit outdated: ask first, with the button that assigns anyway.
        Err(Error::Refused(Refusal::OutdatedAnswer { task, vpa, reasons })) => {
            r.reply(crate::present::edits::assign_outdated(
                r.lang,
                &desk.config.catalog,
                &task,
                vpa,
                &reasons,
            ))
            .await;
            Ok(HandledOutcome::Refused)
        }
        Err(e) => Err(e),
    }
}

/// A playbook button in the manager's notice. Only coordinators and the manager may act.
async fn playbook(
    desk: &Desk,
    r: &Responder<'_>,
    c: &serenity::ComponentInteraction,
    task: TaskId,
    button: PlaybookButton,
    act: &Act,
) -> Result<HandledOutcome, Error> {
    if !roles(desk, c.member.as_ref()).can_coordinate() {
        return refuse(Refusal::OnlyCoordinators);
    }
    let action = match button {
        PlaybookButton::Extend => PlaybookAction::Extend,
        PlaybookButton::Reask => PlaybookAction::Reask,
        PlaybookButton::Related(key) => match desk.config.catalog.by_key(&key) {
            Some(competence) => PlaybookAction::Related(competence.id),
            None => return refuse(Refusal::UnknownButton),
        },
        PlaybookButton::Nudge => PlaybookAction::Nudge,
        PlaybookButton::Split => PlaybookAction::Split,
        PlaybookButton::External => PlaybookAction::External,
    };
    // The actions post and DM; acknowledge first so Discord's 3 s never run out.
    r.defer().await;
    let done = service::playbook::run(desk, task, action, act).await?;
    r.reply(Message::text(notice::playbook_done(
        r.lang,
        &desk.config,
        &done,
    )))
    .await;
    Ok(HandledOutcome::Done)
}
