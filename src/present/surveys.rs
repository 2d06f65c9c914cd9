//! Surveys as Discord shows them: the survey post with its buttons, the decline select and the
//! forms, the private confirmations of answers, and the coordinator's `/survey status`.

use super::catalog::{Lang, t};
use super::custom_id::{CustomId, FROM_INPUT, NOTE_INPUT, SurveyAction};
use super::discord::{
    Button, Choice, Embed, Form, Input, Message, Row, Style, cut, limits, user_mention,
};
use super::format;
use crate::config::Config;
use chrono::NaiveDate;

use crate::domain::ids::{DiscordId, RoundId, TaskId};
use crate::domain::survey::{Answer, AnswerCounts, DeclineReason};
use crate::domain::task::TaskStatus;
use crate::service::answers::AnswerOutcome;
use crate::service::survey::{AnswerLine, SurveyPostView, SurveyStatus};

/// The answer figures under a survey post.
pub fn counts(lang: Lang, c: &AnswerCounts) -> String {
    t!(
        lang,
        "survey-counts",
        accepted = c.accepted,
        declined = c.declined,
        later = c.later,
        open = c.no_answer,
        surveyed = c.surveyed
    )
}

fn headline(lang: Lang, view: &SurveyPostView, area: &str, competence: &str) -> String {
    let task = view.task_id;
    match view.status {
        TaskStatus::Assigned | TaskStatus::Done => {
            t!(
                lang,
                "survey-headline-assigned",
                task = task,
                area = area,
                competence = competence
            )
        }
        TaskStatus::Cancelled => {
            t!(
                lang,
                "survey-headline-cancelled",
                task = task,
                area = area,
                competence = competence
            )
        }
        TaskStatus::Split => {
            t!(
                lang,
                "survey-headline-split",
                task = task,
                area = area,
                competence = competence
            )
        }
        TaskStatus::External => {
            t!(
                lang,
                "survey-headline-external",
                task = task,
                area = area,
                competence = competence
            )
        }
        _ if view.closed => format!(
            "{}\n{}",
            t!(
                lang,
                "survey-headline-closed",
                task = task,
                area = area,
                competence = competence
            ),
            t!(lang, "survey-headline-closed-more")
        ),
        _ => format!(
            "{}\n{}",
            t!(
                lang,
                "survey-headline-open",
                task = task,
                area = area,
                competence = competence
            ),
            t!(lang, "survey-headline-open-more")
        ),
    }
}

/// A part of a split task says so before its description.
pub fn description(lang: Lang, view: &SurveyPostView) -> Option<String> {
    let part = view.part.map(|p| {
        t!(
            lang,
            "task-details-part",
            index = p.index,
            count = p.count,
            parent = p.parent
        )
    });
    let described = match (part, &view.description) {
        (Some(part), Some(d)) => Some(format!("{part}: {d}")),
        (Some(part), None) => Some(part),
        (None, d) => d.clone(),
    };
    let hand_over = view.hand_over.map(|cover| match cover {
        Some((from, until)) => t!(
            lang,
            "survey-hand-over-cover",
            cover = super::dropout::cover(lang, from, until)
        ),
        None => t!(lang, "survey-hand-over"),
    });
    match (hand_over, described) {
        (Some(h), Some(d)) => Some(format!("{h}\n{d}")),
        (h, d) => h.or(d),
    }
}

/// How many VPAs one survey post can mention in `lang`: Discord's content holds 2,000
/// characters, and the headline of the longest competence name and task number takes its
/// share; a mention of the largest snowflake is 22 characters plus a space. At most 100, the
/// most users a message may ping. Checked against `survey.max_mentions` at start, since a
/// post must name everyone it surveys.
pub fn mentions_that_fit(lang: Lang, config: &Config) -> usize {
    let longest_headline = config
        .catalog
        .all()
        .iter()
        .flat_map(|c| TaskStatus::ALL.map(|status| (c, status)))
        .map(|(c, status)| {
            let view = SurveyPostView {
                round_id: RoundId(i64::MAX),
                task_id: TaskId(i64::MAX),
                area: c.area,
                competence: c.id,
                hours: 0.0,
                recurring: false,
                deadline: NaiveDate::MIN,
                new_client: true,
                description: None,
                part: None,
                mentions: Vec::new(),
                counts: AnswerCounts::default(),
                status,
                closed: false,
                post: None,
                hand_over: None,
                changed: None,
            };
            let area = format::area(lang, c.area);
            let competence = format::competence(lang, &config.catalog, c.id);
            headline(lang, &view, &area, &competence).chars().count()
        })
        .max()
        .unwrap_or(0);
    let mention = user_mention(DiscordId(i64::MAX as u64)).chars().count() + 1;
    (limits::CONTENT.saturating_sub(longest_headline) / mention).min(limits::MENTIONS)
}

/// Renders a survey post. Open rounds mention their VPAs and carry the three buttons.
pub fn post(lang: Lang, config: &Config, view: &SurveyPostView) -> Message {
    // Answers stay welcome after the window closed (they update the manager's notice).
    let open = view.status.is_open_demand();
    let area = format::area(lang, view.area);
    let competence = format::competence(lang, &config.catalog, view.competence);
    let mut content = headline(lang, view, &area, &competence);
    if !view.mentions.is_empty() {
        let mentions: Vec<String> = view.mentions.iter().map(|m| user_mention(*m)).collect();
        content.push('\n');
        content.push_str(&mentions.join(" "));
    }
    let deadline_label = if view.recurring {
        t!(lang, "label-start-latest")
    } else {
        t!(lang, "label-deadline")
    };
    let mut embed = Embed::titled(t!(lang, "survey-title", task = view.task_id))
        .field(t!(lang, "survey-field-area"), area, true)
        .field(t!(lang, "survey-field-competence"), competence, true)
        .field(
            t!(lang, "survey-field-hours"),
            format::task_hours(lang, view.hours, view.recurring),
            true,
        )
        .field(deadline_label, format::date(lang, view.deadline), true)
        .field(
            t!(lang, "survey-field-new-client"),
            format::yes_no(lang, view.new_client),
            true,
        )
        .footer(counts(lang, &view.counts));
    if let Some(description) = description(lang, view) {
        embed = embed.field(t!(lang, "survey-field-description"), description, false);
    }
    if let Some(change) = view.changed.as_ref().filter(|c| !c.is_unchanged_edit()) {
        embed = embed.field(
            t!(lang, "survey-field-changed"),
            super::tasks::detail(lang, &config.catalog, change),
            false,
        );
    }
    let components = if open {
        let button = |action, label: String, style| Button {
            custom_id: CustomId::survey(action, view.round_id).encode(),
            label,
            style,
        };
        vec![Row::Buttons(vec![
            button(
                SurveyAction::Accept,
                t!(lang, "button-accept"),
                Style::Success,
            ),
            button(
                SurveyAction::Decline,
                t!(lang, "button-decline"),
                Style::Danger,
            ),
            button(
                SurveyAction::Later,
                t!(lang, "button-later"),
                Style::Secondary,
            ),
        ])]
    } else {
        Vec::new()
    };
    Message {
        content,
        embeds: vec![embed],
        components,
        users: if open {
            view.mentions.clone()
        } else {
            Vec::new()
        },
        roles: Vec::new(),
        files: Vec::new(),
    }
}

/// The private select of decline reasons.
pub fn choose_reason(lang: Lang, round: RoundId) -> Message {
    let choices = DeclineReason::CHOOSABLE
        .into_iter()
        .map(|r| Choice {
            label: format::reason(lang, r),
            value: r.key().to_string(),
            default: false,
        })
        .collect();
    Message {
        content: t!(lang, "choose-reason"),
        components: vec![Row::Select {
            custom_id: CustomId::survey(SurveyAction::Reason, round).encode(),
            placeholder: t!(lang, "select-reason-placeholder"),
            choices,
            multi: false,
        }],
        ..Message::default()
    }
}

/// The button that opens the note form.
pub fn add_note_button(lang: Lang, round: RoundId) -> Row {
    Row::Buttons(vec![Button {
        custom_id: CustomId::survey(SurveyAction::AddNote, round).encode(),
        label: t!(lang, "button-add-note"),
        style: Style::Secondary,
    }])
}

/// Most characters of a decline note (the form enforces it; the bot checks it again).
pub const MAX_NOTE_CHARS: usize = 500;

/// When a form could not be the first answer (the interaction was acknowledged meanwhile).
pub fn form_too_late(lang: Lang) -> Message {
    Message::text(t!(lang, "form-too-late"))
}

/// The form for a decline note (optional text).
pub fn note_modal(lang: Lang, round: RoundId) -> Form {
    Form {
        custom_id: CustomId::survey(SurveyAction::NoteModal, round).encode(),
        title: t!(lang, "modal-note-title"),
        inputs: vec![Input {
            custom_id: NOTE_INPUT.into(),
            label: t!(lang, "modal-note-label"),
            paragraph: true,
            placeholder: None,
            required: false,
            max_length: MAX_NOTE_CHARS as u16,
        }],
    }
}

/// The form asking from which day a VPA could take the task.
pub fn later_modal(lang: Lang, round: RoundId) -> Form {
    Form {
        custom_id: CustomId::survey(SurveyAction::LaterModal, round).encode(),
        title: t!(lang, "modal-later-title"),
        inputs: vec![Input {
            custom_id: FROM_INPUT.into(),
            label: t!(lang, "modal-later-label"),
            paragraph: false,
            placeholder: Some(t!(lang, "modal-later-placeholder")),
            required: true,
            max_length: 10,
        }],
    }
}

/// The private confirmation of an answer.
pub fn answer_confirmed(lang: Lang, answer: &Answer, task: TaskId, surveyed: bool) -> String {
    let base = match answer {
        Answer::Accept => t!(lang, "answer-accepted", task = task),
        Answer::Decline { reason, note: None } => {
            t!(
                lang,
                "answer-declined",
                task = task,
                reason = format::reason(lang, *reason)
            )
        }
        Answer::Decline {
            reason,
            note: Some(note),
        } => t!(
            lang,
            "answer-declined-note",
            task = task,
            reason = format::reason(lang, *reason),
            note = cut(note, 500)
        ),
        Answer::Later { from: Some(day) } => {
            t!(
                lang,
                "answer-later-from",
                task = task,
                from = format::date(lang, *day)
            )
        }
        Answer::Later { from: None } => t!(lang, "answer-later", task = task),
    };
    if surveyed {
        base
    } else {
        format!("{base} {}", t!(lang, "answer-not-surveyed"))
    }
}

/// The private text for an answer's outcome.
pub fn outcome(lang: Lang, outcome: &AnswerOutcome, answer: &Answer) -> String {
    match outcome {
        AnswerOutcome::Recorded {
            task_id,
            changed: true,
            surveyed,
        } => answer_confirmed(lang, answer, *task_id, *surveyed),
        AnswerOutcome::Recorded {
            task_id,
            changed: false,
            ..
        } => t!(lang, "answer-unchanged", task = *task_id),
        AnswerOutcome::TaskClosed { task_id, status } => t!(
            lang,
            "answer-task-closed",
            task = *task_id,
            status = format::status(lang, *status)
        ),
        AnswerOutcome::Duplicate => t!(lang, "already-handled"),
        AnswerOutcome::UnknownRound | AnswerOutcome::Withdrawn { .. } | AnswerOutcome::Ignored => {
            t!(lang, "unknown-survey")
        }
    }
}

/// The coordinator's view of a task's survey answers.
pub fn status(lang: Lang, config: &Config, s: &SurveyStatus) -> Message {
    let who = |l: &AnswerLine| {
        if l.surveyed {
            user_mention(l.vpa)
        } else {
            format!(
                "{} {}",
                user_mention(l.vpa),
                t!(lang, "status-not-surveyed")
            )
        }
    };
    let mut out = t!(
        lang,
        "status-head",
        task = s.task.id,
        area = format::area(lang, s.task.area),
        competence = format::competence(lang, &config.catalog, s.task.competence),
        hours = format::task_hours(lang, s.task.hours, s.task.recurring),
        status = format::status(lang, s.task.status),
        rounds = s.rounds
    );
    let mut push = |line: String| {
        out.push('\n');
        out.push_str(&line);
    };
    // An answer an edit outdated says so on its line.
    let outdated = |l: &AnswerLine| {
        s.outdated.get(&l.vpa).map_or_else(String::new, |reasons| {
            format!(
                " {}",
                super::edits::outdated_marker(lang, &config.catalog, &s.task, reasons)
            )
        })
    };
    push(t!(lang, "status-accepted", count = s.accepted.len()));
    for l in &s.accepted {
        push(
            t!(
                lang,
                "status-line-utilization",
                who = who(l),
                utilization = format::utilization(lang, l.utilization)
            ) + &outdated(l),
        );
    }
    push(t!(lang, "status-later", count = s.later.len()));
    for l in &s.later {
        let line = match &l.answer {
            Some(Answer::Later { from: Some(day) }) => {
                t!(
                    lang,
                    "status-line-later-from",
                    who = who(l),
                    from = format::date(lang, *day)
                )
            }
            _ => t!(lang, "status-line-later-open", who = who(l)),
        };
        push(line + &outdated(l));
    }
    push(t!(lang, "status-declined", count = s.declined.len()));
    for l in &s.declined {
        if let Some(Answer::Decline { reason, note }) = &l.answer {
            let reason = format::reason(lang, *reason);
            push(match note {
                Some(note) => t!(
                    lang,
                    "status-line-declined-note",
                    who = who(l),
                    reason = reason,
                    note = cut(note, 200)
                ),
                None => t!(lang, "status-line-declined", who = who(l), reason = reason),
            });
        }
    }
    push(t!(lang, "status-no-answer", count = s.no_answer.len()));
    let waiting: Vec<String> = s.no_answer.iter().map(who).collect();
    if !waiting.is_empty() {
        push(waiting.join(" "));
    }
    if out.chars().count() > 1900 {
        out = out.chars().take(1890).collect::<String>() + "\n…";
    }
    let mut components: Vec<Row> = assign_select(lang, s).into_iter().collect();
    let mut buttons = vec![left_out_button_alone(lang, s.task.id)];
    if s.fitting_unasked > 0 {
        buttons.push(super::edits::further_button(
            lang,
            s.task.id,
            s.fitting_unasked,
        ));
    }
    if s.newly_fitting > 0 {
        if let Row::Buttons(b) =
            super::edits::newly_fitting_button(lang, s.task.id, s.newly_fitting)
        {
            buttons.extend(b);
        }
    }
    components.push(Row::Buttons(buttons));
    Message {
        content: out,
        components,
        ..Message::default()
    }
}

/// The select to assign a task: who accepted first, then "later", then the rest (25 at most).
fn assign_select(lang: Lang, status: &SurveyStatus) -> Option<Row> {
    let groups = [
        ("✅", &status.accepted),
        ("⏳", &status.later),
        ("…", &status.no_answer),
        ("❌", &status.declined),
    ];
    let choices: Vec<Choice> = groups
        .iter()
        .flat_map(|(mark, lines)| lines.iter().map(move |l| (mark, l)))
        .take(25)
        .map(|(mark, l)| {
            let name = if l.name.is_empty() {
                l.vpa.to_string()
            } else {
                l.name.clone()
            };
            let label = t!(
                lang,
                "select-assign-option",
                mark = *mark,
                name = name,
                utilization = format::utilization(lang, l.utilization)
            );
            Choice {
                label,
                value: l.vpa.to_string(),
                default: false,
            }
        })
        .collect();
    if choices.is_empty() || !status.task.status.is_open_demand() {
        return None;
    }
    Some(Row::Select {
        custom_id: CustomId::Assign {
            task: status.task.id,
        }
        .encode(),
        placeholder: t!(lang, "select-assign-placeholder"),
        choices,
        multi: false,
    })
}

/// The button that lists who was left out of a task's surveys (on `/survey status` and
/// `/task show`).
pub fn left_out_button(lang: Lang, task: TaskId) -> Row {
    Row::Buttons(vec![left_out_button_alone(lang, task)])
}

fn left_out_button_alone(lang: Lang, task: TaskId) -> super::discord::Button {
    super::discord::Button {
        custom_id: CustomId::LeftOut { task }.encode(),
        label: t!(lang, "button-left-out"),
        style: super::discord::Style::Secondary,
    }
}

/// Who was left out of a task's surveys and why: the counts first, then the people per reason
/// (cut to fit one message).
pub fn left_out(lang: Lang, l: &crate::service::survey::LeftOut) -> String {
    use crate::domain::eligibility::ExclusionKind as K;
    let mut out = t!(
        lang,
        "left-out-head",
        task = l.task_id,
        holders = l.holders,
        without = l.without_competence
    );
    let names = |people: &[DiscordId]| {
        let shown: Vec<String> = people.iter().take(15).map(|v| user_mention(*v)).collect();
        let more = people.len().saturating_sub(shown.len());
        if more > 0 {
            format!(
                "{} {}",
                shown.join(" "),
                t!(lang, "left-out-more", count = more)
            )
        } else {
            shown.join(" ")
        }
    };
    if !l.fitting_unasked.is_empty() {
        out.push('\n');
        out.push_str(&t!(
            lang,
            "left-out-fitting",
            count = l.fitting_unasked.len(),
            people = names(&l.fitting_unasked)
        ));
    }
    for (kind, people) in &l.by_reason {
        let reason = match kind {
            K::VtStop => t!(lang, "left-out-vt-stop"),
            K::Absent => t!(lang, "left-out-absent"),
            K::NoRoom => t!(lang, "left-out-no-room"),
            K::DoesNotWantNewClients => t!(lang, "exclusion-no-new-clients"),
            K::DoesNotWantTasks => t!(lang, "exclusion-no-tasks"),
            K::NoWeeklyHours => t!(lang, "exclusion-no-weekly-hours"),
            K::Inactive => t!(lang, "unavailable-deactivated"),
            K::NoCompetence => t!(lang, "reason-missing-competence"),
        };
        out.push('\n');
        out.push_str(&t!(
            lang,
            "left-out-line",
            reason = reason,
            count = people.len(),
            people = names(people)
        ));
    }
    cut(&out, 2000)
}
