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

/// The Monday of the ISO week that contains `day`.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Duration::days(day.weekday().num_days_from_monday() as i64)
}

/// Whether `day` is Monday to Friday.
pub fn is_workday(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Monday–Friday days from `from` to `to`, both included.
///
/// O(1): utilization calls this for every commitment in every week it looks at, so it must not
/// walk the calendar day by day.
pub fn workdays_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to < from {
        return 0;
    }
    (workdays_before(day_number(to) + 1) - workdays_before(day_number(from))) as u32
}

/// Days since Monday, 1 January of year 1 (day 0), the proleptic Gregorian calendar's first
/// Monday: so `n.rem_euclid(7)` is the weekday counted from Monday, with no calendar lookups.
pub(crate) fn day_number(day: NaiveDate) -> i64 {
    day.num_days_from_ce() as i64 - 1
}

/// Monday–Friday days among day numbers `0..n` (negative for `n < 0`, so differences work
/// across day 0 too).
pub(crate) fn workdays_before(n: i64) -> i64 {
    n.div_euclid(7) * 5 + n.rem_euclid(7).min(5)
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
    }

    #[test]
    fn workdays_match_counting_day_by_day() {
        let slow = |from: NaiveDate, to: NaiveDate| {
            from.iter_days()
                .take_while(|d| *d <= to)
                .filter(|d| is_workday(*d))
                .count() as u32
        };
        assert_eq!(day_number(d("0001-01-01")), 0);
        assert_eq!(d("0001-01-01").weekday(), Weekday::Mon);
        for start in [
            "2026-11-23",
            "2026-11-27",
            "2026-11-28",
            "2026-11-29",
            "2024-02-26",
        ] {
            let from = d(start);
            for len in 0..40 {
                let to = from + Duration::days(len);
                assert_eq!(workdays_between(from, to), slow(from, to), "{from} to {to}");
            }
        }
        let (from, to) = (d("1999-12-30"), d("2031-01-02"));
        assert_eq!(workdays_between(from, to), slow(from, to));
    }
}
