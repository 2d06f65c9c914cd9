//! Tasks (Aufgaben): what a coordinator enters, how it is validated, and the status lifecycle.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};

use super::area::WorkArea;
use super::competence::{Catalog, CompetenceId, UnknownCompetence};
use super::dates::parse_date;
use super::escalation::EscalationCause;
use super::ids::{ClientId, DiscordId, TaskId};
use super::survey::RoundKind;
use super::utilization::Commitment;

/// Limits on what a coordinator may enter. Text limits follow what a Discord embed field holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaskLimits {
    pub min_hours: f64,
    pub max_hours: f64,
    pub max_client_chars: usize,
    pub max_description_chars: usize,
}

impl Default for TaskLimits {
    fn default() -> Self {
        TaskLimits {
            min_hours: 0.25,
            max_hours: 500.0,
            max_client_chars: 100,
            max_description_chars: 1024,
        }
    }
}

/// A task as typed by a coordinator, before validation.
#[derive(Debug, Clone, Default)]
pub struct TaskDraft {
    pub client: String,
    pub competence: String,
    pub hours: f64,
    pub deadline: String,
    /// New to the agency; derived from the client's history when not given.
    pub new_client: Option<bool>,
    /// Recurring: `hours` are per week and the deadline is when the work must start.
    pub recurring: bool,
    pub description: Option<String>,
}

/// What was wrong with a draft; each becomes one line of the German reply.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskProblem {
    EmptyClient,
    ClientTooLong {
        chars: usize,
        max: usize,
    },
    UnknownCompetence(UnknownCompetence),
    HoursOutOfRange {
        hours: f64,
        min: f64,
        max: f64,
    },
    DeadlineUnreadable {
        input: String,
    },
    DeadlineInPast {
        deadline: NaiveDate,
        today: NaiveDate,
    },
    DescriptionTooLong {
        chars: usize,
        max: usize,
    },
}

/// A validated task, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidTask {
    pub client: String,
    pub competence: CompetenceId,
    pub area: WorkArea,
    pub hours: f64,
    pub deadline: NaiveDate,
    pub new_client: Option<bool>,
    pub recurring: bool,
    pub description: Option<String>,
}

impl TaskDraft {
    /// Checks everything at once, so the coordinator sees every problem in one reply.
    pub fn validate(
        &self,
        catalog: &Catalog,
        today: NaiveDate,
        limits: &TaskLimits,
    ) -> Result<ValidTask, Vec<TaskProblem>> {
        let mut problems = Vec::new();
        let client = self.client.trim().to_string();
        let client_chars = client.chars().count();
        if client.is_empty() {
            problems.push(TaskProblem::EmptyClient);
        } else if client_chars > limits.max_client_chars {
            problems.push(TaskProblem::ClientTooLong {
                chars: client_chars,
                max: limits.max_client_chars,
            });
        }
        let competence = match catalog.resolve(&self.competence) {
            Ok(c) => Some((c.id, c.area)),
            Err(unknown) => {
                problems.push(TaskProblem::UnknownCompetence(unknown));
                None
            }
        };
        // `!(a <= x && x <= b)` so that NaN is refused too.
        if !(limits.min_hours <= self.hours && self.hours <= limits.max_hours) {
            problems.push(TaskProblem::HoursOutOfRange {
                hours: self.hours,
                min: limits.min_hours,
                max: limits.max_hours,
            });
        }
        let deadline = match parse_date(&self.deadline) {
            Some(d) if d < today => {
                problems.push(TaskProblem::DeadlineInPast { deadline: d, today });
                None
            }
            Some(d) => Some(d),
            None => {
                problems.push(TaskProblem::DeadlineUnreadable {
                    input: self.deadline.trim().to_string(),
                });
                None
            }
        };
        let description = self
            .description
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string);
        if let Some(d) = &description {
            let chars = d.chars().count();
            if chars > limits.max_description_chars {
                problems.push(TaskProblem::DescriptionTooLong {
                    chars,
                    max: limits.max_description_chars,
                });
            }
        }
        match (competence, deadline) {
            (Some((competence, area)), Some(deadline)) if problems.is_empty() => Ok(ValidTask {
                client,
                competence,
                area,
                hours: self.hours,
                deadline,
                new_client: self.new_client,
                recurring: self.recurring,
                description,
            }),
            _ => Err(problems),
        }
    }
}

/// What a task asks of a VPA, as the eligibility rules see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Offer {
    pub competence: CompetenceId,
    pub hours: f64,
    pub recurring: bool,
    pub deadline: NaiveDate,
    /// The client, to tell whether the task is a new client for a given VPA.
    pub client_id: Option<ClientId>,
    /// Marked as a new client: new for every VPA, whoever served the client before.
    pub new_client: bool,
}

impl Offer {
    /// Whether taking the task means a new client for `vpa`.
    pub fn is_new_client_for(&self, vpa: &crate::domain::vpa::Vpa) -> bool {
        self.new_client
            || self
                .client_id
                .is_none_or(|c| !vpa.clients_served.contains(&c))
    }

    /// The commitment the task would become if assigned on `day`.
    pub fn as_commitment(&self, day: NaiveDate) -> Commitment {
        if self.recurring {
            Commitment::Recurring {
                hours_per_week: self.hours,
                from: day,
                until: None,
            }
        } else {
            Commitment::OneOff {
                hours: self.hours,
                assigned_on: day,
                deadline: self.deadline,
            }
        }
    }
}

/// A stored task.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub id: TaskId,
    pub client_id: ClientId,
    pub client: String,
    pub competence: CompetenceId,
    pub area: WorkArea,
    pub hours: f64,
    pub recurring: bool,
    pub deadline: NaiveDate,
    /// New to the agency (shown to people).
    pub new_client: bool,
    pub description: Option<String>,
    pub status: TaskStatus,
    /// Set on the parts of a split task.
    pub parent_task_id: Option<TaskId>,
    pub created_by: Option<DiscordId>,
    pub created_at: DateTime<Utc>,
}

impl Task {
    /// What the task asks of a VPA.
    pub fn offer(&self) -> Offer {
        Offer {
            competence: self.competence,
            hours: self.hours,
            recurring: self.recurring,
            deadline: self.deadline,
            client_id: Some(self.client_id),
            new_client: self.new_client,
        }
    }

    /// Large tasks (from `large_hours`, the source's 20 h) may be split across several VPAs.
    pub fn is_large(&self, large_hours: f64) -> bool {
        self.hours >= large_hours
    }
}

/// One recorded change of a task's status (or something done to it).
#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    pub from_status: Option<TaskStatus>,
    pub to_status: TaskStatus,
    /// What a person typed (or, from older versions, a system note as it was written).
    pub note: Option<String>,
    /// What the system did.
    pub detail: Option<StatusDetail>,
    pub changed_at: DateTime<Utc>,
}

/// Which part of a split task a task is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartOf {
    pub parent: TaskId,
    /// 1-based.
    pub index: u32,
    pub count: u32,
}

/// Where a task stands. Changes are recorded with who and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskStatus {
    Open,
    Surveying,
    Assigned,
    Escalated,
    External,
    Done,
    Cancelled,
    /// Split into parts, which carry the demand from then on.
    Split,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 8] = [
        TaskStatus::Open,
        TaskStatus::Surveying,
        TaskStatus::Assigned,
        TaskStatus::Escalated,
        TaskStatus::External,
        TaskStatus::Done,
        TaskStatus::Cancelled,
        TaskStatus::Split,
    ];

    /// The stable key stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Surveying => "surveying",
            TaskStatus::Assigned => "assigned",
            TaskStatus::Escalated => "escalated",
            TaskStatus::External => "external",
            TaskStatus::Done => "done",
            TaskStatus::Cancelled => "cancelled",
            TaskStatus::Split => "split",
        }
    }

    /// The statuses of open demand: the task still needs a VPA. Queries take their status
    /// lists from here, so the rule is written once.
    pub const OPEN_DEMAND: [TaskStatus; 3] = [
        TaskStatus::Open,
        TaskStatus::Surveying,
        TaskStatus::Escalated,
    ];

    /// Whether the task still needs a VPA (counts as open demand).
    pub fn is_open_demand(self) -> bool {
        TaskStatus::OPEN_DEMAND.contains(&self)
    }

    /// Whether nothing can happen to the task any more.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            TaskStatus::External | TaskStatus::Done | TaskStatus::Cancelled | TaskStatus::Split
        )
    }

    /// The allowed transitions of the lifecycle.
    pub fn can_become(self, next: TaskStatus) -> bool {
        use TaskStatus::*;
        match self {
            Open => matches!(
                next,
                Surveying | Assigned | Escalated | External | Cancelled | Split
            ),
            Surveying => matches!(
                next,
                Surveying | Assigned | Escalated | External | Cancelled | Split
            ),
            Escalated => matches!(next, Surveying | Assigned | External | Cancelled | Split),
            // Unassigning the last VPA puts a task back into demand.
            Assigned => matches!(next, Done | Surveying | Escalated | Cancelled),
            External | Done | Cancelled | Split => false,
        }
    }
}

/// What the system did to a task besides (or with) a status change, stored with its history
/// entry as neutral data and said in the reader's language. Text a person typed (a cancel
/// reason) is kept as it was typed, apart from this.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum StatusDetail {
    /// A survey round of this kind opened.
    RoundOpened { kind: RoundKind },
    /// The task went to the manager for this reason.
    Escalated { cause: EscalationCause },
    /// The last VPA's assignment was taken back.
    Unassigned,
    /// `/task edit` changed these.
    Edited {
        #[serde(default)]
        deadline: Option<(NaiveDate, NaiveDate)>,
        #[serde(default)]
        hours: Option<(f64, f64)>,
        #[serde(default)]
        description: bool,
        /// Catalog keys, before → after (the area follows the competence).
        #[serde(default)]
        competence: Option<(String, String)>,
        #[serde(default)]
        new_client: Option<(bool, bool)>,
    },
    /// The task was split into these parts.
    Split { parts: Vec<TaskId> },
    /// Its holder dropped out: handed on (a recurring one covered from, until).
    HandedOn {
        vpa: DiscordId,
        cause: crate::domain::dropout::DropCause,
        #[serde(default)]
        cover_from: Option<NaiveDate>,
        #[serde(default)]
        cover_until: Option<NaiveDate>,
    },
    /// A VPA of the waitlist took the handed-on task over.
    TakenOver { vpa: DiscordId },
    /// A covered recurring task went back to its holder.
    CoverReturned { vpa: DiscordId },
}

impl StatusDetail {
    /// What an edit from `before` to `after` changed.
    pub fn edited(before: &Task, after: &Task, catalog: &Catalog) -> StatusDetail {
        let key = |c: CompetenceId| catalog.get(c).key.clone();
        StatusDetail::Edited {
            deadline: (before.deadline != after.deadline)
                .then_some((before.deadline, after.deadline)),
            hours: ((before.hours - after.hours).abs() > f64::EPSILON)
                .then_some((before.hours, after.hours)),
            description: before.description != after.description,
            competence: (before.competence != after.competence)
                .then(|| (key(before.competence), key(after.competence))),
            new_client: (before.new_client != after.new_client)
                .then_some((before.new_client, after.new_client)),
        }
    }

    /// Whether an edit changed nothing.
    pub fn is_unchanged_edit(&self) -> bool {
        matches!(
            self,
            StatusDetail::Edited {
                deadline: None,
                hours: None,
                description: false,
                competence: None,
                new_client: None,
            }
        )
    }
}

impl FromStr for TaskStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TaskStatus::ALL
            .into_iter()
            .find(|t| t.key() == s)
            .ok_or_else(|| format!("unknown task status {s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::competence::tests::shipped;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn draft() -> TaskDraft {
        TaskDraft {
            client: "Kanzlei Müller".into(),
            competence: "Recherche".into(),
            hours: 8.0,
            deadline: "05.12.2026".into(),
            ..TaskDraft::default()
        }
    }

    #[test]
    fn a_good_draft_validates() {
        let task = draft()
            .validate(&shipped(), d("2026-11-28"), &TaskLimits::default())
            .unwrap();
        assert_eq!(task.area, WorkArea::Backoffice);
        assert_eq!(task.deadline, d("2026-12-05"));
        assert_eq!(task.client, "Kanzlei Müller");
    }

    #[test]
    fn today_is_a_valid_deadline_yesterday_is_not() {
        let catalog = shipped();
        let mut t = draft();
        t.deadline = "2026-11-28".into();
        assert!(
            t.validate(&catalog, d("2026-11-28"), &TaskLimits::default())
                .is_ok()
        );
        t.deadline = "2026-11-27".into();
        let problems = t
            .validate(&catalog, d("2026-11-28"), &TaskLimits::default())
            .unwrap_err();
        assert!(matches!(problems[0], TaskProblem::DeadlineInPast { .. }));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let t = TaskDraft {
            client: "  ".into(),
            competence: "Newsleter".into(),
            hours: 0.1,
            deadline: "bald".into(),
            description: Some("x".repeat(1025)),
            ..TaskDraft::default()
        };
        let problems = t
            .validate(&shipped(), d("2026-11-28"), &TaskLimits::default())
            .unwrap_err();
        assert_eq!(problems.len(), 5, "{problems:?}");
        let catalog = shipped();
        assert!(
            problems
                .iter()
                .any(|p| matches!(p, TaskProblem::UnknownCompetence(u)
                if u.suggestions.iter().any(|s| catalog.get(*s).name == "Newsletter"))),
            "{problems:?}"
        );
    }

    #[test]
    fn hours_bounds_are_inclusive_and_nan_is_refused() {
        let catalog = shipped();
        for (hours, ok) in [
            (0.25, true),
            (500.0, true),
            (0.24, false),
            (500.5, false),
            (f64::NAN, false),
        ] {
            let t = TaskDraft { hours, ..draft() };
            assert_eq!(
                t.validate(&catalog, d("2026-11-28"), &TaskLimits::default())
                    .is_ok(),
                ok,
                "{hours}"
            );
        }
    }

    #[test]
    fn lifecycle_transitions() {
        use TaskStatus::*;
        assert!(Open.can_become(Surveying));
        assert!(Surveying.can_become(Escalated));
        assert!(Escalated.can_become(Assigned));
        assert!(Assigned.can_become(Done));
        assert!(!Done.can_become(Open));
        assert!(!Cancelled.can_become(Surveying));
        for s in TaskStatus::ALL {
            assert_eq!(s.key().parse::<TaskStatus>().unwrap(), s);
        }
    }
}
