//! One way to refuse: every use case returns [`Result`], whose error is either a [`Refusal`] —
//! the user asked for something we don't do, said in their language by `present` — or an
//! internal failure, logged with its cause chain while the user gets the generic message.

use chrono::NaiveDate;

use crate::domain::competence::UnknownCompetence;
use crate::domain::ids::{DiscordId, TaskId};
use crate::domain::task::{TaskProblem, TaskStatus};

/// Why a request was refused. Each variant is one clear, private message to the user.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    // Who may do what.
    /// Only coordinators and the manager.
    OnlyCoordinators,
    /// Only the VPA manager.
    OnlyManager,
    /// Only VPAs answer surveys.
    OnlyVpas,
    /// Profiles exist only for VPAs.
    OnlyVpasProfile,
    /// A VPA sees and changes only their own profile.
    OnlyOwnProfile,
    /// The command works only in the server.
    OnlyInServer,

    // Tasks.
    UnknownTask(TaskId),
    /// The task's status does not allow the action.
    WrongStatus {
        task: TaskId,
        status: TaskStatus,
    },
    /// The task draft (or edit) has these problems.
    InvalidTask(Vec<TaskProblem>),
    /// `/task edit` without anything to change.
    EditNothing,
    /// The VPA has no profile and cannot get tasks.
    NotAVpa(DiscordId),
    AlreadyAssigned {
        task: TaskId,
        vpa: DiscordId,
    },
    NotAssigned {
        task: TaskId,
        vpa: DiscordId,
    },
    /// A cancel reason must have 1 to `max` characters.
    CancelReasonInvalid {
        max: usize,
    },
    /// Giving a task to an external provider needs a note of 1 to `max` characters.
    ExternalNoteInvalid {
        max: usize,
    },
    /// A note to the manager has at most `max` characters.
    NoteTooLong {
        max: usize,
    },

    // The playbook.
    /// Nobody to act on for this option.
    NobodyForAction,
    /// Everyone this action reaches was reached already (a second press).
    AlreadyDone,
    /// The task was split already; its parts are tasks of their own.
    AlreadySplit(TaskId),

    // Edits and the buttons reaching more VPAs.
    /// The edit gives what the task has already.
    EditUnchanged(TaskId),
    /// The edit waiting for a confirmation was confirmed or called off already.
    EditSettled(TaskId),
    /// The edit waited longer than `minutes` for its confirmation.
    EditExpired {
        task: TaskId,
        minutes: i64,
    },
    /// The task changed while the edit was being weighed.
    ChangedMeanwhile(TaskId),
    /// Nobody the edits made fit is left to ask.
    NobodyNewlyFitting(TaskId),
    /// Every fitting VPA was asked already.
    NobodyFurther(TaskId),
    /// The VPA's answer was outdated by an edit: assigned only when confirmed.
    OutdatedAnswer {
        task: Box<crate::domain::task::Task>,
        vpa: DiscordId,
        reasons: Vec<crate::domain::reevaluation::Mismatch>,
    },
    /// Only large tasks are split.
    NotLarge {
        task: TaskId,
        large_hours: f64,
    },
    UnknownTemplate {
        name: String,
        known: Vec<String>,
    },

    // Reports.
    /// Neither a number of weeks nor two dates.
    ReportPeriodUnreadable {
        input: String,
    },
    /// The end before the start.
    ReportPeriodBackwards {
        input: String,
    },
    /// Zero weeks, or longer than two years.
    ReportPeriodTooLong {
        input: String,
    },

    // Profiles.
    NoProfile(DiscordId),
    /// Erasing a VPA who is still active (their tasks are handed on by deactivating first).
    ForgetActive(DiscordId),
    WeeklyHoursInvalid {
        hours: f64,
        max: f64,
    },
    /// A VT-Stop end that is no date (nor "aus").
    VtStopInvalid {
        input: String,
    },
    /// An absence day that is no date (nor "aus").
    AbsenceInvalid {
        input: String,
    },
    /// An absence that ends before it starts.
    AbsenceOrder {
        from: NaiveDate,
        until: NaiveDate,
    },
    /// A profile date in the past.
    DateInPast {
        day: NaiveDate,
        today: NaiveDate,
    },
    UnknownCompetence(UnknownCompetence),
    /// Adding a competence needs a level.
    LevelMissing,
    /// The picker got a value none of its menus offers (a forged or outdated select).
    PickerUnknownValue {
        value: String,
    },
    /// A level for a competence the profile does not hold (not chosen, or removed since).
    PickerLevelNotChosen {
        competence: String,
    },

    // Survey components.
    /// A button, select or form this bot does not know (any more).
    UnknownButton,
    /// The survey of this component no longer exists.
    UnknownSurvey,
    /// A "later, from" date that is no date.
    LaterDateInvalid {
        input: String,
    },
    /// A "later, from" date in the past.
    LaterDatePast {
        day: NaiveDate,
        today: NaiveDate,
    },

    // Anything typed.
    /// Discord passed a value we could not read (`what`: what is accepted).
    BadArgument {
        input: Option<String>,
        what: String,
    },
    /// The same interaction was handled before (Discord delivered it twice).
    AlreadyHandled,
}

/// What a use case can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request was refused; nothing was written.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// Something went wrong on our side; nothing was half-written.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Error {
        Error::Refused(refusal)
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Error {
        Error::Internal(e.into())
    }
}

impl From<crate::db::tasks::StatusError> for Error {
    fn from(e: crate::db::tasks::StatusError) -> Error {
        Error::Internal(e.into())
    }
}

/// The result of a use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Shorthand for refusing.
pub fn refuse<T>(refusal: Refusal) -> Result<T> {
    Err(Error::Refused(refusal))
}
