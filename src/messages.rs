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

// ---------------------------------------------------------------------------------------------
// Surveys

/// Button labels on a survey post.
pub const BUTTON_ACCEPT: &str = "Annehmen";
pub const BUTTON_DECLINE: &str = "Ablehnen";
pub const BUTTON_LATER: &str = "Später";
/// Button on a DM after a quick ❌.
pub const BUTTON_GIVE_REASON: &str = "Grund angeben";
/// Button on a DM after a quick ⏳.
pub const BUTTON_GIVE_DATE: &str = "Datum angeben";
/// Button after choosing a decline reason.
pub const BUTTON_ADD_NOTE: &str = "Begründung ergänzen";
/// Modal titles and labels (Discord: at most 45 characters).
pub const MODAL_NOTE_TITLE: &str = "Begründung ergänzen";
pub const MODAL_NOTE_LABEL: &str = "Begründung (optional)";
pub const MODAL_LATER_TITLE: &str = "Später – ab wann hättest du Zeit?";
pub const MODAL_LATER_LABEL: &str = "Ab Datum (TT.MM.JJJJ oder JJJJ-MM-TT)";
/// Placeholder of the decline-reason select.
pub const SELECT_REASON_PLACEHOLDER: &str = "Grund der Absage wählen";

/// Headline of a survey post.
pub fn survey_headline(
    task_id: i64,
    area: &str,
    competence: &str,
    status: crate::domain::task::TaskStatus,
    closed: bool,
) -> String {
    use crate::domain::task::TaskStatus;
    match status {
        TaskStatus::Assigned | TaskStatus::Done => {
            format!("✅ **Aufgabe #{task_id} – vergeben** ({area} · {competence})")
        }
        TaskStatus::Cancelled => {
            format!("✖️ **Aufgabe #{task_id} – abgebrochen** ({area} · {competence})")
        }
        TaskStatus::External => {
            format!("↗️ **Aufgabe #{task_id} – extern vergeben** ({area} · {competence})")
        }
        _ if closed => format!(
            "⌛ **Aufgabe #{task_id} – Umfrage beendet, noch nicht vergeben** ({area} · {competence})\nAntworten sind weiterhin möglich."
        ),
        _ => format!(
            "📋 **Neue Aufgabe #{task_id}** – {area} · {competence}\nWer kann übernehmen? Antworte mit den Buttons oder mit ✅ ❌ ⏳."
        ),
    }
}

/// The answer figures under a survey post.
pub fn survey_counts(c: &crate::domain::survey::AnswerCounts) -> String {
    format!(
        "Antworten: ✅ {} · ❌ {} · ⏳ {} · noch offen {} von {} Angefragten",
        c.accepted, c.declined, c.later, c.no_answer, c.surveyed
    )
}

/// Hours of a task as shown in a post.
pub fn task_hours(h: f64, recurring: bool) -> String {
    if recurring {
        format!("{} pro Woche (laufend)", hours(h))
    } else {
        hours(h)
    }
}

/// Yes or no.
pub fn yes_no(value: bool) -> &'static str {
    if value { "ja" } else { "nein" }
}

/// DM to the coordinator who created a task when a VPA accepts.
pub fn accepted_for_coordinator(
    vpa: crate::domain::ids::DiscordId,
    name: &str,
    task_id: i64,
    surveyed: bool,
) -> String {
    let marker = if surveyed {
        ""
    } else {
        " (war nicht angefragt)"
    };
    format!(
        "✅ <@{vpa}> ({name}){marker} hat Aufgabe #{task_id} angenommen. Mit `/survey status task:{task_id}` siehst du alle Antworten."
    )
}

/// DM after a quick ❌.
pub fn ask_decline_reason(task_id: i64) -> String {
    format!(
        "Du hast Aufgabe #{task_id} mit ❌ abgelehnt – danke! Magst du uns kurz sagen, warum? Das hilft uns, Aufgaben besser zu verteilen."
    )
}

/// DM after a quick ⏳.
pub fn ask_later_date(task_id: i64) -> String {
    format!(
        "Du hast bei Aufgabe #{task_id} mit ⏳ geantwortet. Ab wann hättest du Zeit? Mit dem Datum können wir beim Kunden nach einer späteren Deadline fragen."
    )
}

/// Private confirmations of answers.
pub fn answer_confirmed(
    answer: &crate::domain::survey::Answer,
    task_id: i64,
    surveyed: bool,
) -> String {
    use crate::domain::survey::Answer;
    let base = match answer {
        Answer::Accept => format!(
            "Danke! Du hast Aufgabe #{task_id} angenommen. Die Koordination meldet sich bei dir."
        ),
        Answer::Decline { reason, note } => {
            let note = note
                .as_deref()
                .map(|n| format!(" – „{n}“"))
                .unwrap_or_default();
            format!(
                "Danke für die Rückmeldung. Absage zu Aufgabe #{task_id} gespeichert: {}{note}.",
                reason.german()
            )
        }
        Answer::Later { from: Some(day) } => {
            format!(
                "Danke! Gespeichert: Aufgabe #{task_id} könntest du ab {} übernehmen.",
                german(*day)
            )
        }
        Answer::Later { from: None } => format!("Danke! Gespeichert: Aufgabe #{task_id} später."),
    };
    if surveyed {
        base
    } else {
        format!(
            "{base} (Hinweis: Du warst für diese Aufgabe nicht angefragt; deine Antwort ist vermerkt.)"
        )
    }
}

/// The answer repeated what was stored.
pub fn answer_unchanged(task_id: i64) -> String {
    format!("Deine Antwort zu Aufgabe #{task_id} war schon gespeichert – nichts geändert.")
}

/// Answers to a task that needs nobody any more.
pub fn task_closed_for_answers(task_id: i64, status: crate::domain::task::TaskStatus) -> String {
    format!(
        "Aufgabe #{task_id} ist {} – Antworten werden nicht mehr angenommen.",
        status.german()
    )
}

/// A component of a survey that no longer exists.
pub const UNKNOWN_SURVEY: &str = "Diese Umfrage gibt es nicht mehr.";
/// A component this bot does not know.
pub const UNKNOWN_BUTTON: &str = "Diese Schaltfläche kennt der Bot nicht (mehr).";
/// Choose reason prompt.
pub const CHOOSE_REASON: &str = "Schade! Warum passt es nicht? Wähle einen Grund:";

/// A later date that cannot be read or lies in the past.
pub fn later_date_invalid(input: &str) -> String {
    format!(
        "„{input}“ ist kein gültiges Datum. Erlaubt sind TT.MM.JJJJ (z. B. 24.12.2026) oder JJJJ-MM-TT (z. B. 2026-12-24). Es wurde nichts gespeichert."
    )
}

/// A later date before today.
pub fn later_date_past(day: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    format!(
        "Das Datum {} liegt in der Vergangenheit. Erlaubt ist heute ({}) oder ein späterer Tag. Es wurde nichts gespeichert.",
        german(day),
        german(today)
    )
}

// ---------------------------------------------------------------------------------------------
// Roles and errors

/// Refusals by role.
pub const ONLY_COORDINATORS: &str = "Das dürfen nur Koordinator:innen und der VPA Manager. Frag bei Bedarf den VPA Manager nach der Rolle.";
pub const ONLY_MANAGER: &str = "Das darf nur der VPA Manager.";
pub const ONLY_VPAS_PROFILE: &str = "Profile gibt es nur für VPAs (Rolle „VPA“ fehlt).";
pub const ONLY_VPAS: &str = "Auf Umfragen können nur VPAs antworten (Rolle „VPA“ fehlt).";
pub const ONLY_IN_SERVER: &str =
    "Dieser Befehl funktioniert nur auf dem Server, nicht in Direktnachrichten.";
/// Something went wrong on our side.
pub const INTERNAL_ERROR: &str = "Da ist bei uns etwas schiefgegangen. Es wurde nichts halb gespeichert; versuche es bitte gleich noch einmal. Bleibt der Fehler, melde dich beim VPA Manager.";

/// A command argument that Discord passed but we could not read.
pub fn bad_argument(input: Option<&str>, what: &str) -> String {
    match input {
        Some(i) => format!("Die Eingabe „{i}“ passt nicht: {what}. Es wurde nichts gespeichert."),
        None => format!("Eine Eingabe passt nicht: {what}. Es wurde nichts gespeichert."),
    }
}

// ---------------------------------------------------------------------------------------------
// Tasks

/// The coordinator's reply while the post is on its way.
pub fn task_created(task_id: i64, surveyed: usize, fitting: usize, link: Option<&str>) -> String {
    let widen = if fitting > surveyed {
        format!(
            " {} weitere passende VPAs können später per Erweiterung angefragt werden.",
            fitting - surveyed
        )
    } else {
        String::new()
    };
    let post = match link {
        Some(link) => format!("Umfrage: {link}"),
        None => "Die Umfrage wird gerade gepostet.".to_string(),
    };
    format!("Aufgabe #{task_id} angelegt. {surveyed} passende VPAs angefragt.{widen}\n{post}")
}

/// The coordinator's reply when the post could not be delivered yet.
pub fn task_post_delayed(task_id: i64, surveyed: usize) -> String {
    format!(
        "Aufgabe #{task_id} angelegt, {surveyed} VPAs werden angefragt. Discord ist gerade langsam: die Umfrage wird gepostet, sobald es wieder geht – es geht nichts verloren."
    )
}

/// When nobody fits.
pub fn task_nobody_fits(task_id: i64) -> String {
    format!(
        "Aufgabe #{task_id} angelegt, aber **kein VPA passt** gerade (Kompetenz, VT-Stop, Abwesenheit, Zeitplanung oder Kapazität). Es wurde keine Umfrage gepostet. Melde den Bedarf beim VPA Manager."
    )
}

/// Heading before the list of problems with a task.
pub fn task_invalid(problems: &[TaskProblem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("• {}", task_problem(p)))
        .collect();
    format!("Die Aufgabe wurde nicht angelegt:\n{}", lines.join("\n"))
}

// ---------------------------------------------------------------------------------------------
// Profiles

/// Weekly hours out of range.
pub fn weekly_hours_invalid(h: f64, max: f64) -> String {
    let shown = if h.is_finite() {
        hours(h)
    } else {
        "keine Zahl".into()
    };
    format!(
        "Die Wochenstunden ({shown}) passen nicht: erlaubt sind {} bis {}. Es wurde nichts geändert.",
        hours(0.0),
        hours(max)
    )
}

/// A VT-Stop date that cannot be read.
pub fn vt_stop_invalid(input: &str) -> String {
    format!(
        "„{input}“ ist kein gültiges Datum. Erlaubt sind TT.MM.JJJJ, JJJJ-MM-TT oder „aus“ (VT-Stop beenden). Es wurde nichts geändert."
    )
}

/// An absence date that cannot be read.
pub fn absence_invalid(input: &str) -> String {
    format!(
        "„{input}“ ist kein gültiges Datum. Erlaubt sind TT.MM.JJJJ oder JJJJ-MM-TT; „aus“ bei „von“ beendet die Abwesenheit. Es wurde nichts geändert."
    )
}

/// An absence that ends before it starts.
pub fn absence_order(from: chrono::NaiveDate, until: chrono::NaiveDate) -> String {
    format!(
        "Das Ende ({}) liegt vor dem Beginn ({}). Es wurde nichts geändert.",
        german(until),
        german(from)
    )
}

/// A day in the past where a future one is needed.
pub fn date_in_past(day: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    format!(
        "Das Datum {} liegt in der Vergangenheit; erlaubt ist heute ({}) oder später. Es wurde nichts geändert.",
        german(day),
        german(today)
    )
}

/// An unknown competence in a profile command.
pub fn competence_unknown(unknown: &crate::domain::competence::UnknownCompetence) -> String {
    task_problem(&TaskProblem::UnknownCompetence(unknown.clone()))
}

/// A level is needed to add a competence.
pub const LEVEL_MISSING: &str = "Beim Hinzufügen einer Kompetenz fehlt die Stufe: wähle basic (Grundkenntnisse), good oder expert. Es wurde nichts geändert.";
/// Someone else's profile.
pub const ONLY_OWN_PROFILE: &str = "Du kannst nur dein eigenes Profil sehen und ändern. Koordinator:innen und der VPA Manager können Profile anderer bearbeiten.";
/// The user has no profile and was not created.
pub fn no_profile(vpa: crate::domain::ids::DiscordId) -> String {
    format!("<@{vpa}> hat noch kein VPA-Profil.")
}
/// Added after a profile was created on first use.
pub const PROFILE_CREATED: &str = "Dein VPA-Profil wurde angelegt (0 Wochenstunden, möchte keine Aufgaben). Lege mit `/profile schedule` fest, wie viele Stunden pro Woche du arbeiten möchtest und ob du Aufgaben und Neukunden möchtest – sonst wirst du nicht angefragt.";
/// After a change.
pub fn profile_saved(changed: bool) -> &'static str {
    if changed {
        "Gespeichert."
    } else {
        "Das war schon so gespeichert – nichts geändert."
    }
}
/// After deactivation.
pub fn deactivated(vpa: crate::domain::ids::DiscordId) -> String {
    format!(
        "<@{vpa}> ist deaktiviert: zählt nicht mehr im Pool und wird nicht mehr angefragt. Ein neuer Import mit dieser Person aktiviert sie wieder."
    )
}

/// A profile as lines of text (for an embed description, under 4,096 characters).
pub fn profile_lines(
    vpa: &crate::domain::vpa::Vpa,
    catalog: &crate::domain::competence::Catalog,
    today: chrono::NaiveDate,
    newbie_days: u32,
) -> String {
    use crate::domain::utilization::{format_utilization, utilization};
    let mut out = String::new();
    out.push_str(&format!("**Wochenstunden:** {}\n", hours(vpa.weekly_hours)));
    out.push_str(&format!(
        "**Möchte Aufgaben:** {} · **möchte Neukunden:** {}\n",
        yes_no(vpa.wants_tasks),
        yes_no(vpa.wants_new_clients)
    ));
    out.push_str(&format!(
        "**Auslastung diese Woche:** {}\n",
        format_utilization(utilization(&vpa.commitments, vpa.weekly_hours, today))
    ));
    let vt = match vpa.vt_stop_until {
        Some(d) if vpa.vt_stop_active(today) => format!("bis {}", german(d)),
        _ => "nein".into(),
    };
    out.push_str(&format!("**VT-Stop:** {vt}\n"));
    let absent = match (vpa.absent_from, vpa.absent_until) {
        (None, None) => "nein".to_string(),
        (Some(f), Some(u)) => format!("{} – {}", german(f), german(u)),
        (Some(f), None) => format!("ab {} (offen)", german(f)),
        (None, Some(u)) => format!("bis {}", german(u)),
    };
    out.push_str(&format!("**Abwesend:** {absent}\n"));
    out.push_str(&format!(
        "**Einarbeitung möglich:** {}\n",
        yes_no(vpa.willing_to_train)
    ));
    if vpa.is_newbie(today, newbie_days) {
        out.push_str(
            "**Newbie** – prüfe und ergänze deine Kompetenzen (auch Grundkenntnisse zählen).\n",
        );
    }
    if !vpa.active {
        out.push_str("**Deaktiviert** – zählt nicht im Pool.\n");
    }
    out.push_str("**Kompetenzen:**");
    if vpa.competences.is_empty() {
        out.push_str(" keine – ergänze sie mit `/profile competence`.");
    }
    for area in crate::domain::area::WorkArea::ALL {
        let held: Vec<String> = vpa
            .competences
            .iter()
            .filter(|c| catalog.get(c.competence).area == area)
            .map(|c| format!("{} ({})", catalog.get(c.competence).name, c.level.german()))
            .collect();
        if !held.is_empty() {
            out.push_str(&format!("\n• {}: {}", area.german(), held.join(", ")));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Task management

/// DM to a VPA who got a task (with the client, which the survey post leaves out).
pub fn assigned_to_vpa(task: &crate::domain::task::Task, competence: &str) -> String {
    let description = task
        .description
        .as_deref()
        .map(|d| format!("\nBeschreibung: {d}"))
        .unwrap_or_default();
    format!(
        "🎉 Du hast Aufgabe #{} bekommen: {} · {} · {} · Deadline {} · Kunde: {}.{description}\nDie Koordination meldet sich mit den Details.",
        task.id,
        task.area.german(),
        competence,
        task_hours(task.hours, task.recurring),
        german(task.deadline),
        task.client
    )
}

/// DM to a VPA whose task was taken back.
pub fn unassigned_to_vpa(task_id: i64) -> String {
    format!(
        "Aufgabe #{task_id} wurde dir wieder abgenommen; die Stunden sind in deiner Zeitplanung wieder frei."
    )
}

/// Refusals of task actions.
pub fn task_refusal(refusal: &crate::service::tasks::TaskRefusal) -> String {
    use crate::service::tasks::TaskRefusal;
    match refusal {
        TaskRefusal::UnknownTask(id) => {
            format!("Eine Aufgabe #{id} gibt es nicht. `/task list` zeigt die offenen Aufgaben.")
        }
        TaskRefusal::WrongStatus { task_id, status } => {
            format!(
                "Aufgabe #{task_id} ist {} – das geht in diesem Zustand nicht.",
                status.german()
            )
        }
        TaskRefusal::NotAVpa(vpa) => {
            format!("<@{vpa}> hat kein VPA-Profil und kann keine Aufgaben bekommen.")
        }
        TaskRefusal::AlreadyAssigned { task_id, vpa } => {
            format!("<@{vpa}> hat Aufgabe #{task_id} schon.")
        }
        TaskRefusal::NotAssigned { task_id, vpa } => {
            format!("<@{vpa}> hat Aufgabe #{task_id} nicht.")
        }
    }
}

/// After an assignment.
pub fn assigned(a: &crate::service::tasks::Assigned) -> String {
    use crate::domain::utilization::format_utilization;
    let mut text = format!(
        "Aufgabe #{} ist an <@{}> ({}) vergeben. Auslastung diese Woche jetzt: {}. Der Umfrage-Post zeigt „vergeben“, die VPA bekommt eine DM.",
        a.task_id,
        a.vpa,
        a.vpa_name,
        format_utilization(a.utilization_after)
    );
    if !a.concerns.is_empty() {
        let concerns: Vec<String> = a.concerns.iter().map(exclusion).collect();
        text.push_str(&format!(
            "\n⚠️ Hinweis: eigentlich passt es nicht – {}.",
            concerns.join(", ")
        ));
    }
    text
}

/// After an unassignment.
pub fn unassigned(
    task_id: i64,
    vpa: crate::domain::ids::DiscordId,
    status: crate::domain::task::TaskStatus,
) -> String {
    format!(
        "<@{vpa}> hat Aufgabe #{task_id} nicht mehr; die Stunden sind wieder frei. Status jetzt: {}.",
        status.german()
    )
}

/// After done or cancel.
pub fn closed(task_id: i64, status: crate::domain::task::TaskStatus) -> String {
    format!("Aufgabe #{task_id} ist jetzt {}.", status.german())
}

/// A task's details as text.
pub fn task_details(d: &crate::service::tasks::TaskDetails, competence: &str) -> String {
    let t = &d.task;
    let mut out = format!(
        "**Aufgabe #{}** – {}\nKunde: {} · {} · {} · {} · {} {} · Neukunde: {}\n",
        t.id,
        t.status.german(),
        t.client,
        t.area.german(),
        competence,
        task_hours(t.hours, t.recurring),
        if t.recurring { "Start bis" } else { "Deadline" },
        german(t.deadline),
        yes_no(t.new_client)
    );
    if let Some(description) = &t.description {
        out.push_str(&format!("Beschreibung: {description}\n"));
    }
    if !d.assignees.is_empty() {
        let names: Vec<String> = d
            .assignees
            .iter()
            .map(|(id, name)| format!("<@{id}> ({name})"))
            .collect();
        out.push_str(&format!("Vergeben an: {}\n", names.join(", ")));
    }
    for (i, (round, counts)) in d.rounds.iter().enumerate() {
        out.push_str(&format!("Umfrage {}: {}\n", i + 1, survey_counts(counts)));
        let _ = round;
    }
    let history: Vec<String> = d
        .history
        .iter()
        .map(|change| {
            let (to, note, at) = (&change.to_status, &change.note, change.changed_at);
            let status = to
                .parse::<crate::domain::task::TaskStatus>()
                .map(|s| s.german())
                .unwrap_or("?");
            let note = note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            format!("{} {status}{note}", at.format("%d.%m. %H:%M"))
        })
        .collect();
    out.push_str(&format!("Verlauf (UTC): {}", history.join(" → ")));
    out
}

/// The open demand as text, oldest first, by area.
pub fn task_list(
    tasks: &[crate::domain::task::Task],
    catalog: &crate::domain::competence::Catalog,
) -> String {
    if tasks.is_empty() {
        return "Kein offener Bedarf – alle Aufgaben sind vergeben. 🎉".into();
    }
    let mut out = format!("**Offener Bedarf: {} Aufgabe(n)**", tasks.len());
    for area in crate::domain::area::WorkArea::ALL {
        let in_area: Vec<_> = tasks.iter().filter(|t| t.area == area).collect();
        if in_area.is_empty() {
            continue;
        }
        out.push_str(&format!("\n__{}__", area.german()));
        for t in in_area {
            out.push_str(&format!(
                "\n• #{} {} · {} · DL {} · {} · seit {}",
                t.id,
                catalog.get(t.competence).name,
                task_hours(t.hours, t.recurring),
                german(t.deadline),
                t.status.german(),
                t.created_at.format("%d.%m.")
            ));
        }
    }
    out
}

/// The coordinator's view of a task's survey answers.
pub fn survey_status(s: &crate::service::survey::SurveyStatus) -> String {
    use crate::domain::survey::Answer;
    use crate::domain::utilization::format_utilization;
    let name = |l: &crate::service::survey::AnswerLine| {
        let marker = if l.surveyed { "" } else { " (nicht angefragt)" };
        format!("<@{}>{marker}", l.vpa)
    };
    let mut out = format!(
        "**Aufgabe #{}** – {} · {} · {} · {} – {} Umfragerunde(n)",
        s.task.id,
        s.task.area.german(),
        s.competence,
        task_hours(s.task.hours, s.task.recurring),
        s.task.status.german(),
        s.rounds
    );
    out.push_str(&format!("\n✅ **Angenommen ({})**", s.accepted.len()));
    for l in &s.accepted {
        out.push_str(&format!(
            "\n• {} – Auslastung {}",
            name(l),
            format_utilization(l.utilization)
        ));
    }
    out.push_str(&format!("\n⏳ **Später ({})**", s.later.len()));
    for l in &s.later {
        let from = match &l.answer {
            Some(Answer::Later { from: Some(day) }) => format!("ab {}", german(*day)),
            _ => "Datum offen".into(),
        };
        out.push_str(&format!("\n• {} – {from}", name(l)));
    }
    out.push_str(&format!("\n❌ **Abgelehnt ({})**", s.declined.len()));
    for l in &s.declined {
        if let Some(Answer::Decline { reason, note }) = &l.answer {
            let note = note
                .as_deref()
                .map(|n| format!(" – „{n}“"))
                .unwrap_or_default();
            out.push_str(&format!("\n• {} – {}{note}", name(l), reason.german()));
        }
    }
    let waiting: Vec<String> = s.no_answer.iter().map(name).collect();
    out.push_str(&format!("\n… **Ohne Antwort ({})**", s.no_answer.len()));
    if !waiting.is_empty() {
        out.push_str(&format!("\n{}", waiting.join(" ")));
    }
    if out.chars().count() > 1900 {
        out = out.chars().take(1890).collect::<String>() + "\n…";
    }
    out
}

/// A note that is too long.
pub const NOTE_TOO_LONG: &str =
    "Der Hinweis ist zu lang: höchstens 500 Zeichen. Es wurde nichts gemeldet.";

/// A cancel reason must be given.
pub const CANCEL_REASON_INVALID: &str =
    "Gib einen Grund für den Abbruch an (1 bis 500 Zeichen). Es wurde nichts geändert.";

/// Placeholder of the assignment select.
pub const SELECT_ASSIGN_PLACEHOLDER: &str = "VPA auswählen und Aufgabe vergeben";

// ---------------------------------------------------------------------------------------------
// Escalations and pool health

/// DM to the coordinator when a round closed with acceptances but nobody assigned.
pub fn accepted_but_unassigned(task_id: i64, accepted: i64) -> String {
    format!(
        "⏰ Die Umfrage zu Aufgabe #{task_id} ist beendet: {accepted} VPA(s) haben angenommen, aber die Aufgabe ist noch nicht vergeben. Bitte vergib sie mit `/survey status task:{task_id}` – sonst geht sie nach einem weiteren Umfragefenster an den VPA Manager."
    )
}

/// The urgency line of a notice.
pub fn urgency_line(urgency: crate::domain::area::Urgency) -> &'static str {
    use crate::domain::area::Urgency;
    match urgency {
        Urgency::Immediate => "🔴 Backoffice/Sekretariat: bitte umgehend kümmern.",
        Urgency::MayWaitDays => "🟡 Marketing: gemeldet; der Kunde kann ggf. einige Tage warten.",
        Urgency::MayNotBeCoverable => "🟣 Spezialbereich: gemeldet – evtl. nicht abdeckbar.",
    }
}

/// One cause of a notice.
pub fn escalation_cause(event: &crate::db::escalations::EscalationEvent) -> String {
    use crate::db::escalations::Cause;
    let at = event.created_at.format("%d.%m. %H:%M UTC");
    let what = match Cause::parse(&event.cause) {
        Some(Cause::RoundFailed) => "Umfrage ohne Zusage beendet".to_string(),
        Some(Cause::NobodyFits) => "beim Anlegen passte kein VPA".to_string(),
        Some(Cause::Reported) => {
            let by = event
                .reported_by
                .map(|b| format!(" von <@{b}>"))
                .unwrap_or_default();
            let note = event
                .note
                .as_deref()
                .map(|n| format!(": „{n}“"))
                .unwrap_or_default();
            format!("gemeldet{by}{note}")
        }
        Some(Cause::AcceptedUnassigned) => {
            "Zusagen da, aber nach einem weiteren Fenster nicht vergeben".to_string()
        }
        None => event.cause.clone(),
    };
    format!("{at} – {what}")
}

/// The escalation notice as text (the manager channel message content).
pub fn escalation_notice(
    v: &crate::service::escalation::NoticeView,
    ping_role: Option<u64>,
) -> String {
    let t = &v.task;
    let mut out = String::new();
    if let Some(role) = ping_role {
        out.push_str(&format!("<@&{role}> "));
    }
    out.push_str(&format!(
        "🚨 **Bedarf nicht gedeckt – Aufgabe #{}** ({} · {})\n{}\n",
        t.id,
        t.area.german(),
        v.competence,
        urgency_line(v.urgency)
    ));
    out.push_str(&format!(
        "**Aufgabe:** {} · {} {} · Neukunde: {} · Status: {}",
        task_hours(t.hours, t.recurring),
        if t.recurring { "Start bis" } else { "Deadline" },
        german(t.deadline),
        yes_no(t.new_client),
        t.status.german()
    ));
    if let Some(by) = t.created_by {
        out.push_str(&format!(" · angelegt von <@{by}>"));
    }
    out.push('\n');
    if let Some(crate::service::escalation::RoundFigures {
        counts,
        decline_reasons: reasons,
        ..
    }) = &v.last_round
    {
        let reasons: Vec<String> = reasons
            .iter()
            .map(|(key, n)| {
                let label = key
                    .parse::<crate::domain::survey::DeclineReason>()
                    .map(|r| r.german())
                    .unwrap_or("?");
                format!("{label} {n}")
            })
            .collect();
        let reasons = if reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", reasons.join(", "))
        };
        out.push_str(&format!(
            "**Umfrage {}:** {} angefragt · ✅ {} angenommen · ⏳ {} später · ❌ {} abgelehnt{reasons} · {} ohne Antwort\n",
            v.rounds, counts.surveyed, counts.accepted, counts.later, counts.declined, counts.no_answer
        ));
    }
    let a = &v.area_health;
    out.push_str(&format!(
        "**Pool {}:** {} verfügbar für Neukunden (von {} VPAs; VT-Stop {}, abwesend {}) · gesamt {} von mindestens {}{}\n",
        t.area.german(),
        a.available_for_new_clients,
        a.vpas,
        a.vt_stop,
        a.absent,
        v.pool.available_for_new_clients,
        v.pool.threshold,
        if v.pool.healthy { "" } else { " ⚠️" }
    ));
    let causes: Vec<String> = v.events.iter().map(escalation_cause).collect();
    out.push_str(&format!("**Anlass:** {}", causes.join(" · ")));
    out
}

/// The re-ping reply when another round failed.
pub fn escalation_ping(task_id: i64, cause: &str, ping_role: Option<u64>) -> String {
    use crate::db::escalations::Cause;
    let role = ping_role.map(|r| format!("<@&{r}> ")).unwrap_or_default();
    let what = match Cause::parse(cause) {
        None if cause == "quiet-hours" => {
            "nicht gedeckter Bedarf, gemeldet während der Ruhezeit – siehe oben"
        }
        Some(Cause::AcceptedUnassigned) => {
            "es gibt Zusagen, aber die Aufgabe ist weiterhin nicht vergeben"
        }
        Some(Cause::Reported) => "die Koordination meldet den Bedarf erneut",
        _ => "auch die nächste Umfrage endete ohne Zusage",
    };
    format!("{role}Aufgabe #{task_id}: {what}.")
}

/// Reply to `/demand report`.
pub fn demand_reported(task_id: i64, new_notice: bool) -> String {
    if new_notice {
        format!("Aufgabe #{task_id} ist an den VPA Manager gemeldet.")
    } else {
        format!(
            "Aufgabe #{task_id} war schon gemeldet; die Meldung ist ergänzt und der VPA Manager erneut benachrichtigt."
        )
    }
}

fn unavailable_lines(unavailable: &[crate::service::pool_watch::BecameUnavailable]) -> String {
    if unavailable.is_empty() {
        return String::new();
    }
    let lines: Vec<String> = unavailable
        .iter()
        .take(15)
        .map(|u| format!("• <@{}> ({}) – {}", u.vpa, u.name, u.why))
        .collect();
    format!("\nKürzlich nicht mehr verfügbar:\n{}", lines.join("\n"))
}

fn area_lines(health: &PoolHealth) -> String {
    let lines: Vec<String> = health
        .areas
        .iter()
        .map(|(area, h)| {
            let minimum = h
                .minimum
                .map(|m| format!(" (Minimum {m})"))
                .unwrap_or_default();
            format!(
                "{}: {} von {}{minimum}",
                area.german(),
                h.available_for_new_clients,
                h.vpas
            )
        })
        .collect();
    lines.join(" · ")
}

/// The alert when the pool drops below its minimum.
pub fn pool_alert(
    health: &PoolHealth,
    unavailable: &[crate::service::pool_watch::BecameUnavailable],
) -> String {
    format!(
        "⚠️ **Pool-Gesundheit: nur {} von mindestens {} VPAs verfügbar für Neukunden.**\nJe Bereich: {}{}",
        health.available_for_new_clients,
        health.threshold,
        area_lines(health),
        unavailable_lines(unavailable)
    )
}

/// The daily reminder while the pool stays below.
pub fn pool_reminder(
    health: &PoolHealth,
    unavailable: &[crate::service::pool_watch::BecameUnavailable],
) -> String {
    format!(
        "⏰ Erinnerung: Der Pool ist weiterhin unter dem Minimum – {} von mindestens {} VPAs verfügbar für Neukunden.\nJe Bereich: {}{}",
        health.available_for_new_clients,
        health.threshold,
        area_lines(health),
        unavailable_lines(unavailable)
    )
}

/// The notice when the pool recovers.
pub fn pool_recovered(health: &PoolHealth) -> String {
    format!(
        "✅ Pool wieder gesund: {} von mindestens {} VPAs verfügbar für Neukunden.",
        health.available_for_new_clients, health.threshold
    )
}

// ---------------------------------------------------------------------------------------------
// Playbook

/// Nobody for a playbook action.
pub const PLAYBOOK_NOBODY: &str = "Dafür gibt es gerade niemanden – es wurde nichts ausgelöst.";
/// `/task edit` without changes.
pub const EDIT_NOTHING: &str =
    "Gib mindestens eines an: deadline, hours oder description. Es wurde nichts geändert.";

/// After an extended round started.
pub fn extended_round_started(task_id: i64, n: usize) -> String {
    format!(
        "Erweiterte Umfrage zu Aufgabe #{task_id} gestartet: {n} VPAs angefragt, die eigentlich keine neuen Kunden/Aufgaben möchten."
    )
}

/// After a related-competence round started.
pub fn related_round_started(task_id: i64, competence: &str, n: usize) -> String {
    format!("Aufgabe #{task_id} neu ausgeschrieben unter „{competence}“: {n} VPAs angefragt.")
}

/// The polite DM to an illogical decliner.
pub fn reask_decliner(task: &crate::domain::task::Task, competence: &str) -> String {
    format!(
        "Hallo! Du hattest Aufgabe #{} ({} · {} · Deadline {}) mit „keine Kapazität“ abgesagt. Laut deiner Zeitplanung möchtest du Aufgaben und hast noch Luft – passt es vielleicht doch? Wenn ja, tippe einfach auf „Annehmen“. Wenn nicht, ist das völlig in Ordnung; aktualisiere dann gern deine Zeitplanung mit `/profile schedule`.",
        task.id,
        task.area.german(),
        competence,
        german(task.deadline)
    )
}

/// After re-asking.
pub fn reasked(task_id: i64, n: usize) -> String {
    format!("{n} VPA(s) zu Aufgabe #{task_id} freundlich per DM noch einmal gefragt.")
}

/// The newbie nudge.
pub fn newbie_nudge(area: &str) -> String {
    format!(
        "Hallo und willkommen im Team! 👋 Wir suchen gerade Unterstützung im Bereich {area}. Bitte prüfe und ergänze deine Kompetenzen mit `/profile competence` – auch Grundkenntnisse zählen, damit wir dir passende Aufgaben anbieten können."
    )
}

/// The newbie nudge in the newbies channel when DMs are refused.
pub fn newbie_nudge_in_channel(user: u64, text: &str) -> String {
    format!("<@{user}> {text}")
}

/// After nudging.
pub fn nudged(nudged: usize, cooling: usize) -> String {
    let cooling = if cooling > 0 {
        format!(
            " {cooling} wurden kürzlich schon angestupst (Cool-down) und bleiben diesmal in Ruhe."
        )
    } else {
        String::new()
    };
    format!("{nudged} Newbie(s) angestupst, ihre Kompetenzen zu ergänzen.{cooling}")
}

/// A task too small to split.
pub fn not_large(task_id: i64, large: f64) -> String {
    format!(
        "Aufgabe #{task_id} ist keine große Aufgabe: aufteilen lässt sich erst ab {}.",
        hours(large)
    )
}

/// The description of a part of a split task.
pub fn part_description(i: usize, n: usize, parent: i64, description: Option<&str>) -> String {
    let rest = description.map(|d| format!(": {d}")).unwrap_or_default();
    let text = format!("Teil {i}/{n} von Aufgabe #{parent}{rest}");
    text.chars().take(1024).collect()
}

/// The history note of a split.
pub fn split_note(ids: &[i64]) -> String {
    let ids: Vec<String> = ids.iter().map(|i| format!("#{i}")).collect();
    format!("aufgeteilt in {}", ids.join(", "))
}

/// After a split.
pub fn split_done(task_id: i64, ids: &[i64], parts: &[f64]) -> String {
    let lines: Vec<String> = ids
        .iter()
        .zip(parts)
        .map(|(id, h)| format!("#{id} ({})", hours(*h)))
        .collect();
    format!(
        "Aufgabe #{task_id} aufgeteilt in {} – jede Teilaufgabe wird eigens angefragt.",
        lines.join(", ")
    )
}

/// The history note of an edit.
pub fn edit_note(
    before: &crate::domain::task::Task,
    after: &crate::domain::task::ValidTask,
) -> String {
    let mut changes = Vec::new();
    if before.deadline != after.deadline {
        changes.push(format!(
            "Deadline {} → {}",
            german(before.deadline),
            german(after.deadline)
        ));
    }
    if (before.hours - after.hours).abs() > f64::EPSILON {
        changes.push(format!(
            "Stunden {} → {}",
            hours(before.hours),
            hours(after.hours)
        ));
    }
    if before.description != after.description {
        changes.push("Beschreibung geändert".to_string());
    }
    if changes.is_empty() {
        "unverändert".to_string()
    } else {
        changes.join(", ")
    }
}

/// After an edit.
pub fn task_edited(task_id: i64, note: &str, fitting: usize) -> String {
    format!(
        "Aufgabe #{task_id} geändert: {note}. Jetzt passen {fitting} VPA(s); Umfrage-Post und Meldung zeigen die Änderung."
    )
}

/// An unknown template name.
pub fn unknown_template(name: &str, known: Vec<&str>) -> String {
    format!(
        "Eine Vorlage „{name}“ gibt es nicht. Vorhanden: {}.",
        known.join(", ")
    )
}

/// The playbook as embed fields: (title, text), each text under 1,024 characters.
pub fn playbook_fields(
    book: &crate::domain::playbook::Playbook,
    task: &crate::domain::task::Task,
    catalog: &crate::domain::competence::Catalog,
    large_hours: f64,
) -> Vec<(String, String)> {
    let people = |ids: &[crate::domain::ids::DiscordId]| -> String {
        let shown: Vec<String> = ids.iter().take(20).map(|i| format!("<@{i}>")).collect();
        let more = if ids.len() > 20 {
            format!(" und {} weitere", ids.len() - 20)
        } else {
            String::new()
        };
        format!("{}{more}", shown.join(" "))
    };
    let mut fields = Vec::new();
    let mut extend = format!(
        "{} VPA(s) mit der Kompetenz möchten eigentlich keine neuen Kunden/Aufgaben.",
        book.extend.len()
    );
    if !book.illogical_decliners.is_empty() {
        extend.push_str(&format!(
            "\nUnlogische Absagen („keine Kapazität“, aber Zeitplanung frei): {}",
            people(&book.illogical_decliners)
        ));
    }
    fields.push(("1. Umfrage erweitern".to_string(), extend));
    let later = match book.later.first() {
        Some(first) => {
            let who: Vec<String> = book
                .later
                .iter()
                .take(10)
                .map(|l| format!("<@{}> ab {}", l.vpa, german(l.from)))
                .collect();
            format!(
                "Frühestens ab {}: {}. Vorlage: `/template name:deadline task:{}`; danach `/task edit id:{} deadline:…`",
                german(first.from),
                who.join(", "),
                task.id,
                task.id
            )
        }
        None => "Niemand hat „später“ mit Datum geantwortet.".to_string(),
    };
    fields.push(("2. Deadline verschieben".to_string(), later));
    let related = if book.related.is_empty() {
        "Keine verwandten Kompetenzen im Katalog.".to_string()
    } else {
        book.related
            .iter()
            .map(|(c, n)| format!("„{}“: {n} passende VPA(s)", catalog.get(*c).name))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    fields.push(("3. Kompetenz ändern".to_string(), related));
    fields.push((
        "4. Newbies anstupsen".to_string(),
        format!(
            "{} Newbie(s) ohne Kompetenz im Bereich {} – vielleicht schlummert sie dort.",
            book.newbies.len(),
            task.area.german()
        ),
    ));
    let split = match &book.split {
        Some(parts) => format!(
            "{} Teile: {}. Vorlage: `/template name:split task:{}`",
            parts.len(),
            parts
                .iter()
                .map(|p| hours(*p))
                .collect::<Vec<_>>()
                .join(" + "),
            task.id
        ),
        None => format!(
            "Nur für Aufgaben ab {} – diese hat {}.",
            hours(large_hours),
            hours(task.hours)
        ),
    };
    fields.push(("5. Aufteilen".to_string(), split));
    let training = if book.training.is_empty() {
        "Niemand mit Bereitschaft zur Einarbeitung und verwandter Kompetenz.".to_string()
    } else {
        format!(
            "{} (auf Kosten des Kunden). Vorlage: `/template name:training task:{}`",
            people(&book.training),
            task.id
        )
    };
    fields.push(("6. Einarbeitung anbieten".to_string(), training));
    fields.push((
        "7. Externe Recherche anbieten".to_string(),
        format!("Vorlage: `/template name:external task:{}`", task.id),
    ));
    fields
        .into_iter()
        .map(|(t, v)| (t, v.chars().take(1024).collect()))
        .collect()
}

/// Button labels of the playbook (at most 80 characters each).
pub fn playbook_button_extend(n: usize) -> String {
    format!("Umfrage erweitern ({n})")
}
pub fn playbook_button_reask(n: usize) -> String {
    format!("Absagen nachfragen ({n})")
}
pub fn playbook_button_related(name: &str, n: usize) -> String {
    format!("Als „{name}“ ausschreiben ({n})")
        .chars()
        .take(80)
        .collect()
}
pub fn playbook_button_nudge(n: usize) -> String {
    format!("Newbies anstupsen ({n})")
}
pub fn playbook_button_split(parts: usize) -> String {
    format!("In {parts} Teile aufteilen")
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
