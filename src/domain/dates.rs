//! Calendar days in the agency's time zone, as people type them.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Parses `YYYY-MM-DD` or `DD.MM.YYYY` (also `D.M.YYYY`). Anything else is `None`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y"))
        .ok()
        // chrono accepts 5-digit years; a person never means them.
        .filter(|d| (1900..=9999).contains(&d.year()))
}

/// The German way to show a day: `31.12.2026`.
pub fn german(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

/// The Monday of the ISO week that contains `day`.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Duration::days(day.weekday().num_days_from_monday() as i64)
}

/// Whether `day` is Monday to Friday.
pub fn is_workday(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Monday–Friday days from `from` to `to`, both included.
pub fn workdays_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to < from {
        return 0;
    }
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| is_workday(*d))
        .count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn parses_both_formats_and_nothing_else() {
        assert_eq!(parse_date("2026-12-24"), Some(d("2026-12-24")));
        assert_eq!(parse_date("24.12.2026"), Some(d("2026-12-24")));
        assert_eq!(parse_date("1.2.2027"), Some(d("2027-02-01")));
        assert_eq!(parse_date("31.02.2026"), None);
        assert_eq!(parse_date("morgen"), None);
        assert_eq!(parse_date("12/24/2026"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn weeks_and_workdays() {
        assert_eq!(week_start(d("2026-11-29")), d("2026-11-23")); // Sunday → Monday before
        assert_eq!(week_start(d("2026-11-23")), d("2026-11-23"));
        assert_eq!(workdays_between(d("2026-11-27"), d("2026-11-30")), 2); // Fri + Mon
        assert_eq!(workdays_between(d("2026-11-28"), d("2026-11-29")), 0);
        assert_eq!(workdays_between(d("2026-11-30"), d("2026-11-27")), 0);
        assert_eq!(german(d("2026-01-05")), "05.01.2026");
    }
}
