//! The custom-id protocol of every button, select and form the bot sends: built and parsed
//! here only. Components carry what they act on (a round, a task), not poise's in-memory
//! collectors, so posts from before a restart keep working. The formats are stored in Discord
//! messages already sent: they never change, only new ones are added.

use chrono::NaiveDate;

use crate::domain::area::WorkArea;
use crate::domain::ids::{DiscordId, OfferId, PendingEditId, RoundId, TaskId};
use crate::domain::newbie::PickerPage;

/// What a survey component does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyAction {
    /// "Annehmen" on the post (or in a re-ask DM).
    Accept,
    /// "Ablehnen": opens the select of reasons.
    Decline,
    /// "Später": opens the form asking from when.
    Later,
    /// The select of decline reasons.
    Reason,
    /// "Begründung ergänzen": opens the note form.
    AddNote,
    /// The note form.
    NoteModal,
    /// The "later, from" form.
    LaterModal,
}

const SURVEY_CODES: [(SurveyAction, &str); 7] = [
    (SurveyAction::Accept, "a"),
    (SurveyAction::Decline, "d"),
    (SurveyAction::Later, "l"),
    (SurveyAction::Reason, "r"),
    (SurveyAction::AddNote, "n"),
    (SurveyAction::NoteModal, "nm"),
    (SurveyAction::LaterModal, "lm"),
];

/// A playbook button on the manager's notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaybookButton {
    Extend,
    Reask,
    /// A round under the related competence with this key.
    Related(String),
    Nudge,
    Split,
    /// The external-research option: the task goes to an external provider.
    External,
}

/// A component's custom id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomId {
    /// `sv:<action>:<round>`
    Survey {
        action: SurveyAction,
        round: RoundId,
    },
    /// `as:<task>`: the assignment select of `/survey status`.
    Assign { task: TaskId },
    /// `pb:<action>:<task>[:<competence key>]`
    Playbook {
        task: TaskId,
        button: PlaybookButton,
    },
    /// `lo:<task>`: who was left out of the task's surveys, and why.
    LeftOut { task: TaskId },
    /// `ho:y:<offer>` / `ho:n:<offer>`: take over a handed-on task, or not.
    Offer { offer: OfferId, take: bool },
    /// `dc:a:<vpa>:<from YYYYMMDD>:<until YYYYMMDD or ->` / `dc:d:<vpa>`: confirms an absence
    /// or a deactivation that hands on assignments; `dc:x` calls it off.
    DropOut(DropOutConfirm),
    /// `te:y:<pending>` / `te:n:<pending>`: save an edit over someone's hours, or not.
    ConfirmEdit {
        pending: PendingEditId,
        confirm: bool,
    },
    /// `nf:<task>`: ask the VPAs an edit made fit.
    NewlyFitting { task: TaskId },
    /// `wv:<task>`: ask the next fitting VPAs no round mentioned.
    Further { task: TaskId },
    /// `aa:<task>:<vpa>`: assign a VPA whose answer an edit outdated, after all.
    AssignAnyway { task: TaskId, vpa: DiscordId },
    /// `pk:…`: the guided competence picker.
    Picker(PickerId),
}

/// What a component of the competence picker does. A page is written as the area's place in
/// [`WorkArea::ALL`] and the page number; competences by their catalog keys (stable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerId {
    /// `pk:o`: opens the picker for whoever presses (the button of a nudge).
    Open,
    /// `pk:p:<vpa>:<area>:<page>`: shows a page (the arrows, "Behalten").
    Page { vpa: DiscordId, page: PickerPage },
    /// `pk:c:<vpa>:<area>:<page>`: the page's select of competences.
    Choose { vpa: DiscordId, page: PickerPage },
    /// `pk:l:<vpa>:<area>:<page>:<n>:<key>,<key>…`: the level of the n-th newly chosen
    /// competence of the list (the list renders the level step again).
    Level {
        vpa: DiscordId,
        page: PickerPage,
        index: usize,
        chosen: Vec<String>,
    },
    /// `pk:r:<vpa>:<area>:<page>:<key>,<key>…`: removes these after all (the confirmation).
    Remove {
        vpa: DiscordId,
        page: PickerPage,
        keys: Vec<String>,
    },
    /// `pk:f:<vpa>`: done; shows the profile's state.
    Done { vpa: DiscordId },
}

fn page_code(page: PickerPage) -> String {
    let area = WorkArea::ALL
        .iter()
        .position(|a| *a == page.area)
        .unwrap_or(0);
    format!("{area}:{}", page.page)
}

fn parse_page(area: &str, page: &str) -> Option<PickerPage> {
    Some(PickerPage {
        area: *WorkArea::ALL.get(area.parse::<usize>().ok()?)?,
        page: page.parse().ok()?,
    })
}

fn parse_keys(list: &str) -> Option<Vec<String>> {
    let keys: Vec<String> = list.split(',').map(str::to_string).collect();
    (!keys.iter().any(String::is_empty)).then_some(keys)
}

impl PickerId {
    fn encode(&self) -> String {
        match self {
            PickerId::Open => "pk:o".to_string(),
            PickerId::Page { vpa, page } => format!("pk:p:{vpa}:{}", page_code(*page)),
            PickerId::Choose { vpa, page } => format!("pk:c:{vpa}:{}", page_code(*page)),
            PickerId::Level {
                vpa,
                page,
                index,
                chosen,
            } => format!(
                "pk:l:{vpa}:{}:{index}:{}",
                page_code(*page),
                chosen.join(",")
            ),
            PickerId::Remove { vpa, page, keys } => {
                format!("pk:r:{vpa}:{}:{}", page_code(*page), keys.join(","))
            }
            PickerId::Done { vpa } => format!("pk:f:{vpa}"),
        }
    }

    fn parse(parts: &[&str]) -> Option<PickerId> {
        Some(match parts {
            ["o"] => PickerId::Open,
            ["p", vpa, area, page] => PickerId::Page {
                vpa: DiscordId::parse(vpa)?,
                page: parse_page(area, page)?,
            },
            ["c", vpa, area, page] => PickerId::Choose {
                vpa: DiscordId::parse(vpa)?,
                page: parse_page(area, page)?,
            },
            ["l", vpa, area, page, index, chosen] => {
                let chosen = parse_keys(chosen)?;
                let index: usize = index.parse().ok()?;
                if index >= chosen.len() {
                    return None;
                }
                PickerId::Level {
                    vpa: DiscordId::parse(vpa)?,
                    page: parse_page(area, page)?,
                    index,
                    chosen,
                }
            }
            ["r", vpa, area, page, keys] => PickerId::Remove {
                vpa: DiscordId::parse(vpa)?,
                page: parse_page(area, page)?,
                keys: parse_keys(keys)?,
            },
            ["f", vpa] => PickerId::Done {
                vpa: DiscordId::parse(vpa)?,
            },
            _ => return None,
        })
    }
}

/// What a drop-out confirmation confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropOutConfirm {
    Absence {
        vpa: DiscordId,
        from: NaiveDate,
        until: Option<NaiveDate>,
    },
    Deactivation {
        vpa: DiscordId,
    },
    /// `dc:f:<vpa>`: erase a VPA's personal data (the manager, after `/profile forget`).
    Forget {
        vpa: DiscordId,
    },
    CallOff,
}

fn compact(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}

fn from_compact(text: &str) -> Option<NaiveDate> {
    if text.len() != 8 {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y%m%d").ok()
}

/// The text input of the note form.
pub const NOTE_INPUT: &str = "note";
/// The text input of the "later, from" form.
pub const FROM_INPUT: &str = "from";

impl CustomId {
    /// A survey component of a round.
    pub fn survey(action: SurveyAction, round: RoundId) -> CustomId {
        CustomId::Survey { action, round }
    }

    /// The custom id as Discord stores it (at most 100 characters: a competence key is short).
    pub fn encode(&self) -> String {
        match self {
            CustomId::Survey { action, round } => {
                let code = SURVEY_CODES
                    .iter()
                    .find(|(a, _)| a == action)
                    .map_or("?", |(_, c)| c);
                format!("sv:{code}:{round}")
            }
            CustomId::Assign { task } => format!("as:{task}"),
            CustomId::LeftOut { task } => format!("lo:{task}"),
            CustomId::Playbook { task, button } => match button {
                PlaybookButton::Extend => format!("pb:ext:{task}"),
                PlaybookButton::Reask => format!("pb:ask:{task}"),
                PlaybookButton::Related(key) => format!("pb:rel:{task}:{key}"),
                PlaybookButton::Nudge => format!("pb:nudge:{task}"),
                PlaybookButton::Split => format!("pb:split:{task}"),
                PlaybookButton::External => format!("pb:extern:{task}"),
            },
            CustomId::Offer { offer, take } => {
                format!("ho:{}:{offer}", if *take { "y" } else { "n" })
            }
            CustomId::DropOut(DropOutConfirm::Absence { vpa, from, until }) => format!(
                "dc:a:{vpa}:{}:{}",
                compact(*from),
                until.map_or("-".to_string(), compact)
            ),
            CustomId::DropOut(DropOutConfirm::Deactivation { vpa }) => format!("dc:d:{vpa}"),
            CustomId::DropOut(DropOutConfirm::Forget { vpa }) => format!("dc:f:{vpa}"),
            CustomId::DropOut(DropOutConfirm::CallOff) => "dc:x".to_string(),
            CustomId::ConfirmEdit { pending, confirm } => {
                format!("te:{}:{pending}", if *confirm { "y" } else { "n" })
            }
            CustomId::NewlyFitting { task } => format!("nf:{task}"),
            CustomId::Further { task } => format!("wv:{task}"),
            CustomId::AssignAnyway { task, vpa } => format!("aa:{task}:{vpa}"),
            CustomId::Picker(id) => id.encode(),
        }
    }

    /// Parses a custom id made by [`CustomId::encode`]; none for anything else.
    pub fn parse(text: &str) -> Option<CustomId> {
        let parts: Vec<&str> = text.split(':').collect();
        match parts.as_slice() {
            ["sv", code, round] => {
                let action = SURVEY_CODES.iter().find(|(_, c)| c == code)?.0;
                Some(CustomId::Survey {
                    action,
                    round: round.parse().ok()?,
                })
            }
            ["as", task] => Some(CustomId::Assign {
                task: task.parse().ok()?,
            }),
            ["lo", task] => Some(CustomId::LeftOut {
                task: task.parse().ok()?,
            }),
            ["pb", action, task, rest @ ..] => {
                let task = task.parse().ok()?;
                let button = match (*action, rest) {
                    ("ext", []) => PlaybookButton::Extend,
                    ("ask", []) => PlaybookButton::Reask,
                    ("rel", [key]) if !key.is_empty() => PlaybookButton::Related(key.to_string()),
                    ("nudge", []) => PlaybookButton::Nudge,
                    ("split", []) => PlaybookButton::Split,
                    ("extern", []) => PlaybookButton::External,
                    _ => return None,
                };
                Some(CustomId::Playbook { task, button })
            }
            ["ho", answer, offer] => Some(CustomId::Offer {
                offer: offer.parse().ok()?,
                take: match *answer {
                    "y" => true,
                    "n" => false,
                    _ => return None,
                },
            }),
            ["dc", "a", vpa, from, until] => Some(CustomId::DropOut(DropOutConfirm::Absence {
                vpa: DiscordId::parse(vpa)?,
                from: from_compact(from)?,
                until: match *until {
                    "-" => None,
                    day => Some(from_compact(day)?),
                },
            })),
            ["dc", "d", vpa] => Some(CustomId::DropOut(DropOutConfirm::Deactivation {
                vpa: DiscordId::parse(vpa)?,
            })),
            ["dc", "f", vpa] => Some(CustomId::DropOut(DropOutConfirm::Forget {
                vpa: DiscordId::parse(vpa)?,
            })),
            ["dc", "x"] => Some(CustomId::DropOut(DropOutConfirm::CallOff)),
            ["te", answer, pending] => Some(CustomId::ConfirmEdit {
                pending: pending.parse().ok()?,
                confirm: match *answer {
                    "y" => true,
                    "n" => false,
                    _ => return None,
                },
            }),
            ["nf", task] => Some(CustomId::NewlyFitting {
                task: task.parse().ok()?,
            }),
            ["wv", task] => Some(CustomId::Further {
                task: task.parse().ok()?,
            }),
            ["aa", task, vpa] => Some(CustomId::AssignAnyway {
                task: task.parse().ok()?,
                vpa: DiscordId::parse(vpa)?,
            }),
            ["pk", rest @ ..] => Some(CustomId::Picker(PickerId::parse(rest)?)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_round_trip_and_reject_garbage() {
        let ids = [
            CustomId::survey(SurveyAction::Accept, RoundId(42)),
            CustomId::survey(SurveyAction::LaterModal, RoundId(1)),
            CustomId::Assign { task: TaskId(7) },
            CustomId::LeftOut { task: TaskId(7) },
            CustomId::Playbook {
                task: TaskId(3),
                button: PlaybookButton::Related("creative-copywriting".into()),
            },
            CustomId::Playbook {
                task: TaskId(3),
                button: PlaybookButton::Split,
            },
            CustomId::Offer {
                offer: OfferId(9),
                take: true,
            },
            CustomId::Offer {
                offer: OfferId(9),
                take: false,
            },
            CustomId::DropOut(DropOutConfirm::Absence {
                vpa: DiscordId(9_223_372_036_854_775_807),
                from: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
                until: Some(NaiveDate::from_ymd_opt(2026, 12, 18).unwrap()),
            }),
            CustomId::DropOut(DropOutConfirm::Absence {
                vpa: DiscordId(5),
                from: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
                until: None,
            }),
            CustomId::DropOut(DropOutConfirm::Deactivation { vpa: DiscordId(5) }),
            CustomId::DropOut(DropOutConfirm::CallOff),
            CustomId::ConfirmEdit {
                pending: PendingEditId(12),
                confirm: true,
            },
            CustomId::ConfirmEdit {
                pending: PendingEditId(12),
                confirm: false,
            },
            CustomId::NewlyFitting { task: TaskId(4) },
            CustomId::Further { task: TaskId(4) },
            CustomId::AssignAnyway {
                task: TaskId(4),
                vpa: DiscordId(9_223_372_036_854_775_807),
            },
            CustomId::Picker(PickerId::Open),
            CustomId::Picker(PickerId::Page {
                vpa: DiscordId(5),
                page: PickerPage {
                    area: WorkArea::Software,
                    page: 1,
                },
            }),
            CustomId::Picker(PickerId::Choose {
                vpa: DiscordId(5),
                page: PickerPage {
                    area: WorkArea::Backoffice,
                    page: 0,
                },
            }),
            CustomId::Picker(PickerId::Level {
                vpa: DiscordId(9_223_372_036_854_775_807),
                page: PickerPage {
                    area: WorkArea::Marketing,
                    page: 0,
                },
                index: 2,
                chosen: vec![
                    "creative-copywriting".into(),
                    "newsletter".into(),
                    "seo".into(),
                ],
            }),
            CustomId::Picker(PickerId::Remove {
                vpa: DiscordId(5),
                page: PickerPage {
                    area: WorkArea::Sales,
                    page: 0,
                },
                keys: vec!["research".into()],
            }),
            CustomId::Picker(PickerId::Done { vpa: DiscordId(5) }),
        ];
        for id in ids {
            assert_eq!(CustomId::parse(&id.encode()), Some(id.clone()));
            assert!(id.encode().len() <= 100);
        }
        for garbage in [
            "sv:x:1",
            "sv:a:abc",
            "sv:a:1:2",
            "other",
            "as:",
            "pb:rel:1",
            "pb:ext:1:x",
            "ho:x:1",
            "ho:y:",
            "dc:a:1:2026127:-",
            "dc:a:0:20261207:-",
            "dc:d:abc",
            "te:x:1",
            "te:y:",
            "nf:",
            "wv:a",
            "aa:1",
            "aa:1:0",
            "pk:",
            "pk:p:5:9:0",
            "pk:c:5:0",
            "pk:l:5:0:0:2:research,seo",
            "pk:r:5:0:0:",
            "pk:r:5:0:0:research,,seo",
        ] {
            assert_eq!(CustomId::parse(garbage), None, "{garbage}");
        }
    }

    #[test]
    fn ids_on_posts_made_before_keep_working() {
        // The formats posts and DMs carry in Discord already.
        assert_eq!(
            CustomId::parse("sv:d:12"),
            Some(CustomId::survey(SurveyAction::Decline, RoundId(12)))
        );
        assert_eq!(
            CustomId::parse("as:5"),
            Some(CustomId::Assign { task: TaskId(5) })
        );
        assert_eq!(
            CustomId::parse("pb:nudge:9"),
            Some(CustomId::Playbook {
                task: TaskId(9),
                button: PlaybookButton::Nudge
            })
        );
    }
}
