//! What edits of a task say: the coordinator's reply (what changed, who was told, who fits
//! now), the confirmation an edit over someone's hours needs, why an edit no longer fits a VPA,
//! and the buttons that reach more VPAs.

use super::catalog::{Lang, t};
use super::custom_id::CustomId;
use super::discord::{Button, Message, Row, Style, cut, user_mention};
use super::format;
use crate::config::Config;
use crate::domain::competence::Catalog;
use crate::domain::ids::{DiscordId, TaskId};
use crate::domain::reevaluation::{Mismatch, OverHours};
use crate::domain::task::{StatusDetail, Task};
use crate::service::edits::{Asked, EditOutcome, TaskEdited};

/// Why an edit no longer fits someone, as one phrase per reason. `task`: the task as it is
/// now (its competence is named); `own`: said to the VPA themself.
pub fn mismatches(
    lang: Lang,
    config: &Config,
    task: Option<&Task>,
    reasons: &[Mismatch],
) -> String {
    phrases(lang, &config.catalog, task, reasons, true)
}

fn phrases(
    lang: Lang,
    catalog: &Catalog,
    task: Option<&Task>,
    reasons: &[Mismatch],
    own: bool,
) -> String {
    let items: Vec<String> = reasons
        .iter()
        .map(|r| match r {
            Mismatch::NoCompetence => {
                let competence = task.map_or_else(String::new, |t| {
                    format::competence(lang, catalog, t.competence)
                });
                if own {
                    t!(lang, "mismatch-no-competence", competence = competence)
                } else {
                    t!(
                        lang,
                        "mismatch-no-competence-other",
                        competence = competence
                    )
                }
            }
            Mismatch::NewClient => t!(lang, "mismatch-new-client"),
            Mismatch::NoRoom {
                week,
                load,
                share,
                weekly_hours,
            } => t!(
                lang,
                "mismatch-no-room",
                week = format::date(lang, *week),
                total = format::hours(lang, load + share),
                weekly = format::hours(lang, *weekly_hours)
            ),
            Mismatch::StartsTooLate { from, deadline } => t!(
                lang,
                "mismatch-starts-too-late",
                deadline = format::date(lang, *deadline),
                from = format::date(lang, *from)
            ),
        })
        .collect();
    items.join("; ")
}

/// The reply after `/task edit` (or its confirmation).
pub fn edited(lang: Lang, config: &Config, e: &TaskEdited) -> Message {
    let catalog = &config.catalog;
    let change = StatusDetail::edited(&e.before, &e.after, catalog);
    let mut out = t!(
        lang,
        "task-edited",
        task = e.task_id,
        changes = super::tasks::detail(lang, catalog, &change)
    );
    let mut push = |line: String| {
        out.push('\n');
        out.push_str(&line);
    };
    push(t!(lang, "edit-fitting", fitting = e.fitting));
    if !e.outdated.is_empty() {
        push(t!(lang, "edit-outdated", count = e.outdated.len()));
        for (vpa, reasons) in e.outdated.iter().take(10) {
            push(t!(
                lang,
                "edit-outdated-line",
                who = user_mention(*vpa),
                reasons = phrases(lang, catalog, Some(&e.after), reasons, false)
            ));
        }
    }
    if !e.holders.is_empty() {
        let who: Vec<String> = e.holders.iter().map(|v| user_mention(*v)).collect();
        push(t!(lang, "edit-holders", who = format::list(lang, &who)));
    }
    for (vpa, reasons) in &e.holders_unfit {
        push(t!(
            lang,
            "edit-holders-unfit",
            who = user_mention(*vpa),
            reasons = phrases(lang, catalog, Some(&e.after), reasons, false)
        ));
    }
    if !e.over_hours.is_empty() {
        let who: Vec<String> = e.over_hours.iter().map(|o| user_mention(o.vpa)).collect();
        push(t!(
            lang,
            "edit-over-hours-confirmed",
            who = format::list(lang, &who)
        ));
    }
    let mut components = Vec::new();
    if e.newly_fitting > 0 {
        push(t!(lang, "edit-newly-fitting", count = e.newly_fitting));
        components.push(newly_fitting_button(lang, e.task_id, e.newly_fitting));
    }
    Message {
        content: cut(&out, 2000),
        components,
        ..Message::default()
    }
}

/// What an edit became: saved, or waiting for the confirmation with its buttons.
pub fn outcome(lang: Lang, config: &Config, outcome: &EditOutcome) -> Message {
    match outcome {
        EditOutcome::Saved(e) => edited(lang, config, e),
        EditOutcome::Confirm {
            pending,
            task_id,
            over_hours,
            ..
        } => {
            let mut out = t!(lang, "edit-confirm-head", task = *task_id);
            for (o, name) in over_hours {
                out.push('\n');
                out.push_str(&over_hours_line(lang, o, name));
            }
            out.push('\n');
            out.push_str(&t!(
                lang,
                "edit-confirm-foot",
                minutes = crate::service::edits::PENDING_MINUTES
            ));
            let button = |confirm: bool, label: String, style: Style| Button {
                custom_id: CustomId::ConfirmEdit {
                    pending: *pending,
                    confirm,
                }
                .encode(),
                label,
                style,
            };
            Message {
                content: cut(&out, 2000),
                components: vec![Row::Buttons(vec![
                    button(true, t!(lang, "button-edit-confirm"), Style::Danger),
                    button(false, t!(lang, "button-edit-drop"), Style::Secondary),
                ])],
                ..Message::default()
            }
        }
    }
}

fn over_hours_line(lang: Lang, o: &OverHours, name: &str) -> String {
    let who = if name.is_empty() {
        user_mention(o.vpa)
    } else {
        format!("{} ({})", user_mention(o.vpa), cut(name, 80))
    };
    t!(
        lang,
        "edit-over-hours-line",
        who = who,
        load = format::hours(lang, o.load),
        weekly = format::hours(lang, o.weekly_hours),
        week = format::date(lang, o.week)
    )
}

/// After "Nicht speichern".
pub fn dropped(lang: Lang, task: TaskId) -> String {
    t!(lang, "edit-dropped", task = task)
}

/// "Neu Passende anfragen: n".
pub fn newly_fitting_button(lang: Lang, task: TaskId, count: usize) -> Row {
    Row::Buttons(vec![Button {
        custom_id: CustomId::NewlyFitting { task }.encode(),
        label: t!(lang, "button-newly-fitting", count = count),
        style: Style::Primary,
    }])
}

/// "Weitere anfragen: n".
pub fn further_button(lang: Lang, task: TaskId, count: usize) -> Button {
    Button {
        custom_id: CustomId::Further { task }.encode(),
        label: t!(lang, "button-further", count = count),
        style: Style::Primary,
    }
}

/// After pressing "Neu Passende anfragen" (`newly`) or "Weitere anfragen".
pub fn asked(lang: Lang, a: &Asked, newly: bool) -> String {
    if newly {
        return t!(
            lang,
            "newly-fitting-asked",
            asked = a.asked,
            task = a.task_id
        );
    }
    let mut out = t!(lang, "further-asked", asked = a.asked, task = a.task_id);
    {
        out.push(' ');
        out.push_str(&t!(lang, "further-left", left = a.left));
    }
    out
}

/// The marker of an outdated answer in `/survey status`.
pub fn outdated_marker(lang: Lang, catalog: &Catalog, task: &Task, reasons: &[Mismatch]) -> String {
    t!(
        lang,
        "status-outdated",
        reasons = phrases(lang, catalog, Some(task), reasons, false)
    )
}

/// Asking before assigning a VPA whose answer an edit outdated.
pub fn assign_outdated(
    lang: Lang,
    catalog: &Catalog,
    task: &Task,
    vpa: DiscordId,
    reasons: &[Mismatch],
) -> Message {
    Message {
        content: t!(
            lang,
            "assign-outdated",
            who = user_mention(vpa),
            task = task.id,
            reasons = phrases(lang, catalog, Some(task), reasons, false)
        ),
        components: vec![Row::Buttons(vec![Button {
            custom_id: CustomId::AssignAnyway { task: task.id, vpa }.encode(),
            label: t!(lang, "button-assign-anyway"),
            style: Style::Danger,
        }])],
        ..Message::default()
    }
}

/// The line on a survey post or notice saying what the last edit changed.
pub fn changed_line(lang: Lang, catalog: &Catalog, change: &StatusDetail) -> String {
    t!(
        lang,
        "changed-line",
        changes = super::tasks::detail(lang, catalog, change)
    )
}
