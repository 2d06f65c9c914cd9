//! Tasks as coordinators and VPAs read them: the problems of a draft, the replies of
//! `/task …`, the details and the open demand, the history, and the DMs about assignments.

use super::catalog::{Lang, t};
use super::discord::{cut, user_mention};
use super::format;
use crate::config::Config;
use crate::domain::competence::Catalog;
use crate::domain::ids::TaskId;
use crate::domain::survey::RoundKind;
use crate::domain::task::{PartOf, StatusChange, StatusDetail, Task, TaskProblem};
use crate::service::tasks::{Assigned, TaskCreated, TaskDetails};

/// One line for a problem of a task draft.
pub fn problem(lang: Lang, catalog: &Catalog, problem: &TaskProblem) -> String {
    match problem {
        TaskProblem::EmptyClient => t!(lang, "task-problem-empty-client"),
        TaskProblem::ClientTooLong { chars, max } => {
            t!(
                lang,
                "task-problem-client-too-long",
                chars = *chars,
                max = *max
            )
        }
        TaskProblem::UnknownCompetence(unknown) => {
            let suggestions: Vec<String> = unknown
                .suggestions
                .iter()
                .map(|c| format::quoted(lang, &format::competence(lang, catalog, *c)))
                .collect();
            t!(
                lang,
                "task-problem-unknown-competence",
                input = cut(&unknown.input, 100),
                suggestions = format::list(lang, &suggestions)
            )
        }
        TaskProblem::HoursOutOfRange { hours, min, max } => t!(
            lang,
            "task-problem-hours",
            hours = format::hours(lang, *hours),
            min = format::hours(lang, *min),
            max = format::hours(lang, *max)
        ),
        TaskProblem::DeadlineUnreadable { input } => {
            t!(
                lang,
                "task-problem-deadline-unreadable",
                input = cut(input, 50)
            )
        }
        TaskProblem::DeadlineInPast { deadline, today } => t!(
            lang,
            "task-problem-deadline-past",
            deadline = format::date(lang, *deadline),
            today = format::date(lang, *today)
        ),
        TaskProblem::DescriptionTooLong { chars, max } => {
            t!(
                lang,
                "task-problem-description-too-long",
                chars = *chars,
                max = *max
            )
        }
    }
}

/// The refusal of a draft with every problem.
pub fn invalid(lang: Lang, catalog: &Catalog, problems: &[TaskProblem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("• {}", problem(lang, catalog, p)))
        .collect();
    format!("{}\n{}", t!(lang, "task-invalid"), lines.join("\n"))
}

/// The coordinator's reply after `/task new`: with the link once the post is out.
pub fn created(lang: Lang, created: &TaskCreated, link: Option<&str>) -> String {
    let mut text = t!(
        lang,
        "task-created",
        task = created.task_id,
        surveyed = created.surveyed
    );
    if created.fitting > created.surveyed {
        text.push(' ');
        text.push_str(&t!(
            lang,
            "task-created-more",
            more = created.fitting - created.surveyed
        ));
    }
    text.push('\n');
    text.push_str(&match link {
        Some(link) => t!(lang, "task-created-link", link = link),
        None => t!(lang, "task-created-posting"),
    });
    text
}

/// The reply when the post could not be delivered in time.
pub fn post_delayed(lang: Lang, created: &TaskCreated) -> String {
    t!(
        lang,
        "task-post-delayed",
        task = created.task_id,
        surveyed = created.surveyed
    )
}

/// The reply when nobody fits.
pub fn nobody_fits(lang: Lang, task: TaskId) -> String {
    t!(lang, "task-nobody-fits", task = task)
}

/// After an assignment.
pub fn assigned(lang: Lang, a: &Assigned) -> String {
    let mut text = t!(
        lang,
        "task-assigned",
        task = a.task_id,
        vpa = a.vpa,
        name = a.vpa_name.as_str(),
        utilization = format::utilization(lang, a.utilization_after)
    );
    if !a.concerns.is_empty() {
        let concerns: Vec<String> = a
            .concerns
            .iter()
            .map(|c| super::profiles::exclusion(lang, c))
            .collect();
        text.push('\n');
        text.push_str(&t!(
            lang,
            "task-assigned-concerns",
            concerns = format::list(lang, &concerns)
        ));
    }
    text
}

/// After an unassignment.
pub fn unassigned(
    lang: Lang,
    task: TaskId,
    vpa: crate::domain::ids::DiscordId,
    status: crate::domain::task::TaskStatus,
) -> String {
    t!(
        lang,
        "task-unassigned",
        task = task,
        vpa = vpa,
        status = format::status(lang, status)
    )
}

/// After done or cancel.
pub fn closed(lang: Lang, task: TaskId, status: crate::domain::task::TaskStatus) -> String {
    t!(
        lang,
        "task-closed",
        task = task,
        status = format::status(lang, status)
    )
}

/// "Teil 1/3 von Aufgabe #5".
pub fn part(lang: Lang, part: PartOf) -> String {
    t!(
        lang,
        "task-details-part",
        index = part.index,
        count = part.count,
        parent = part.parent
    )
}

/// The DM to a VPA who got a task (with the client, which the survey post leaves out).
pub fn assigned_dm(lang: Lang, config: &Config, task: &Task, part_of: Option<PartOf>) -> String {
    let mut text = t!(
        lang,
        "dm-assigned",
        task = task.id,
        area = format::area(lang, task.area),
        competence = format::competence(lang, &config.catalog, task.competence),
        hours = format::task_hours(lang, task.hours, task.recurring),
        deadline = format::date(lang, task.deadline),
        client = task.client.as_str()
    );
    let description = match (part_of, &task.description) {
        (Some(p), Some(d)) => Some(format!("{}: {d}", part(lang, p))),
        (Some(p), None) => Some(part(lang, p)),
        (None, d) => d.clone(),
    };
    if let Some(description) = description {
        text.push('\n');
        text.push_str(&t!(
            lang,
            "dm-assigned-description",
            description = cut(&description, 1200)
        ));
    }
    text.push('\n');
    text.push_str(&t!(lang, "dm-assigned-end"));
    text
}

/// What the system did to a task, as a history entry reads.
pub fn detail(lang: Lang, catalog: &Catalog, detail: &StatusDetail) -> String {
    match detail {
        StatusDetail::RoundOpened { kind } => match kind {
            RoundKind::First => t!(lang, "history-round-first"),
            RoundKind::Extended => t!(lang, "history-round-extended"),
            RoundKind::Related => t!(lang, "history-round-related"),
            RoundKind::Split => t!(lang, "history-round-split"),
        },
        StatusDetail::Escalated { cause } => {
            t!(
                lang,
                "history-escalated",
                cause = super::notice::cause_name(lang, *cause)
            )
        }
        StatusDetail::Unassigned => t!(lang, "history-unassigned"),
        StatusDetail::HandedOn {
            vpa,
            cause,
            cover_from,
            cover_until,
        } => match cover_from {
            Some(from) => t!(
                lang,
                "history-handed-on-cover",
                cover = super::dropout::cover(lang, *from, *cover_until),
                vpa = *vpa
            ),
            None => t!(lang, "history-handed-on", cause = cause.key(), vpa = *vpa),
        },
        StatusDetail::TakenOver { vpa } => t!(lang, "history-taken-over", vpa = *vpa),
        StatusDetail::CoverReturned { vpa } => t!(lang, "history-cover-returned", vpa = *vpa),
        StatusDetail::Split { parts } => {
            let ids: Vec<String> = parts.iter().map(|p| format!("#{p}")).collect();
            t!(lang, "history-split", parts = format::list(lang, &ids))
        }
        StatusDetail::Edited {
            deadline,
            hours,
            description,
            competence,
            new_client,
        } => {
            let mut changes = Vec::new();
            if let Some((before, after)) = deadline {
                changes.push(t!(
                    lang,
                    "history-edited-deadline",
                    before = format::date(lang, *before),
                    after = format::date(lang, *after)
                ));
            }
            if let Some((before, after)) = hours {
                changes.push(t!(
                    lang,
                    "history-edited-hours",
                    before = format::hours(lang, *before),
                    after = format::hours(lang, *after)
                ));
            }
            if let Some((before, after)) = competence {
                let name = |key: &str| {
                    catalog.by_key(key).map_or_else(
                        || key.to_string(),
                        |c| format::competence(lang, catalog, c.id),
                    )
                };
                changes.push(t!(
                    lang,
                    "history-edited-competence",
                    before = name(before),
                    after = name(after)
                ));
            }
            if let Some((before, after)) = new_client {
                changes.push(t!(
                    lang,
                    "history-edited-new-client",
                    before = format::yes_no(lang, *before),
                    after = format::yes_no(lang, *after)
                ));
            }
            if *description {
                changes.push(t!(lang, "history-edited-description"));
            }
            if changes.is_empty() {
                t!(lang, "history-unchanged")
            } else {
                format::list(lang, &changes)
            }
        }
    }
}

fn history_entry(lang: Lang, catalog: &Catalog, change: &StatusChange) -> String {
    let what = [
        change.detail.as_ref().map(|d| detail(lang, catalog, d)),
        change.note.as_ref().map(|n| cut(n, 200)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>();
    let note = if what.is_empty() {
        String::new()
    } else {
        format!(" ({})", what.join("; "))
    };
    format!(
        "{} {}{note}",
        format::day_month_time(lang, change.changed_at, true),
        format::status(lang, change.to_status)
    )
}

/// A task's details for `/task show`.
pub fn details(lang: Lang, config: &Config, d: &TaskDetails) -> String {
    let t = &d.task;
    let mut out = t!(
        lang,
        "task-details-head",
        task = t.id,
        status = format::status(lang, t.status)
    );
    out.push('\n');
    out.push_str(&t!(
        lang,
        "task-details-facts",
        client = cut(&t.client, 100),
        area = format::area(lang, t.area),
        competence = format::competence(lang, &config.catalog, t.competence),
        hours = format::task_hours(lang, t.hours, t.recurring),
        deadline_label = format::deadline_label(lang, t.recurring),
        deadline = format::date(lang, t.deadline),
        new_client = format::yes_no(lang, t.new_client)
    ));
    out.push('\n');
    if let Some(p) = d.part_of {
        out.push_str(&part(lang, p));
        out.push('\n');
    }
    if !d.parts.is_empty() {
        let parts: Vec<String> = d
            .parts
            .iter()
            .map(|(id, hours, status)| {
                t!(
                    lang,
                    "task-details-part-line",
                    task = *id,
                    hours = format::task_hours(lang, *hours, t.recurring),
                    status = format::status(lang, *status)
                )
            })
            .collect();
        out.push_str(&t!(
            lang,
            "task-details-parts",
            parts = format::list(lang, &parts)
        ));
        out.push('\n');
    }
    if let Some(description) = &t.description {
        out.push_str(&t!(
            lang,
            "task-details-description",
            description = cut(description, 600)
        ));
        out.push('\n');
    }
    if !d.assignees.is_empty() {
        let names: Vec<String> = d
            .assignees
            .iter()
            .map(|(id, name)| format!("{} ({name})", user_mention(*id)))
            .collect();
        out.push_str(&t!(
            lang,
            "task-details-assignees",
            assignees = format::list(lang, &names)
        ));
        out.push('\n');
    }
    for (i, (_, counts)) in d.rounds.iter().enumerate() {
        out.push_str(&t!(
            lang,
            "task-details-round",
            n = i + 1,
            counts = super::surveys::counts(lang, counts)
        ));
        out.push('\n');
    }
    let hand_overs = super::dropout::hand_over_lines(lang, &d.hand_overs);
    if !hand_overs.is_empty() {
        out.push_str(&hand_overs);
        out.push('\n');
    }
    let history: Vec<String> = d
        .history
        .iter()
        .map(|c| history_entry(lang, &config.catalog, c))
        .collect();
    out.push_str(&t!(
        lang,
        "task-details-history",
        entries = history.join(" → ")
    ));
    cut(&out, 2000)
}

/// The open demand, oldest first, by area.
pub fn list(lang: Lang, config: &Config, tasks: &[Task]) -> String {
    if tasks.is_empty() {
        return t!(lang, "task-list-empty");
    }
    let mut out = t!(lang, "task-list-head", count = tasks.len());
    for area in crate::domain::area::WorkArea::ALL {
        let in_area: Vec<_> = tasks.iter().filter(|t| t.area == area).collect();
        if in_area.is_empty() {
            continue;
        }
        out.push_str(&format!("\n__{}__", format::area(lang, area)));
        for t in in_area {
            out.push('\n');
            out.push_str(&t!(
                lang,
                "task-list-line",
                task = t.id,
                competence = format::competence(lang, &config.catalog, t.competence),
                hours = format::task_hours(lang, t.hours, t.recurring),
                deadline = format::date(lang, t.deadline),
                status = format::status(lang, t.status),
                since = format::day_month(lang, t.created_at)
            ));
        }
    }
    if out.chars().count() > 1950 {
        out = out.chars().take(1940).collect::<String>() + "\n…";
    }
    out
}
