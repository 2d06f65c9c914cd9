//! Drop-outs as people read them: the confirmation before an absence or a deactivation hands
//! on assignments, what was handed on, the waitlist's offer and its answers, the DMs to the
//! coordinator and the VPA, and the hand-over lines of `/task show`.

use chrono::{DateTime, NaiveDate, Utc};

use super::catalog::{Lang, t};
use super::custom_id::{CustomId, DropOutConfirm};
use super::discord::{Button, Message, Row, Style, cut};
use super::format;
use crate::config::Config;
use crate::domain::dropout::{DropCause, Gap, HandOn};
use crate::domain::ids::{DiscordId, OfferId};
use crate::domain::outbox::{HandOnStep, HandedOnItem};
use crate::domain::task::Task;
use crate::service::dropout::HandOverView;
use crate::service::dropout::{AffectedTask, HandedOn, OfferAnswered, OfferGone};

fn cause_key(cause: DropCause) -> &'static str {
    cause.key()
}

/// "vom 7.12. bis 27.12." or "ab 7.12. bis zur Rückkehr".
pub fn cover(lang: Lang, from: NaiveDate, until: Option<NaiveDate>) -> String {
    match until {
        Some(until) => t!(
            lang,
            "dropout-cover-until",
            from = format::date(lang, from),
            until = format::date(lang, until)
        ),
        None => t!(lang, "dropout-cover-open", from = format::date(lang, from)),
    }
}

fn gap_text(lang: Lang, gap: &Gap) -> String {
    match gap.until {
        Some(until) => t!(
            lang,
            "dropout-gap-until",
            from = format::date(lang, gap.from),
            until = format::date(lang, until)
        ),
        None => t!(
            lang,
            "dropout-gap-open",
            from = format::date(lang, gap.from)
        ),
    }
}

fn task_facts(lang: Lang, config: &Config, task: &Task) -> String {
    t!(
        lang,
        "dropout-task-facts",
        task = task.id,
        area = format::area(lang, task.area),
        competence = format::competence(lang, &config.catalog, task.competence),
        hours = format::task_hours(lang, task.hours, task.recurring),
        deadline_label = format::deadline_label(lang, task.recurring),
        deadline = format::date(lang, task.deadline)
    )
}

/// The question before saving: which tasks would be handed on, with "Bestätigen"/"Abbrechen".
pub fn confirmation(
    lang: Lang,
    config: &Config,
    vpa: DiscordId,
    gap: &Gap,
    affected: &[AffectedTask],
    confirm: DropOutConfirm,
) -> Message {
    let mut out = t!(
        lang,
        "dropout-confirm-head",
        cause = cause_key(gap.cause),
        vpa = vpa,
        gap = gap_text(lang, gap)
    );
    for a in affected {
        out.push('\n');
        let facts = task_facts(lang, config, &a.task);
        out.push_str(&match a.hand_on {
            HandOn::ForGood => t!(lang, "dropout-confirm-line-for-good", facts = facts),
            HandOn::Cover { from, until } => t!(
                lang,
                "dropout-confirm-line-cover",
                facts = facts,
                cover = cover(lang, from, until)
            ),
        });
    }
    out.push('\n');
    out.push_str(&t!(lang, "dropout-confirm-ask"));
    Message {
        content: cut(&out, 2000),
        components: vec![confirm_or_call_off(
            lang,
            confirm,
            t!(lang, "button-dropout-confirm"),
        )],
        ..Message::default()
    }
}

fn step_line(lang: Lang, item: &HandedOnItem) -> String {
    let cover = item
        .cover
        .map(|(from, until)| format!(" ({})", cover(lang, from, until)))
        .unwrap_or_default();
    match &item.step {
        HandOnStep::Offered { to } => t!(
            lang,
            "dropout-step-offered",
            task = item.task_id,
            cover = cover,
            to = *to
        ),
        HandOnStep::RoundOpened { surveyed } => t!(
            lang,
            "dropout-step-round",
            task = item.task_id,
            cover = cover,
            surveyed = *surveyed
        ),
        HandOnStep::NobodyFits => t!(
            lang,
            "dropout-step-nobody",
            task = item.task_id,
            cover = cover
        ),
    }
}

fn lines(lang: Lang, items: &[HandedOnItem]) -> String {
    items
        .iter()
        .map(|i| format!("• {}", step_line(lang, i)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What was handed on, under the saved profile.
pub fn handed_on(lang: Lang, handed: &[HandedOn]) -> String {
    let items: Vec<HandedOnItem> = handed
        .iter()
        .map(|h| HandedOnItem {
            task_id: h.task.id,
            cover: match h.hand_on {
                HandOn::ForGood => None,
                HandOn::Cover { from, until } => Some((from, until)),
            },
            step: h.step.clone(),
        })
        .collect();
    cut(
        &format!(
            "{}\n{}",
            t!(lang, "dropout-handed-on-head"),
            lines(lang, &items)
        ),
        1800,
    )
}

/// The DM to a coordinator: which of their tasks the VPA gave up, and what the bot did.
pub fn for_coordinator(
    lang: Lang,
    vpa: DiscordId,
    cause: DropCause,
    items: &[HandedOnItem],
) -> String {
    cut(
        &format!(
            "{}\n{}",
            t!(
                lang,
                "dm-handed-on-for-coordinator",
                cause = cause_key(cause),
                vpa = vpa
            ),
            lines(lang, items)
        ),
        2000,
    )
}

/// The DM to a VPA whose absence or deactivation someone else saved.
pub fn for_vpa(lang: Lang, cause: DropCause, items: &[HandedOnItem]) -> String {
    cut(
        &format!(
            "{}\n{}",
            t!(lang, "dm-handed-on-for-vpa", cause = cause_key(cause)),
            lines(lang, items)
        ),
        2000,
    )
}

/// The offer to a VPA of the waitlist (no client name), with its two buttons.
pub fn offer(
    lang: Lang,
    config: &Config,
    task: &Task,
    offer: OfferId,
    closes_at: DateTime<Utc>,
    covering: Option<(NaiveDate, Option<NaiveDate>)>,
) -> Message {
    let covering = covering
        .map(|(from, until)| format!(" ({})", cover(lang, from, until)))
        .unwrap_or_default();
    let mut content = t!(
        lang,
        "dm-hand-on-offer",
        facts = task_facts(lang, config, task),
        cover = covering,
        until = format::local_day_month_time(lang, closes_at, config.timezone)
    );
    if let Some(description) = &task.description {
        content.push('\n');
        content.push_str(&cut(description, 600));
    }
    Message {
        content: cut(&content, 2000),
        components: vec![Row::Buttons(vec![
            Button {
                custom_id: CustomId::Offer { offer, take: true }.encode(),
                label: t!(lang, "button-offer-take"),
                style: Style::Success,
            },
            Button {
                custom_id: CustomId::Offer { offer, take: false }.encode(),
                label: t!(lang, "button-offer-decline"),
                style: Style::Secondary,
            },
        ])],
        ..Message::default()
    }
}

/// The private answer to a press on an offer.
pub fn offer_answered(lang: Lang, answered: &OfferAnswered) -> String {
    match answered {
        OfferAnswered::Took { task_id } => t!(lang, "offer-took", task = *task_id),
        OfferAnswered::Declined { task_id } => t!(lang, "offer-declined", task = *task_id),
        OfferAnswered::NotYours => t!(lang, "offer-not-yours"),
        OfferAnswered::Gone { task_id, why } => match why {
            OfferGone::Answered => t!(lang, "offer-gone-answered", task = *task_id),
            OfferGone::Lapsed => t!(lang, "offer-gone-lapsed", task = *task_id),
            OfferGone::Taken => t!(lang, "offer-gone-taken", task = *task_id),
            OfferGone::TaskClosed => t!(lang, "offer-gone-closed", task = *task_id),
        },
    }
}

/// A task's hand-overs for `/task show`; empty when it had none.
pub fn hand_over_lines(lang: Lang, views: &[HandOverView]) -> String {
    if views.is_empty() {
        return String::new();
    }
    let mut out = t!(lang, "task-details-hand-overs");
    for v in views {
        let covering = v
            .cover_from
            .map(|from| format!(" ({})", cover(lang, from, v.cover_until)))
            .unwrap_or_default();
        let state = match v.state.as_str() {
            "offering" => t!(lang, "hand-over-state-offering"),
            "round" => t!(lang, "hand-over-state-round"),
            "taken" => t!(
                lang,
                "hand-over-state-taken",
                by = v.taken_by.unwrap_or(DiscordId(0))
            ),
            _ => t!(lang, "hand-over-state-closed"),
        };
        let returned = v
            .returned_on
            .map(|on| t!(lang, "hand-over-returned", on = format::date(lang, on)))
            .unwrap_or_default();
        out.push('\n');
        out.push_str(&t!(
            lang,
            "task-details-hand-over",
            when = format::day_month_time(lang, v.created_at, true),
            vpa = v.vpa_id,
            cause = v.cause.as_str(),
            cover = covering,
            state = state,
            returned = returned
        ));
    }
    out
}

/// The two buttons under a question that changes a profile for good: do it (`label`), or
/// call it off.
pub fn confirm_or_call_off(lang: Lang, confirm: DropOutConfirm, label: String) -> Row {
    Row::Buttons(vec![
        Button {
            custom_id: CustomId::DropOut(confirm).encode(),
            label,
            style: Style::Danger,
        },
        Button {
            custom_id: CustomId::DropOut(DropOutConfirm::CallOff).encode(),
            label: t!(lang, "button-dropout-call-off"),
            style: Style::Secondary,
        },
    ])
}
