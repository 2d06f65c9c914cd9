//! How values read in each language: hours, days, shares, yes/no, and the names of areas,
//! statuses, levels, reasons and competences — all from the catalog, so a language folder
//! decides its own decimal separator and date order.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

use super::catalog::{Lang, t};
use crate::domain::area::{Urgency, WorkArea};
use crate::domain::competence::{Catalog, CompetenceId, Level};
use crate::domain::survey::DeclineReason;
use crate::domain::task::TaskStatus;

/// A number with up to two decimals, in the language's way: `7,5` / `7.5`.
pub fn decimal(lang: Lang, value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    };
    text.replace('.', &t!(lang, "number-decimal-separator"))
}

/// Hours: "7,5 h".
pub fn hours(lang: Lang, h: f64) -> String {
    if !h.is_finite() {
        return t!(lang, "not-a-number");
    }
    t!(lang, "format-hours", value = decimal(lang, h))
}

/// A file's size in KB or MB, with the language's decimal mark.
pub fn size(lang: Lang, bytes: u64) -> String {
    let kb = bytes as f64 / 1024.0;
    if kb < 1024.0 {
        t!(
            lang,
            "format-kb",
            value = decimal(lang, (kb * 10.0).round() / 10.0)
        )
    } else {
        t!(
            lang,
            "format-mb",
            value = decimal(lang, (kb / 1024.0 * 10.0).round() / 10.0)
        )
    }
}

/// A task's hours: per week for a recurring task.
pub fn task_hours(lang: Lang, h: f64, recurring: bool) -> String {
    if recurring {
        t!(lang, "format-hours-per-week", hours = hours(lang, h))
    } else {
        hours(lang, h)
    }
}

/// What a task's day is called: a deadline, or for a recurring task when it must start.
pub fn deadline_label(lang: Lang, recurring: bool) -> String {
    if recurring {
        t!(lang, "label-start-by")
    } else {
        t!(lang, "label-deadline")
    }
}

/// A calendar day: "08.12.2026" / "2026-12-08".
pub fn date(lang: Lang, day: NaiveDate) -> String {
    t!(
        lang,
        "format-date",
        day = format!("{:02}", day.day()),
        month = format!("{:02}", day.month()),
        year = format!("{:04}", day.year())
    )
}

/// Day and month: "30.11.".
pub fn day_month(lang: Lang, at: DateTime<Utc>) -> String {
    t!(
        lang,
        "format-day-month",
        day = format!("{:02}", at.day()),
        month = format!("{:02}", at.month())
    )
}

/// Day, month and time in UTC: "30.11. 09:00".
pub fn day_month_time(lang: Lang, at: DateTime<Utc>, utc_marker: bool) -> String {
    let (day, month) = (format!("{:02}", at.day()), format!("{:02}", at.month()));
    let (hour, minute) = (format!("{:02}", at.hour()), format!("{:02}", at.minute()));
    if utc_marker {
        t!(
            lang,
            "format-day-month-time-utc",
            day = day,
            month = month,
            hour = hour,
            minute = minute
        )
    } else {
        t!(
            lang,
            "format-day-month-time",
            day = day,
            month = month,
            hour = hour,
            minute = minute
        )
    }
}

/// Day, month and time as the agency's clocks show them (its time zone): "30.11. 10:00".
pub fn local_day_month_time(lang: Lang, at: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    day_month_time(lang, at.with_timezone(&zone).naive_local().and_utc(), false)
}

/// A utilization share as people read it: "45 %", or "—" without weekly hours.
pub fn utilization(lang: Lang, share: Option<f64>) -> String {
    match share {
        Some(s) => t!(
            lang,
            "format-percent",
            value = ((s * 100.0).round() as i64).to_string()
        ),
        None => t!(lang, "format-utilization-none"),
    }
}

/// Yes or no.
pub fn yes_no(lang: Lang, value: bool) -> String {
    if value {
        t!(lang, "yes")
    } else {
        t!(lang, "no")
    }
}

/// Text in quotes: „…“ / “…”.
pub fn quoted(lang: Lang, text: &str) -> String {
    t!(lang, "format-quoted", text = text)
}

/// Items joined by the language's list separator.
pub fn list(lang: Lang, items: &[String]) -> String {
    items.join(&t!(lang, "format-list-separator"))
}

/// At most `shown` items joined with `separator`, then "und N weitere".
pub fn capped(lang: Lang, items: &[String], shown: usize, separator: &str) -> String {
    let head = items[..items.len().min(shown)].join(separator);
    if items.len() > shown {
        t!(
            lang,
            "format-and-more",
            shown = head,
            more = items.len() - shown
        )
    } else {
        head
    }
}

pub fn area(lang: Lang, area: WorkArea) -> String {
    match area {
        WorkArea::Backoffice => t!(lang, "area-backoffice"),
        WorkArea::Secretarial => t!(lang, "area-secretarial"),
        WorkArea::Marketing => t!(lang, "area-marketing"),
        WorkArea::Sales => t!(lang, "area-sales"),
        WorkArea::Software => t!(lang, "area-software"),
    }
}

pub fn status(lang: Lang, status: TaskStatus) -> String {
    match status {
        TaskStatus::Open => t!(lang, "status-open"),
        TaskStatus::Surveying => t!(lang, "status-surveying"),
        TaskStatus::Assigned => t!(lang, "status-assigned"),
        TaskStatus::Escalated => t!(lang, "status-escalated"),
        TaskStatus::External => t!(lang, "status-external"),
        TaskStatus::Done => t!(lang, "status-done"),
        TaskStatus::Cancelled => t!(lang, "status-cancelled"),
        TaskStatus::Split => t!(lang, "status-split"),
    }
}

pub fn level(lang: Lang, level: Level) -> String {
    match level {
        Level::Basic => t!(lang, "level-basic"),
        Level::Good => t!(lang, "level-good"),
        Level::Expert => t!(lang, "level-expert"),
    }
}

pub fn reason(lang: Lang, reason: DeclineReason) -> String {
    match reason {
        DeclineReason::NoCapacity => t!(lang, "reason-no-capacity"),
        DeclineReason::MissingCompetence => t!(lang, "reason-missing-competence"),
        DeclineReason::NoInterest => t!(lang, "reason-no-interest"),
        DeclineReason::DeadlineTooTight => t!(lang, "reason-deadline-too-tight"),
        DeclineReason::Other => t!(lang, "reason-other"),
        DeclineReason::NotGiven => t!(lang, "reason-not-given"),
    }
}

pub fn urgency(lang: Lang, urgency: Urgency) -> String {
    match urgency {
        Urgency::Immediate => t!(lang, "urgency-immediate"),
        Urgency::MayWaitDays => t!(lang, "urgency-may-wait"),
        Urgency::MayNotBeCoverable => t!(lang, "urgency-may-not-be-coverable"),
    }
}

/// A competence's name in the language (the catalog's name where it has none).
pub fn competence(lang: Lang, catalog: &Catalog, id: CompetenceId) -> String {
    catalog.get(id).name_in(lang.tag()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn numbers_and_days_in_each_language() {
        let de = Lang::from_tag("de").unwrap();
        let en = Lang::from_tag("en").unwrap();
        assert_eq!(hours(de, 7.5), "7,5 h");
        assert_eq!(hours(de, 10.0), "10 h");
        assert_eq!(hours(de, 0.25), "0,25 h");
        assert_eq!(hours(en, 7.5), "7.5 h");
        assert_eq!(hours(en, f64::NAN), "not a number");
        assert_eq!(date(de, d("2026-12-08")), "08.12.2026");
        assert_eq!(date(en, d("2026-12-08")), "2026-12-08");
        assert_eq!(utilization(de, Some(0.5)), "50 %");
        assert_eq!(utilization(en, Some(0.456)), "46%");
        assert_eq!(utilization(de, None), "—");
        assert_eq!(task_hours(en, 4.0, true), "4 h per week (ongoing)");
        assert_eq!(yes_no(de, true), "ja");
        assert_eq!(
            status(en, TaskStatus::Escalated),
            "reported to the VPA manager"
        );
    }
}
