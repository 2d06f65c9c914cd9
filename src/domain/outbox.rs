//! What the bot must still say in Discord, as data — never as finished text. The outbox stores
//! an [`Intent`] in the transaction of the change that causes it; the delivery worker renders
//! it when it goes out (from the current state where there is one, in the recipient's
//! language, within Discord's limits), so a queued item follows a later layout or language
//! change too.
//!
//! The JSON shapes are stored in the database: a variant is never renamed. Rows queued before
//! intents carried typed views held finished German text; they stay readable as the `Legacy…`
//! variants and are delivered as they were written.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::dropout::DropCause;

use super::area::WorkArea;
use super::escalation::PingCause;
use super::ids::{DiscordId, OfferId, RoundId, TaskId};
use super::pool_health::{AreaHealth, PoolHealth};

/// Something to post, edit or send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Intent {
    /// Post the survey of a round in the surveys channel.
    SurveyPost { round_id: RoundId },
    /// Add the bot's ✅ ❌ ⏳ to a round's post.
    SurveyReactions { round_id: RoundId },
    /// Re-render a round's post (live counts, "vergeben").
    RefreshSurveyPost { round_id: RoundId },
    /// Post or edit the task's escalation notice in the manager channel.
    EscalationNotice { task_id: TaskId },
    /// A reply to the task's notice that pings the manager again.
    EscalationPing { task_id: TaskId, cause: PingCause },
    /// A direct message to one member.
    Direct {
        to: DiscordId,
        message: DirectMessage,
    },
    /// A pool-health notice in the manager channel.
    PoolWatch(PoolNotice),
    /// The weekly digest due on `due_on` in the manager channel, rendered with its charts at
    /// delivery; `late` after a downtime over its time.
    WeeklyDigest { due_on: NaiveDate, late: bool },
    /// What the set-up check found at start, in the manager channel.
    SetupProblems {
        problems: Vec<super::setup::SetupProblem>,
    },
    /// Tells the manager channel that an item could not be delivered (never its text: it may
    /// hold a client's name).
    DeliveryFailed {
        outbox_id: i64,
        /// What the item was (`survey_post`, `direct`, …).
        kind: String,
        /// Discord's HTTP status and error code, if it answered.
        status: Option<u16>,
        code: Option<u32>,
    },
    /// A direct message queued with its finished text (before typed views).
    #[serde(rename = "dm")]
    LegacyDm {
        user_id: u64,
        text: String,
        #[serde(default)]
        buttons: Vec<LegacyButton>,
    },
    /// A newbie nudge queued with its finished text (before typed views).
    #[serde(rename = "nudge")]
    LegacyNudge { user_id: u64, text: String },
    /// A channel message queued with its finished text (before typed views).
    #[serde(rename = "channel_message")]
    LegacyChannelMessage {
        channel_id: u64,
        text: String,
        #[serde(default)]
        mention_users: Vec<u64>,
        #[serde(default)]
        mention_roles: Vec<u64>,
    },
}

impl Intent {
    /// What an item is, as a stable key (logs, the manager's notice, `vpa-desk outbox`) — never
    /// its text: that may hold a client's name.
    pub fn kind(&self) -> &'static str {
        match self {
            Intent::SurveyPost { .. } => "survey_post",
            Intent::SurveyReactions { .. } => "survey_reactions",
            Intent::RefreshSurveyPost { .. } => "refresh_survey_post",
            Intent::EscalationNotice { .. } => "escalation_notice",
            Intent::EscalationPing { .. } => "escalation_ping",
            Intent::Direct { .. } => "direct",
            Intent::PoolWatch(_) => "pool_watch",
            Intent::SetupProblems { .. } => "setup_problems",
            Intent::WeeklyDigest { .. } => "weekly_digest",
            Intent::DeliveryFailed { .. } => "delivery_failed",
            Intent::LegacyDm { .. } => "legacy_dm",
            Intent::LegacyNudge { .. } => "legacy_nudge",
            Intent::LegacyChannelMessage { .. } => "legacy_channel_message",
        }
    }

    /// The task an item is about, where it names one directly.
    pub fn task(&self) -> Option<TaskId> {
        match self {
            Intent::EscalationNotice { task_id } | Intent::EscalationPing { task_id, .. } => {
                Some(*task_id)
            }
            Intent::Direct { message, .. } => message.task(),
            _ => None,
        }
    }
}

/// A button of a legacy DM, as it was stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegacyButton {
    pub custom_id: String,
    pub label: String,
}

/// What a direct message says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DirectMessage {
    /// To the coordinator who created a task: a VPA accepted.
    AcceptedForCoordinator {
        task_id: TaskId,
        vpa: DiscordId,
        name: String,
        surveyed: bool,
    },
    /// After a quick ❌: why? (with a button to give the reason)
    AskDeclineReason { task_id: TaskId, round_id: RoundId },
    /// After a quick ⏳: from when? (with a button to give the date)
    AskLaterDate { task_id: TaskId, round_id: RoundId },
    /// To a VPA who got a task: its details with the client's name.
    Assigned { task_id: TaskId },
    /// To a VPA whose task was taken back.
    Unassigned { task_id: TaskId },
    /// To the creating coordinator: the window closed with acceptances but nobody assigned.
    AcceptedButUnassigned { task_id: TaskId, accepted: u32 },
    /// To a VPA whose "keine Kapazität" contradicts their schedule: maybe after all? The
    /// accept button answers in the round where they declined.
    ReaskDecliner {
        task_id: TaskId,
        round_id: Option<RoundId>,
    },
    /// To a newbie: please complete your competences (basic knowledge counts) — from the
    /// playbook of a task in `area`.
    NewbieNudge { area: WorkArea },
    /// To a newbie whose profile is incomplete: the weekly nudge, saying what is missing as it
    /// is at delivery (none once it is complete).
    ProfileNudge {},
    /// To a VPA on the waitlist of a handed-on task: take it over? (buttons; no client name)
    HandOnOffer {
        offer: OfferId,
        task_id: TaskId,
        closes_at: DateTime<Utc>,
        /// A recurring cover: from, until (none: until the holder is back).
        #[serde(default)]
        cover: Option<(NaiveDate, Option<NaiveDate>)>,
    },
    /// To the coordinator of tasks a VPA gave up: which, and what the bot did for each.
    HandedOnForCoordinator {
        vpa: DiscordId,
        cause: DropCause,
        tasks: Vec<HandedOnItem>,
    },
    /// To a VPA whose absence or deactivation someone else saved: which tasks were handed on.
    HandedOnForVpa {
        cause: DropCause,
        tasks: Vec<HandedOnItem>,
    },
    /// To the coordinator: a VPA of the waitlist took over a handed-on task.
    TakenOverForCoordinator {
        task_id: TaskId,
        vpa: DiscordId,
        holder: DiscordId,
    },
    /// To a VPA back from an absence: a recurring task covered meanwhile is theirs again.
    CoverBack { task_id: TaskId },
    /// To a VPA who accepted or said "later": an edit of the task no longer fits them, and why
    /// (their answer shows as outdated to the coordinator).
    AnswerOutdated {
        task_id: TaskId,
        reasons: Vec<crate::domain::reevaluation::Mismatch>,
    },
    /// To a VPA holding a task: it was edited (what changed), and — if it no longer fits them —
    /// why; the coordinator decides then.
    HeldTaskChanged {
        task_id: TaskId,
        change: crate::domain::task::StatusDetail,
        unfit: Vec<crate::domain::reevaluation::Mismatch>,
    },
    /// To the coordinator of a task: a DM about it could not reach this member (Discord refuses
    /// DMs to them); they were asked in the fallback channel to open their DMs.
    DmRefused { task_id: TaskId, member: DiscordId },
}

/// One handed-on task in a DM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandedOnItem {
    pub task_id: TaskId,
    /// A recurring cover: from, until (none: until the holder is back).
    pub cover: Option<(NaiveDate, Option<NaiveDate>)>,
    pub step: HandOnStep,
}

/// What the bot did for a handed-on task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum HandOnStep {
    /// Offered to an earlier accepter.
    Offered { to: DiscordId },
    /// Nobody on the waitlist: a new round asks the fitting VPAs.
    RoundOpened { surveyed: u32 },
    /// Nobody fits: it went to the manager.
    NobodyFits,
}

impl DirectMessage {
    /// The task it is about, if any.
    pub fn task(&self) -> Option<TaskId> {
        match self {
            DirectMessage::AcceptedForCoordinator { task_id, .. }
            | DirectMessage::AskDeclineReason { task_id, .. }
            | DirectMessage::AskLaterDate { task_id, .. }
            | DirectMessage::Assigned { task_id }
            | DirectMessage::Unassigned { task_id }
            | DirectMessage::AcceptedButUnassigned { task_id, .. }
            | DirectMessage::ReaskDecliner { task_id, .. }
            | DirectMessage::HandOnOffer { task_id, .. }
            | DirectMessage::TakenOverForCoordinator { task_id, .. }
            | DirectMessage::CoverBack { task_id }
            | DirectMessage::AnswerOutdated { task_id, .. }
            | DirectMessage::HeldTaskChanged { task_id, .. }
            | DirectMessage::DmRefused { task_id, .. } => Some(*task_id),
            DirectMessage::NewbieNudge { .. }
            | DirectMessage::ProfileNudge {}
            | DirectMessage::HandedOnForCoordinator { .. }
            | DirectMessage::HandedOnForVpa { .. } => None,
        }
    }

    /// Whether a refused DM is replaced by a mention in the newbies channel (it carries no
    /// private data).
    pub fn falls_back_to_newbies_channel(&self) -> bool {
        self.is_nudge()
    }

    /// Whether it is one of the bot's own nudges to newbies, which wait for the end of quiet
    /// hours (everything else answers what somebody just did, or cannot wait).
    pub fn is_nudge(&self) -> bool {
        matches!(
            self,
            DirectMessage::NewbieNudge { .. } | DirectMessage::ProfileNudge {}
        )
    }
}

/// A pool-health notice, with the figures at the moment it was decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolNotice {
    pub kind: PoolNoticeKind,
    pub health: PoolSnapshot,
    /// Who recently became unavailable for new clients, and why.
    #[serde(default)]
    pub unavailable: Vec<BecameUnavailable>,
}

/// Which pool-health notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolNoticeKind {
    /// The pool dropped below its minimum (pings the manager role).
    Alert,
    /// Still below, a day later.
    Reminder,
    /// Back at or above the minimum.
    Recovered,
}

/// One recent change that made a VPA unavailable for new clients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BecameUnavailable {
    pub vpa: DiscordId,
    pub name: String,
    pub why: Unavailability,
}

/// Why a VPA is no longer available for new clients. An absence never says why: no reason
/// is ever asked or stored (it may be health data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "because", rename_all = "snake_case")]
pub enum Unavailability {
    NoNewClients,
    VtStop { until: NaiveDate },
    Absent,
    Deactivated,
}

/// [`PoolHealth`] as stored in an intent (all its fields; the CLI's JSON leaves some out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolSnapshot {
    pub date: NaiveDate,
    pub threshold: u32,
    pub available_for_new_clients: u32,
    pub healthy: bool,
    pub areas: BTreeMap<WorkArea, AreaSnapshot>,
}

/// [`AreaHealth`] as stored in an intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaSnapshot {
    pub available_for_new_clients: u32,
    pub vpas: u32,
    pub vt_stop: u32,
    pub absent: u32,
    pub minimum: Option<u32>,
}

impl From<&PoolHealth> for PoolSnapshot {
    fn from(h: &PoolHealth) -> PoolSnapshot {
        PoolSnapshot {
            date: h.date,
            threshold: h.threshold,
            available_for_new_clients: h.available_for_new_clients,
            healthy: h.healthy,
            areas: h
                .areas
                .iter()
                .map(|(area, a)| {
                    let snapshot = AreaSnapshot {
                        available_for_new_clients: a.available_for_new_clients,
                        vpas: a.vpas,
                        vt_stop: a.vt_stop,
                        absent: a.absent,
                        minimum: a.minimum,
                    };
                    (*area, snapshot)
                })
                .collect(),
        }
    }
}

impl From<&PoolSnapshot> for PoolHealth {
    fn from(s: &PoolSnapshot) -> PoolHealth {
        PoolHealth {
            date: s.date,
            threshold: s.threshold,
            available_for_new_clients: s.available_for_new_clients,
            healthy: s.healthy,
            areas: s
                .areas
                .iter()
                .map(|(area, a)| {
                    let health = AreaHealth {
                        available_for_new_clients: a.available_for_new_clients,
                        vpas: a.vpas,
                        vt_stop: a.vt_stop,
                        absent: a.absent,
                        minimum: a.minimum,
                    };
                    (*area, health)
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_queued_before_typed_views_still_parse() {
        let old = [
            r#"{"type":"survey_post","round_id":3}"#,
            r#"{"type":"escalation_ping","task_id":4,"cause":"quiet-hours"}"#,
            r#"{"type":"dm","user_id":5,"text":"Hallo","buttons":[{"custom_id":"sv:d:3","label":"Grund angeben"}]}"#,
            r#"{"type":"dm","user_id":5,"text":"Hallo"}"#,
            r#"{"type":"nudge","user_id":6,"text":"Bitte ergänzen"}"#,
            r#"{"type":"channel_message","channel_id":7,"text":"Pool","mention_users":[],"mention_roles":[8]}"#,
        ];
        for json in old {
            let intent: Intent =
                serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
            let again: Intent =
                serde_json::from_str(&serde_json::to_string(&intent).unwrap()).unwrap();
            assert_eq!(intent, again);
        }
        assert_eq!(
            serde_json::from_str::<Intent>(old[0]).unwrap(),
            Intent::SurveyPost {
                round_id: RoundId(3)
            }
        );
    }

    #[test]
    fn typed_views_round_trip() {
        let intents = [
            Intent::Direct {
                to: DiscordId(9),
                message: DirectMessage::AskLaterDate {
                    task_id: TaskId(1),
                    round_id: RoundId(2),
                },
            },
            Intent::PoolWatch(PoolNotice {
                kind: PoolNoticeKind::Alert,
                health: PoolSnapshot {
                    date: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
                    threshold: 10,
                    available_for_new_clients: 9,
                    healthy: false,
                    areas: BTreeMap::new(),
                },
                unavailable: vec![BecameUnavailable {
                    vpa: DiscordId(3),
                    name: "Anna".into(),
                    why: Unavailability::VtStop {
                        until: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
                    },
                }],
            }),
        ];
        for intent in intents {
            let json = serde_json::to_string(&intent).unwrap();
            assert_eq!(
                serde_json::from_str::<Intent>(&json).unwrap(),
                intent,
                "{json}"
            );
        }
    }
}
