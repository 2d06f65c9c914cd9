//! Every refusal as the user reads it: what was wrong and what is accepted. Text the user typed
//! is quoted back only shortened.

use super::catalog::{Lang, t};
use super::discord::cut;
use super::format;
use crate::config::Config;
use crate::service::Refusal;

/// Longest piece of the user's own input quoted back in a refusal.
const ECHO_CHARS: usize = 100;

/// The private message for a refusal.
pub fn text(lang: Lang, config: &Config, refusal: &Refusal) -> String {
    let echo = |input: &str| cut(input, ECHO_CHARS);
    match refusal {
        Refusal::OnlyCoordinators => t!(lang, "only-coordinators"),
        Refusal::OnlyManager => t!(lang, "only-manager"),
        Refusal::OnlyVpas => t!(lang, "only-vpas"),
        Refusal::OnlyVpasProfile => t!(lang, "only-vpas-profile"),
        Refusal::OnlyOwnProfile => t!(lang, "only-own-profile"),
        Refusal::OnlyInServer => t!(lang, "only-in-server"),
        Refusal::UnknownTask(task) => t!(lang, "task-unknown", task = *task),
        Refusal::WrongStatus { task, status } => t!(
            lang,
            "task-wrong-status",
            task = *task,
            status = format::status(lang, *status)
        ),
        Refusal::InvalidTask(problems) => super::tasks::invalid(lang, &config.catalog, problems),
        Refusal::EditNothing => t!(lang, "task-edit-nothing"),
        Refusal::NotAVpa(vpa) => t!(lang, "task-not-a-vpa", vpa = *vpa),
        Refusal::AlreadyAssigned { task, vpa } => {
            t!(lang, "task-already-assigned", task = *task, vpa = *vpa)
        }
        Refusal::NotAssigned { task, vpa } => {
            t!(lang, "task-not-assigned", task = *task, vpa = *vpa)
        }
        Refusal::CancelReasonInvalid { max } => t!(lang, "task-cancel-reason-invalid", max = *max),
        Refusal::ExternalNoteInvalid { max } => {
            t!(lang, "task-external-note-invalid", max = *max)
        }
        Refusal::NoteTooLong { max } => t!(lang, "note-too-long", max = *max),
        Refusal::NobodyForAction => t!(lang, "playbook-nobody"),
        Refusal::AlreadyDone => t!(lang, "playbook-already-done"),
        Refusal::AlreadySplit(task) => t!(lang, "playbook-already-split", task = *task),
        Refusal::EditUnchanged(task) => t!(lang, "edit-unchanged", task = *task),
        Refusal::EditSettled(task) => t!(lang, "edit-settled", task = *task),
        Refusal::EditExpired { task, minutes } => {
            t!(lang, "edit-expired", task = *task, minutes = *minutes)
        }
        Refusal::ChangedMeanwhile(task) => t!(lang, "edit-changed-meanwhile", task = *task),
        Refusal::NobodyNewlyFitting(task) => t!(lang, "newly-fitting-none", task = *task),
        Refusal::NobodyFurther(task) => t!(lang, "wave-none", task = *task),
        Refusal::OutdatedAnswer { task, vpa, reasons } => {
            super::edits::assign_outdated(lang, &config.catalog, task, *vpa, reasons).content
        }
        Refusal::NotLarge { task, large_hours } => t!(
            lang,
            "playbook-not-large",
            task = *task,
            large = format::hours(lang, *large_hours)
        ),
        Refusal::UnknownTemplate { name, known } => t!(
            lang,
            "template-unknown",
            name = echo(name),
            known = format::list(lang, known)
        ),
        Refusal::NoProfile(vpa) => t!(lang, "no-profile", vpa = *vpa),
        Refusal::ReportPeriodUnreadable { input } => {
            t!(lang, "report-period-unreadable", input = echo(input))
        }
        Refusal::ReportPeriodBackwards { input } => {
            t!(lang, "report-period-backwards", input = echo(input))
        }
        Refusal::ReportPeriodTooLong { input } => {
            t!(lang, "report-period-too-long", input = echo(input))
        }
        Refusal::ForgetActive(vpa) => t!(lang, "forget-active", vpa = *vpa),
        Refusal::WeeklyHoursInvalid { hours, max } => t!(
            lang,
            "weekly-hours-invalid",
            hours = format::hours(lang, *hours),
            min = format::hours(lang, 0.0),
            max = format::hours(lang, *max)
        ),
        Refusal::VtStopInvalid { input } => t!(lang, "vt-stop-invalid", input = echo(input)),
        Refusal::AbsenceInvalid { input } => t!(lang, "absence-invalid", input = echo(input)),
        Refusal::AbsenceOrder { from, until } => t!(
            lang,
            "absence-order",
            from = format::date(lang, *from),
            until = format::date(lang, *until)
        ),
        Refusal::DateInPast { day, today } => t!(
            lang,
            "date-in-past",
            day = format::date(lang, *day),
            today = format::date(lang, *today)
        ),
        Refusal::UnknownCompetence(unknown) => super::tasks::problem(
            lang,
            &config.catalog,
            &crate::domain::task::TaskProblem::UnknownCompetence(unknown.clone()),
        ),
        Refusal::LevelMissing => t!(lang, "level-missing"),
        Refusal::PickerUnknownValue { value } => {
            t!(lang, "picker-unknown-value", value = echo(value))
        }
        Refusal::PickerLevelNotChosen { competence } => t!(
            lang,
            "picker-level-not-chosen",
            competence = config.catalog.by_key(competence).map_or_else(
                || echo(competence),
                |c| super::format::competence(lang, &config.catalog, c.id)
            )
        ),
        Refusal::UnknownButton => t!(lang, "unknown-button"),
        Refusal::UnknownSurvey => t!(lang, "unknown-survey"),
        Refusal::LaterDateInvalid { input } => t!(lang, "later-date-invalid", input = echo(input)),
        Refusal::LaterDatePast { day, today } => t!(
            lang,
            "later-date-past",
            day = format::date(lang, *day),
            today = format::date(lang, *today)
        ),
        Refusal::BadArgument {
            input: Some(input),
            what,
        } => {
            t!(
                lang,
                "bad-argument",
                input = echo(input),
                what = cut(what, 200)
            )
        }
        Refusal::BadArgument { input: None, what } => {
            t!(lang, "bad-argument-unnamed", what = cut(what, 200))
        }
        Refusal::AlreadyHandled => t!(lang, "already-handled"),
    }
}

/// The generic message after an internal error.
pub fn internal_error(lang: Lang) -> String {
    t!(lang, "internal-error")
}

/// Another process held the database longer than the bot waits: nothing was saved.
pub fn database_busy(lang: Lang, busy: &crate::service::Busy) -> String {
    t!(lang, "database-busy", seconds = busy.waited.as_secs())
}
