//! The guided competence picker as Discord shows it (selects in messages: forms hold only text
//! inputs) and what a profile lacks, in words.

use super::catalog::{Lang, t};
use super::custom_id::{CustomId, PickerId};
use super::discord::{Button, Choice, Message, Row, Style, limits};
use super::format;
use crate::config::Config;
use crate::domain::competence::{CompetenceId, Level};
use crate::domain::newbie::{PickerPage, ProfileGap};
use crate::service::newbies::{Chosen, PickerView};
use crate::service::profiles::ProfileSaved;

/// How many level selects one step shows (a message has five rows: the rest are for the
/// removal's confirmation and the way on).
const LEVEL_ROWS: usize = 3;

/// What a profile lacks, as one line.
pub fn gaps(lang: Lang, gaps: &[ProfileGap]) -> String {
    gaps.iter()
        .map(|g| match g {
            ProfileGap::NoCompetence => t!(lang, "gap-no-competence"),
            ProfileGap::NoBackoffice => t!(lang, "gap-no-backoffice"),
            ProfileGap::TooFew { have, min } => {
                t!(lang, "gap-too-few", have = *have, min = *min)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The profile's state line: complete, or what it lacks.
pub fn completeness(lang: Lang, lacks: &[ProfileGap]) -> String {
    if lacks.is_empty() {
        t!(lang, "profile-complete")
    } else {
        t!(lang, "profile-incomplete", gaps = gaps(lang, lacks))
    }
}

/// The button that opens the picker for whoever presses it (on a nudge).
pub fn open_button(lang: Lang) -> Row {
    Row::Buttons(vec![Button {
        custom_id: CustomId::Picker(PickerId::Open).encode(),
        label: t!(lang, "button-pick-competences"),
        style: Style::Primary,
    }])
}

fn names(lang: Lang, config: &Config, ids: &[CompetenceId]) -> String {
    ids.iter()
        .map(|c| format::competence(lang, &config.catalog, *c))
        .collect::<Vec<_>>()
        .join(", ")
}

fn key(config: &Config, id: CompetenceId) -> String {
    config.catalog.get(id).key.clone()
}

fn to_page(vpa: crate::domain::ids::DiscordId, page: PickerPage, label: String) -> Button {
    Button {
        custom_id: CustomId::Picker(PickerId::Page { vpa, page }).encode(),
        label,
        style: Style::Secondary,
    }
}

fn done_button(lang: Lang, view: &PickerView) -> Button {
    Button {
        custom_id: CustomId::Picker(PickerId::Done { vpa: view.vpa }).encode(),
        label: t!(lang, "picker-done"),
        style: Style::Success,
    }
}

/// A page: the area's select, pre-selected with what the profile holds, and the way on.
pub fn page(lang: Lang, config: &Config, view: &PickerView, lead: Option<String>) -> Message {
    let area = format::area(lang, view.page.area);
    let (position, pages) = (view.position + 1, view.pages);
    let mut lines = Vec::new();
    lines.extend(lead);
    lines.push(if view.own {
        t!(
            lang,
            "picker-head-own",
            area = area.clone(),
            position = position,
            pages = pages
        )
    } else {
        t!(
            lang,
            "picker-head-other",
            vpa = view.vpa,
            name = view.name.clone(),
            area = area.clone(),
            position = position,
            pages = pages
        )
    });
    lines.push(t!(lang, "picker-hint"));
    lines.push(if view.gaps.is_empty() {
        t!(lang, "picker-state-complete")
    } else {
        t!(
            lang,
            "picker-state-incomplete",
            gaps = gaps(lang, &view.gaps)
        )
    });
    let choices = view
        .offered
        .iter()
        .map(|(id, held)| Choice {
            label: match held {
                Some(level) => t!(
                    lang,
                    "profile-competence",
                    name = format::competence(lang, &config.catalog, *id),
                    level = format::level(lang, *level)
                ),
                None => format::competence(lang, &config.catalog, *id),
            },
            value: key(config, *id),
            default: held.is_some(),
        })
        .collect();
    let mut nav = Vec::new();
    if let Some(previous) = view.previous {
        let label = t!(
            lang,
            "picker-previous",
            area = format::area(lang, previous.area)
        );
        nav.push(to_page(view.vpa, previous, label));
    }
    if let Some(next) = view.next {
        let label = t!(lang, "picker-next", area = format::area(lang, next.area));
        nav.push(to_page(view.vpa, next, label));
    }
    nav.push(done_button(lang, view));
    Message {
        content: lines.join("\n"),
        components: vec![
            Row::Select {
                custom_id: CustomId::Picker(PickerId::Choose {
                    vpa: view.vpa,
                    page: view.page,
                })
                .encode(),
                placeholder: t!(lang, "picker-placeholder", area = area),
                choices,
                multi: true,
            },
            Row::Buttons(nav),
        ],
        ..Message::default()
    }
}

/// As many of `ids` (from the first) as `encode` keeps within Discord's custom-id limit.
fn fitting(
    config: &Config,
    ids: &[CompetenceId],
    most: usize,
    encode: impl Fn(Vec<String>) -> String,
) -> usize {
    let mut n = ids.len().min(most);
    while n > 0
        && encode(ids[..n].iter().map(|c| key(config, *c)).collect()).len() > limits::CUSTOM_ID
    {
        n -= 1;
    }
    n
}

/// After a choice or a level: the newly chosen (saved with basic knowledge) with a level
/// select each, the confirmation for what was left unchosen, and the way on. A choice that
/// changed nothing shows the page again.
pub fn chosen(lang: Lang, config: &Config, chosen: &Chosen, lead: Option<String>) -> Message {
    let view = &chosen.view;
    if chosen.added.is_empty() && chosen.to_remove.is_empty() {
        return page(lang, config, view, lead);
    }
    let (vpa, at) = (view.vpa, view.page);
    let mut lines: Vec<String> = lead.into_iter().collect();
    let mut rows = Vec::new();
    if !chosen.added.is_empty() {
        let ids: Vec<CompetenceId> = chosen.added.iter().map(|(c, _)| *c).collect();
        lines.push(t!(
            lang,
            "picker-added",
            competences = names(lang, config, &ids)
        ));
        lines.push(t!(lang, "picker-levels"));
        let level_id = |index: usize, keys: Vec<String>| {
            CustomId::Picker(PickerId::Level {
                vpa,
                page: at,
                index,
                chosen: keys,
            })
            .encode()
        };
        let n = fitting(config, &ids, LEVEL_ROWS, |keys| {
            level_id(keys.len() - 1, keys)
        });
        let batch: Vec<String> = ids[..n].iter().map(|c| key(config, *c)).collect();
        for (index, (id, held)) in chosen.added[..n].iter().enumerate() {
            let name = format::competence(lang, &config.catalog, *id);
            let option = |level: Level| Choice {
                label: match level {
                    Level::Basic => {
                        t!(lang, "picker-level-option-basic", competence = name.clone())
                    }
                    Level::Good => t!(lang, "picker-level-option-good", competence = name.clone()),
                    Level::Expert => {
                        t!(
                            lang,
                            "picker-level-option-expert",
                            competence = name.clone()
                        )
                    }
                },
                value: level.key().to_string(),
                default: level == *held,
            };
            rows.push(Row::Select {
                custom_id: level_id(index, batch.clone()),
                placeholder: t!(lang, "picker-level-placeholder", competence = name.clone()),
                choices: Level::ALL.into_iter().map(option).collect(),
                multi: false,
            });
        }
        if n < ids.len() {
            lines.push(t!(
                lang,
                "picker-more-later",
                competences = names(lang, config, &ids[n..])
            ));
        }
    }
    if !chosen.to_remove.is_empty() {
        let ids = &chosen.to_remove;
        let remove_id = |keys: Vec<String>| {
            CustomId::Picker(PickerId::Remove {
                vpa,
                page: at,
                keys,
            })
            .encode()
        };
        let n = fitting(config, ids, ids.len(), remove_id);
        lines.push(t!(
            lang,
            "picker-remove-ask",
            competences = names(lang, config, &ids[..n])
        ));
        if n < ids.len() {
            lines.push(t!(
                lang,
                "picker-remove-rest",
                competences = names(lang, config, &ids[n..])
            ));
        }
        rows.push(Row::Buttons(vec![
            Button {
                custom_id: remove_id(ids[..n].iter().map(|c| key(config, *c)).collect()),
                label: t!(lang, "button-picker-remove"),
                style: Style::Danger,
            },
            to_page(vpa, at, t!(lang, "button-picker-keep")),
        ]));
    }
    if !chosen.added.is_empty() {
        rows.push(Row::Buttons(vec![
            to_page(vpa, at, t!(lang, "picker-continue")),
            done_button(lang, view),
        ]));
    }
    Message {
        content: lines.join("\n"),
        components: rows,
        ..Message::default()
    }
}

/// A level was saved: the level step again, saying so.
pub fn level_saved(lang: Lang, config: &Config, chosen: &Chosen, set: &str) -> Message {
    let lead = config.catalog.by_key(set).and_then(|c| {
        let level = chosen.added.iter().find(|(id, _)| *id == c.id)?.1;
        Some(t!(
            lang,
            "picker-level-saved",
            competence = format::competence(lang, &config.catalog, c.id),
            level = format::level(lang, level)
        ))
    });
    self::chosen(lang, config, chosen, lead)
}

/// Removed after the confirmation: the page again, saying what went.
pub fn removed(
    lang: Lang,
    config: &Config,
    view: &PickerView,
    removed: &[CompetenceId],
) -> Message {
    let lead = (!removed.is_empty()).then(|| {
        t!(
            lang,
            "picker-removed",
            competences = names(lang, config, removed)
        )
    });
    page(lang, config, view, lead)
}

/// "Fertig": the profile as it stands now.
pub fn finished(lang: Lang, config: &Config, saved: &ProfileSaved) -> Message {
    Message::text(super::profiles::profile(
        lang,
        config,
        saved,
        Some(t!(lang, "picker-finished")),
    ))
}
