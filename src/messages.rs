//! The message catalog: every German text a user sees, in one place (so English can be added).

use crate::domain::dates::german;
use crate::domain::eligibility::Exclusion;
use crate::domain::pool_health::PoolHealth;
use crate::domain::task::TaskProblem;

/// Formats hours the German way: "7,5 h".
pub fn hours(h: f64) -> String {
    let rounded = (h * 100.0).round() / 100.0;
    let text = if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    };
    format!("{} h", text.replace('.', ","))
}

/// One line for each problem of a task draft.
pub fn task_problem(problem: &TaskProblem) -> String {
    match problem {
        TaskProblem::EmptyClient => {
            "Der Kunde fehlt: gib einen Namen oder ein Kürzel für den Kunden an.".into()
        }
        TaskProblem::ClientTooLong { chars, max } => {
            format!(
                "Der Kundenname ist zu lang ({chars} Zeichen); erlaubt sind höchstens {max} Zeichen."
            )
        }
        TaskProblem::UnknownCompetence(unknown) => {
            let suggestions = unknown
                .suggestions
                .iter()
                .map(|s| format!("„{s}“"))
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "Die Kompetenz „{}“ gibt es im Katalog nicht. Meintest du: {suggestions}? Wähle eine Kompetenz aus der Vorschlagsliste.",
                unknown.input
            )
        }
        TaskProblem::HoursOutOfRange { hours: h, min, max } => {
            let shown = if h.is_finite() {
                hours(*h)
            } else {
                "keine Zahl".into()
            };
            format!(
                "Die Stunden ({shown}) liegen außerhalb des erlaubten Bereichs: erlaubt sind {} bis {}.",
                hours(*min),
                hours(*max)
            )
        }
        TaskProblem::DeadlineUnreadable { input } => format!(
            "Die Deadline „{input}“ ist kein gültiges Datum. Erlaubt sind JJJJ-MM-TT (z. B. 2026-12-24) oder TT.MM.JJJJ (z. B. 24.12.2026)."
        ),
        TaskProblem::DeadlineInPast { deadline, today } => format!(
            "Die Deadline {} liegt in der Vergangenheit. Erlaubt ist heute ({}) oder ein späterer Tag.",
            german(*deadline),
            german(*today)
        ),
        TaskProblem::DescriptionTooLong { chars, max } => format!(
            "Die Beschreibung ist zu lang ({chars} Zeichen); erlaubt sind höchstens {max} Zeichen."
        ),
    }
}

/// Why a VPA was not surveyed, as a coordinator reads it.
pub fn exclusion(reason: &Exclusion) -> String {
    match reason {
        Exclusion::Inactive => "deaktiviert".into(),
        Exclusion::NoCompetence => "Kompetenz fehlt".into(),
        Exclusion::VtStop { until } => format!("VT-Stop bis {}", german(*until)),
        Exclusion::Absent { until: Some(until) } => format!("abwesend bis {}", german(*until)),
        Exclusion::Absent { until: None } => "abwesend".into(),
        Exclusion::DoesNotWantTasks => "möchte keine Aufgaben".into(),
        Exclusion::DoesNotWantNewClients => "möchte keine Neukunden".into(),
        Exclusion::NoWeeklyHours => "keine Wochenstunden".into(),
        Exclusion::NoRoom {
            week,
            load,
            share,
            weekly_hours,
        } => format!(
            "keine Kapazität in der Woche ab {}: {} verplant + {} Aufgabe > {} Wochenstunden",
            german(*week),
            hours(*load),
            hours(*share),
            hours(*weekly_hours)
        ),
    }
}

/// After a successful import.
pub fn import_done(created: usize, updated: usize, unchanged: usize) -> String {
    format!("Import abgeschlossen: {created} neu, {updated} aktualisiert, {unchanged} unverändert.")
}

/// Before the list of bad rows.
pub fn import_refused(errors: usize) -> String {
    format!("Import abgelehnt, nichts wurde geschrieben. {errors} Fehler:")
}

/// Pool health as a text table (CLI and Discord code block).
pub fn pool_table(health: &PoolHealth) -> String {
    let mut out = format!(
        "Pool-Gesundheit am {}: {} von mindestens {} VPAs verfügbar für Neukunden — {}\n\n",
        german(health.date),
        health.available_for_new_clients,
        health.threshold,
        if health.healthy { "gesund" } else { "ZU WENIG" }
    );
    out.push_str(&format!(
        "{:<12} {:>10} {:>6} {:>8} {:>9}\n",
        "Bereich", "verfügbar", "VPAs", "VT-Stop", "abwesend"
    ));
    for (area, h) in &health.areas {
        let minimum = match h.minimum {
            Some(m) if h.below_minimum() => format!("  (unter Minimum {m})"),
            Some(m) => format!("  (Minimum {m})"),
            None => String::new(),
        };
        out.push_str(&format!(
            "{:<12} {:>10} {:>6} {:>8} {:>9}{minimum}\n",
            area.german(),
            h.available_for_new_clients,
            h.vpas,
            h.vt_stop,
            h.absent
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_german() {
        assert_eq!(hours(7.5), "7,5 h");
        assert_eq!(hours(10.0), "10 h");
        assert_eq!(hours(0.25), "0,25 h");
    }
}
