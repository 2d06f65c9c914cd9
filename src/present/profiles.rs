//! Profiles as VPAs and coordinators read them, and why a VPA was left out of a survey.

use super::catalog::{Lang, t};
use super::discord::Message;
use super::format;
use crate::config::Config;
use crate::domain::area::WorkArea;
use crate::domain::eligibility::Exclusion;
use crate::service::profiles::ProfileSaved;

/// Why a VPA was not surveyed, as a coordinator reads it.
pub fn exclusion(lang: Lang, reason: &Exclusion) -> String {
    match reason {
        Exclusion::Inactive => t!(lang, "unavailable-deactivated"),
        Exclusion::NoCompetence => t!(lang, "reason-missing-competence"),
        Exclusion::VtStop { until } => t!(
            lang,
            "exclusion-vt-stop",
            until = format::date(lang, *until)
        ),
        Exclusion::Absent { until: Some(until) } => {
            t!(
                lang,
                "exclusion-absent-until",
                until = format::date(lang, *until)
            )
        }
        Exclusion::Absent { until: None } => t!(lang, "unavailable-absent"),
        Exclusion::DoesNotWantTasks => t!(lang, "exclusion-no-tasks"),
        Exclusion::DoesNotWantNewClients => t!(lang, "exclusion-no-new-clients"),
        Exclusion::NoWeeklyHours => t!(lang, "exclusion-no-weekly-hours"),
        Exclusion::NoRoom {
            week,
            load,
            share,
            weekly_hours,
        } => t!(
            lang,
            "exclusion-no-room",
            week = format::date(lang, *week),
            load = format::hours(lang, *load),
            share = format::hours(lang, *share),
            weekly = format::hours(lang, *weekly_hours)
        ),
    }
}

/// A profile, with a line before it (what was done) and the hint after a first use.
pub fn profile(lang: Lang, config: &Config, saved: &ProfileSaved, lead: Option<String>) -> String {
    let vpa = &saved.vpa;
    let mut lines = vec![t!(
        lang,
        "profile-head",
        vpa = vpa.discord_id,
        name = vpa.name.as_str()
    )];
    if let Some(lead) = lead {
        lines.push(lead);
        lines.push(String::new());
    } else {
        lines.push(String::new());
    }
    lines.push(t!(
        lang,
        "profile-weekly-hours",
        hours = format::hours(lang, vpa.weekly_hours)
    ));
    lines.push(t!(
        lang,
        "profile-wants",
        tasks = format::yes_no(lang, vpa.wants_tasks),
        new_clients = format::yes_no(lang, vpa.wants_new_clients)
    ));
    lines.push(t!(
        lang,
        "profile-utilization",
        utilization = format::utilization(lang, saved.utilization)
    ));
    let today = saved.today;
    let vt = match vpa.vt_stop_until {
        Some(d) if vpa.vt_stop_active(today) => {
            t!(lang, "profile-vt-stop-until", until = format::date(lang, d))
        }
        _ => format::yes_no(lang, false),
    };
    lines.push(t!(lang, "profile-vt-stop", vt_stop = vt));
    let absent = match (vpa.absent_from, vpa.absent_until) {
        (None, None) => format::yes_no(lang, false),
        (Some(f), Some(u)) => t!(
            lang,
            "profile-absent-range",
            from = format::date(lang, f),
            until = format::date(lang, u)
        ),
        (Some(f), None) => t!(lang, "profile-absent-open", from = format::date(lang, f)),
        (None, Some(u)) => t!(lang, "profile-absent-until", until = format::date(lang, u)),
    };
    lines.push(t!(lang, "profile-absent", absent = absent));
    lines.push(t!(
        lang,
        "profile-training",
        training = format::yes_no(lang, vpa.willing_to_train)
    ));
    if saved.newbie {
        if !saved.gaps.is_empty() {
            lines.push(t!(lang, "profile-newbie"));
        }
        lines.push(super::picker::completeness(lang, &saved.gaps));
    }
    if let Some(since) = saved.dm_unreachable_since {
        let since = since.with_timezone(&config.timezone).date_naive();
        lines.push(t!(
            lang,
            "profile-dm-unreachable",
            since = format::date(lang, since)
        ));
    }
    if !vpa.active {
        lines.push(t!(lang, "profile-inactive"));
    }
    let mut competences = t!(lang, "profile-competences");
    if vpa.competences.is_empty() {
        competences.push(' ');
        competences.push_str(&t!(lang, "profile-competences-none"));
    }
    for area in WorkArea::ALL {
        let held: Vec<String> = vpa
            .competences
            .iter()
            .filter(|c| config.catalog.get(c.competence).area == area)
            .map(|c| {
                t!(
                    lang,
                    "profile-competence",
                    name = format::competence(lang, &config.catalog, c.competence),
                    level = format::level(lang, c.level)
                )
            })
            .collect();
        if !held.is_empty() {
            competences.push('\n');
            competences.push_str(&t!(
                lang,
                "profile-competences-area",
                area = format::area(lang, area),
                competences = format::list(lang, &held)
            ));
        }
    }
    lines.push(competences);
    let mut text = lines.join("\n");
    if saved.created {
        text.push_str("\n\n");
        text.push_str(&t!(lang, "profile-created"));
    }
    text
}

/// The question before an erasure: what goes, what stays, and the two buttons.
pub fn forget_confirmation(lang: Lang, f: &crate::service::profiles::Forgetting) -> Message {
    use super::custom_id::DropOutConfirm;
    let text = t!(
        lang,
        "forget-confirm",
        vpa = f.vpa,
        name = f.name.as_str(),
        assignments = f.assignments,
        answers = f.answers
    );
    Message {
        content: super::discord::cut(&text, super::discord::limits::CONTENT),
        components: vec![super::dropout::confirm_or_call_off(
            lang,
            DropOutConfirm::Forget { vpa: f.vpa },
            t!(lang, "button-forget"),
        )],
        ..Message::default()
    }
}

/// After an erasure.
pub fn forgotten(lang: Lang, f: &crate::service::profiles::Forgetting) -> String {
    t!(
        lang,
        "forget-done",
        assignments = f.assignments,
        answers = f.answers
    )
}
