//! The manager's side: the escalation notice with its playbook embed and one-click buttons,
//! the re-ping in a reply, and the replies about reported demand and playbook actions.

use super::catalog::{Lang, t};
use super::custom_id::{CustomId, PlaybookButton};
use super::discord::{Button, Embed, Message, Row, Style, cut, limits, role_mention, user_mention};
use super::format;
use crate::config::Config;
use crate::domain::escalation::EscalationEvent;
use crate::domain::escalation::{EscalationCause, PingCause};
use crate::domain::ids::{DiscordId, TaskId};
use crate::service::escalation::NoticeView;
use crate::service::playbook::PlaybookDone;

/// How many causes the notice lists (the rest are counted).
const CAUSES_SHOWN: usize = 8;

/// The name of an escalation cause.
pub fn cause_name(lang: Lang, cause: EscalationCause) -> String {
    match cause {
        EscalationCause::RoundFailed => t!(lang, "cause-round-failed"),
        EscalationCause::NobodyFits => t!(lang, "cause-nobody-fits"),
        EscalationCause::Reported => t!(lang, "cause-reported"),
        EscalationCause::AcceptedUnassigned => t!(lang, "cause-accepted-unassigned"),
    }
}

fn cause(lang: Lang, event: &EscalationEvent) -> String {
    let mut what = match (event.cause, event.reported_by) {
        (EscalationCause::Reported, Some(by)) => t!(lang, "cause-reported-by", by = by),
        (cause, _) => cause_name(lang, cause),
    };
    if let Some(note) = &event.note {
        what = t!(lang, "cause-note", cause = what, note = cut(note, 300));
    }
    t!(
        lang,
        "cause-at",
        at = format::day_month_time(lang, event.created_at, true),
        what = what
    )
}

/// The causes, newest last: as many of the latest as fit into `room` characters (at most
/// [`CAUSES_SHOWN`]), the earlier ones counted — so the notice never outgrows Discord, whatever
/// the number of reports, and the newest cause is always there.
fn causes_line(lang: Lang, events: &[EscalationEvent], room: usize) -> String {
    let line = |shown: &[String], more: usize| {
        let causes = if more > 0 {
            t!(
                lang,
                "notice-causes-more",
                shown = shown.join(" · "),
                more = more
            )
        } else {
            shown.join(" · ")
        };
        t!(lang, "notice-causes", causes = causes)
    };
    let mut shown: Vec<String> = Vec::new();
    for event in events.iter().rev().take(CAUSES_SHOWN) {
        let mut candidate = vec![cause(lang, event)];
        candidate.extend(shown.iter().cloned());
        let more = events.len() - candidate.len();
        if !shown.is_empty() && line(&candidate, more).chars().count() > room {
            break;
        }
        shown = candidate;
    }
    let more = events.len() - shown.len();
    line(&shown, more)
}

/// The notice: content, the playbook as an embed, the one-click buttons. `ping` is the
/// manager role for a new notice of urgent demand (outside quiet hours).
pub fn notice(lang: Lang, config: &Config, v: &NoticeView, ping: Option<DiscordId>) -> Message {
    let t = &v.task;
    let mut out = String::new();
    if let Some(role) = ping {
        out.push_str(&role_mention(role));
        out.push(' ');
    }
    let area = format::area(lang, t.area);
    out.push_str(&t!(
        lang,
        "notice-head",
        task = t.id,
        area = area.as_str(),
        competence = format::competence(lang, &config.catalog, t.competence)
    ));
    out.push('\n');
    out.push_str(&format::urgency(lang, v.urgency));
    out.push('\n');
    out.push_str(&t!(
        lang,
        "notice-task",
        hours = format::task_hours(lang, t.hours, t.recurring),
        deadline_label = format::deadline_label(lang, t.recurring),
        deadline = format::date(lang, t.deadline),
        new_client = format::yes_no(lang, t.new_client),
        status = format::status(lang, t.status)
    ));
    if let Some(by) = t.created_by {
        out.push_str(&t!(lang, "notice-created-by", by = by));
    }
    out.push('\n');
    if let Some(change) = v.changed.as_ref().filter(|c| !c.is_unchanged_edit()) {
        out.push_str(&super::edits::changed_line(lang, &config.catalog, change));
        out.push('\n');
    }
    if let Some(figures) = &v.last_round {
        let reasons: Vec<String> = figures
            .decline_reasons
            .iter()
            .map(|(reason, n)| {
                t!(
                    lang,
                    "notice-reason",
                    reason = format::reason(lang, *reason),
                    count = *n
                )
            })
            .collect();
        let reasons = if reasons.is_empty() {
            String::new()
        } else {
            t!(
                lang,
                "notice-reasons",
                reasons = format::list(lang, &reasons)
            )
        };
        let c = &figures.counts;
        out.push_str(&t!(
            lang,
            "notice-round",
            round = v.rounds,
            surveyed = c.surveyed,
            accepted = c.accepted,
            later = c.later,
            declined = c.declined,
            reasons = reasons,
            open = c.no_answer
        ));
        out.push('\n');
    }
    let a = &v.area_health;
    out.push_str(&t!(
        lang,
        "notice-pool",
        area = area.as_str(),
        available = a.available_for_new_clients,
        vpas = a.vpas,
        vt_stop = a.vt_stop,
        absent = a.absent,
        total = v.pool.available_for_new_clients,
        minimum = v.pool.threshold,
        warning = if v.pool.healthy {
            String::new()
        } else {
            t!(lang, "notice-pool-warning")
        }
    ));
    out.push('\n');
    out.push_str(&causes_line(
        lang,
        &v.events,
        limits::CONTENT.saturating_sub(out.chars().count()),
    ));
    Message {
        content: out,
        embeds: vec![playbook_embed(lang, config, v)],
        components: playbook_buttons(lang, config, v),
        users: Vec::new(),
        roles: ping.into_iter().collect(),
        files: Vec::new(),
    }
}

/// The playbook as an embed under the notice, each field under 1,024 characters.
fn playbook_embed(lang: Lang, config: &Config, view: &NoticeView) -> Embed {
    let book = &view.playbook;
    let task = &view.task;
    let people = |ids: &[DiscordId]| -> String {
        let shown: Vec<String> = ids.iter().map(|i| user_mention(*i)).collect();
        format::capped(lang, &shown, 20, " ")
    };
    let mut fields = Vec::new();
    let mut extend = t!(lang, "playbook-extend", count = book.extend.len());
    if !book.unasked.is_empty() {
        extend = format!(
            "{}\n{extend}",
            t!(
                lang,
                "playbook-unasked",
                count = book.unasked.len(),
                max = config.settings.survey.max_mentions
            )
        );
    }
    if !book.illogical_decliners.is_empty() {
        extend.push('\n');
        extend.push_str(&t!(
            lang,
            "playbook-illogical",
            people = people(&book.illogical_decliners)
        ));
    }
    fields.push((t!(lang, "playbook-extend-title"), extend));
    let later = match book.later.first() {
        Some(first) => {
            let who: Vec<String> = book
                .later
                .iter()
                .map(|l| {
                    t!(
                        lang,
                        "playbook-later-who",
                        vpa = l.vpa,
                        from = format::date(lang, l.from)
                    )
                })
                .collect();
            t!(
                lang,
                "playbook-later",
                from = format::date(lang, first.from),
                who = format::capped(lang, &who, 10, &t!(lang, "format-list-separator")),
                task = task.id
            )
        }
        None => t!(lang, "playbook-later-none"),
    };
    fields.push((t!(lang, "playbook-later-title"), later));
    let related = if book.related.is_empty() {
        t!(lang, "playbook-related-none")
    } else {
        book.related
            .iter()
            .map(|(c, n)| {
                t!(
                    lang,
                    "playbook-related",
                    competence = format::competence(lang, &config.catalog, *c),
                    count = *n
                )
            })
            .collect::<Vec<_>>()
            .join(" · ")
    };
    fields.push((t!(lang, "playbook-related-title"), related));
    fields.push((
        t!(lang, "playbook-newbies-title"),
        t!(
            lang,
            "playbook-newbies",
            count = book.newbies.len(),
            area = format::area(lang, task.area)
        ),
    ));
    let split = match &book.split {
        Some(parts) => t!(
            lang,
            "playbook-split",
            count = parts.len(),
            parts = parts
                .iter()
                .map(|p| format::hours(lang, *p))
                .collect::<Vec<_>>()
                .join(" + "),
            task = task.id
        ),
        None => t!(
            lang,
            "playbook-split-none",
            large = format::hours(lang, config.settings.tasks.large_hours),
            hours = format::hours(lang, task.hours)
        ),
    };
    fields.push((t!(lang, "playbook-split-title"), split));
    let training = if book.training.is_empty() {
        t!(lang, "playbook-training-none")
    } else {
        t!(
            lang,
            "playbook-training",
            people = people(&book.training),
            task = task.id
        )
    };
    fields.push((t!(lang, "playbook-training-title"), training));
    fields.push((
        t!(lang, "playbook-external-title"),
        t!(lang, "playbook-external", task = task.id),
    ));
    let mut embed = Embed::titled(t!(lang, "playbook-title"));
    for (title, text) in fields {
        embed = embed.field(title, text, false);
    }
    embed
}

/// The playbook's one-click actions (only those that have somebody to act on); at most 5 rows
/// of 5 buttons, as Discord allows.
fn playbook_buttons(lang: Lang, config: &Config, view: &NoticeView) -> Vec<Row> {
    if !view.task.status.is_open_demand() {
        return Vec::new();
    }
    let book = &view.playbook;
    let task = view.task.id;
    let button = |button: PlaybookButton, label: String| Button {
        custom_id: CustomId::Playbook { task, button }.encode(),
        label,
        style: Style::Primary,
    };
    let mut buttons = Vec::new();
    if book.extend_count() > 0 {
        buttons.push(button(
            PlaybookButton::Extend,
            t!(lang, "playbook-button-extend", count = book.extend_count()),
        ));
    }
    if !book.illogical_decliners.is_empty() {
        buttons.push(button(
            PlaybookButton::Reask,
            t!(
                lang,
                "playbook-button-reask",
                count = book.illogical_decliners.len()
            ),
        ));
    }
    for (competence, n) in book.related.iter().filter(|(_, n)| *n > 0).take(3) {
        let c = config.catalog.get(*competence);
        buttons.push(button(
            PlaybookButton::Related(c.key.clone()),
            t!(
                lang,
                "playbook-button-related",
                competence = c.name_in(lang.tag()),
                count = *n
            ),
        ));
    }
    if !book.newbies.is_empty() {
        buttons.push(button(
            PlaybookButton::Nudge,
            t!(lang, "playbook-button-nudge", count = book.newbies.len()),
        ));
    }
    if let Some(parts) = &book.split {
        buttons.push(button(
            PlaybookButton::Split,
            t!(lang, "playbook-button-split", parts = parts.len()),
        ));
    }
    buttons.push(Button {
        style: Style::Secondary,
        ..button(
            PlaybookButton::External,
            t!(lang, "playbook-button-external"),
        )
    });
    // One row per five buttons (fit() cuts what is beyond Discord's five rows).
    vec![Row::Buttons(buttons)]
}

/// The re-ping in a reply to the notice.
pub fn ping(lang: Lang, task: TaskId, cause: PingCause, role: Option<DiscordId>) -> Message {
    let what = match cause {
        PingCause::QuietHours => t!(lang, "ping-quiet-hours", task = task),
        PingCause::AcceptedUnassigned => t!(lang, "ping-accepted-unassigned", task = task),
        PingCause::Reported => t!(lang, "ping-reported", task = task),
        PingCause::RoundFailed | PingCause::NobodyFits => {
            t!(lang, "ping-round-failed", task = task)
        }
    };
    let content = match role {
        Some(role) => format!("{} {what}", role_mention(role)),
        None => what,
    };
    Message {
        content,
        roles: role.into_iter().collect(),
        ..Message::default()
    }
}

/// The reply to `/demand report`.
pub fn demand_reported(lang: Lang, task: TaskId, new_notice: bool) -> String {
    if new_notice {
        t!(lang, "demand-reported", task = task)
    } else {
        t!(lang, "demand-reported-again", task = task)
    }
}

/// The private reply after a playbook button.
pub fn playbook_done(lang: Lang, config: &Config, done: &PlaybookDone) -> String {
    match done {
        PlaybookDone::Extended { task_id, surveyed } => {
            t!(
                lang,
                "playbook-extended",
                task = *task_id,
                count = *surveyed
            )
        }
        PlaybookDone::Related {
            task_id,
            competence,
            surveyed,
        } => t!(
            lang,
            "playbook-related-started",
            task = *task_id,
            competence = format::competence(lang, &config.catalog, *competence),
            count = *surveyed
        ),
        PlaybookDone::Reasked { task_id, asked } => {
            t!(lang, "playbook-reasked", task = *task_id, count = *asked)
        }
        PlaybookDone::Nudged { nudged, cooling } => {
            let mut text = t!(lang, "playbook-nudged", count = *nudged);
            if *cooling > 0 {
                text.push(' ');
                text.push_str(&t!(lang, "playbook-nudged-cooling", cooling = *cooling));
            }
            text
        }
        PlaybookDone::External { task_id } => t!(lang, "playbook-external-done", task = *task_id),
        PlaybookDone::Split { task_id, parts } => {
            let parts: Vec<String> = parts
                .iter()
                .map(|(id, h)| {
                    t!(
                        lang,
                        "playbook-split-part",
                        task = *id,
                        hours = format::hours(lang, *h)
                    )
                })
                .collect();
            t!(
                lang,
                "playbook-split-done",
                task = *task_id,
                parts = format::list(lang, &parts)
            )
        }
    }
}
