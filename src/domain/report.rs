//! The manager's figures: pool health over time, demand by outcome, time to fill, and how
//! the active pool is utilized — computed from plain facts (daily snapshots, one row of times
//! per task, utilizations), so every figure is tested on data whose answer is known.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use super::area::WorkArea;

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportKind {
    Pool,
    Demand,
    Fill,
    Utilization,
}

impl ReportKind {
    pub const ALL: [ReportKind; 4] = [
        ReportKind::Pool,
        ReportKind::Demand,
        ReportKind::Fill,
        ReportKind::Utilization,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ReportKind::Pool => "pool",
            ReportKind::Demand => "demand",
            ReportKind::Fill => "fill",
            ReportKind::Utilization => "utilization",
        }
    }
}

/// The calendar days a report covers, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The longest period a report covers: two years of days.
pub const MAX_PERIOD_DAYS: i64 = 731;
/// The default: the last four weeks.
pub const DEFAULT_WEEKS: i64 = 4;

/// Why a typed period was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodError {
    /// Neither a number of weeks nor two dates.
    Unreadable,
    /// The end lies before the start.
    Backwards,
    /// Longer than [`MAX_PERIOD_DAYS`], or zero weeks.
    OutOfRange,
}

impl Period {
    /// The last `weeks` weeks up to `today`.
    pub fn last_weeks(today: NaiveDate, weeks: i64) -> Period {
        Period {
            from: today - Duration::days(weeks * 7 - 1),
            to: today,
        }
    }

    /// Reads what a person typed: nothing (the last 4 weeks), a number of weeks (`8`, `8w`,
    /// `8 Wochen`, `8 weeks`), or two dates `FROM-TO`/`FROM..TO` in the forms
    /// `parse_date` takes.
    pub fn parse(
        text: Option<&str>,
        today: NaiveDate,
        parse_date: impl Fn(&str) -> Option<NaiveDate>,
    ) -> Result<Period, PeriodError> {
        let text = text.map(str::trim).unwrap_or("");
        if text.is_empty() {
            return Ok(Period::last_weeks(today, DEFAULT_WEEKS));
        }
        let lower = text.to_lowercase();
        let digits: String = lower.chars().take_while(char::is_ascii_digit).collect();
        let unit = lower[digits.len()..].trim();
        if !digits.is_empty() && ["", "w", "wo", "woche", "wochen", "week", "weeks"].contains(&unit)
        {
            let weeks: i64 = digits.parse().map_err(|_| PeriodError::OutOfRange)?;
            if weeks == 0 || weeks * 7 > MAX_PERIOD_DAYS {
                return Err(PeriodError::OutOfRange);
            }
            return Ok(Period::last_weeks(today, weeks));
        }
        // Two dates: ".." or " - " between them, or a "-" after a German date.
        let split = lower
            .split_once("..")
            .or_else(|| lower.split_once(" - "))
            .or_else(|| {
                lower
                    .match_indices('-')
                    .map(|(at, _)| (&lower[..at], &lower[at + 1..]))
                    .find(|(a, b)| parse_date(a.trim()).is_some() && parse_date(b.trim()).is_some())
            });
        let Some((a, b)) = split else {
            return Err(PeriodError::Unreadable);
        };
        let (Some(from), Some(to)) = (parse_date(a.trim()), parse_date(b.trim())) else {
            return Err(PeriodError::Unreadable);
        };
        if to < from {
            return Err(PeriodError::Backwards);
        }
        if (to - from).num_days() + 1 > MAX_PERIOD_DAYS {
            return Err(PeriodError::OutOfRange);
        }
        Ok(Period { from, to })
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// The Mondays of the weeks the period touches.
    pub fn weeks(&self) -> Vec<NaiveDate> {
        super::utilization::weeks_between(self.from, self.to).collect()
    }
}

/// The Monday of a day's ISO week.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// One day's pool health as it was snapshotted (`None` area: the whole pool).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    pub day: NaiveDate,
    pub area: Option<WorkArea>,
    pub available: u32,
    pub minimum: Option<u32>,
}

/// A line of the pool chart: one value per day of the period, `None` where no snapshot was
/// taken (the bot was down: a gap, never filled in).
#[derive(Debug, Clone, PartialEq)]
pub struct DailySeries {
    pub area: Option<WorkArea>,
    pub values: Vec<Option<u32>>,
    pub minimum: Option<u32>,
}

/// The pool's lines over the period: the whole pool first, then each area.
pub fn pool_series(snapshots: &[Snapshot], period: &Period) -> Vec<DailySeries> {
    let days = (period.to - period.from).num_days() + 1;
    let mut lines: Vec<DailySeries> = std::iter::once(None)
        .chain(WorkArea::ALL.into_iter().map(Some))
        .map(|area| DailySeries {
            area,
            values: vec![None; usize::try_from(days).unwrap_or(0)],
            minimum: None,
        })
        .collect();
    for s in snapshots.iter().filter(|s| period.contains(s.day)) {
        let i = usize::try_from((s.day - period.from).num_days()).unwrap_or(0);
        if let Some(line) = lines.iter_mut().find(|l| l.area == s.area) {
            line.values[i] = Some(s.available);
            // The latest minimum in the period is the line drawn.
            line.minimum = s.minimum.or(line.minimum);
        }
    }
    lines
}

/// One task's times, as the database has them (calendar instants).
#[derive(Debug, Clone, PartialEq)]
pub struct TaskTimes {
    pub area: WorkArea,
    pub hours: f64,
    pub created_at: DateTime<Utc>,
    /// The end of its first round's window (none: never surveyed).
    pub first_window_end: Option<DateTime<Utc>>,
    pub first_accepted_at: Option<DateTime<Utc>>,
    pub first_assigned_at: Option<DateTime<Utc>>,
    /// Handed on after its VPA dropped out, and assigned again after that.
    pub handed_on_at: Option<DateTime<Utc>>,
    pub refilled_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub cancelled: bool,
    pub external: bool,
    pub escalated: bool,
    /// Split into parts: counted through them, not itself.
    pub split: bool,
}

/// One task for the tasks export: what identifies it, and its times.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRecord {
    pub id: i64,
    pub competence: String,
    pub recurring: bool,
    pub deadline: NaiveDate,
    pub status: String,
    pub times: TaskTimes,
}

/// What became of a task, each counted once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    FilledInWindow,
    FilledLater,
    External,
    Cancelled,
    Open,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::FilledInWindow,
        Outcome::FilledLater,
        Outcome::External,
        Outcome::Cancelled,
        Outcome::Open,
    ];
}

impl TaskTimes {
    /// Its outcome; a split parent has none of its own.
    pub fn outcome(&self) -> Option<Outcome> {
        if self.split {
            return None;
        }
        Some(match (self.first_assigned_at, self.first_window_end) {
            (Some(at), Some(end)) if at <= end => Outcome::FilledInWindow,
            (Some(_), None) => Outcome::FilledInWindow,
            (Some(_), Some(_)) => Outcome::FilledLater,
            (None, _) if self.external => Outcome::External,
            (None, _) if self.cancelled => Outcome::Cancelled,
            (None, _) => Outcome::Open,
        })
    }

    /// The hours it took to fill, each fill counted: from creation to the first assignment,
    /// and from a hand-on to the assignment after it.
    pub fn fill_hours(&self) -> Vec<f64> {
        let hours = |from: DateTime<Utc>, to: DateTime<Utc>| {
            (to - from).num_seconds().max(0) as f64 / 3600.0
        };
        let mut out = Vec::new();
        if !self.split
            && let Some(at) = self.first_assigned_at
        {
            out.push(hours(self.created_at, at));
        }
        if let (Some(from), Some(to)) = (self.handed_on_at, self.refilled_at) {
            out.push(hours(from, to));
        }
        out
    }
}

/// Demand in one week: tasks by outcome, and how many of them were escalated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeekDemand {
    pub by_outcome: BTreeMap<Outcome, u32>,
    pub escalated: u32,
}

impl WeekDemand {
    pub fn total(&self) -> u32 {
        self.by_outcome.values().sum()
    }
}

/// Demand per area per week (the Monday), by the week a task was created in the agency's
/// time zone (`local_day` turns an instant into that day).
pub fn demand(
    tasks: &[TaskTimes],
    period: &Period,
    local_day: impl Fn(DateTime<Utc>) -> NaiveDate,
) -> BTreeMap<WorkArea, BTreeMap<NaiveDate, WeekDemand>> {
    let mut out: BTreeMap<WorkArea, BTreeMap<NaiveDate, WeekDemand>> = BTreeMap::new();
    for t in tasks {
        let day = local_day(t.created_at);
        let Some(outcome) = t.outcome().filter(|_| period.contains(day)) else {
            continue;
        };
        let week = out
            .entry(t.area)
            .or_default()
            .entry(monday_of(day))
            .or_default();
        *week.by_outcome.entry(outcome).or_default() += 1;
        week.escalated += u32::from(t.escalated);
    }
    out
}

/// Time to fill in one area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FillTimes {
    pub fills: usize,
    pub median_hours: f64,
    pub p90_hours: f64,
}

/// The `q` quantile (0–1) of sorted values, by the nearest rank.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Median and 90th percentile of the fill times per area, of tasks created in the period.
pub fn fill_times(
    tasks: &[TaskTimes],
    period: &Period,
    local_day: impl Fn(DateTime<Utc>) -> NaiveDate,
) -> BTreeMap<WorkArea, FillTimes> {
    let mut samples: BTreeMap<WorkArea, Vec<f64>> = BTreeMap::new();
    for t in tasks
        .iter()
        .filter(|t| period.contains(local_day(t.created_at)))
    {
        samples.entry(t.area).or_default().extend(t.fill_hours());
    }
    samples
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(area, mut v)| {
            v.sort_by(f64::total_cmp);
            let times = FillTimes {
                fills: v.len(),
                median_hours: quantile(&v, 0.5),
                p90_hours: quantile(&v, 0.9),
            };
            (area, times)
        })
        .collect()
}

/// "Standard-Aufgaben (bis zu 10 h) immer leicht besetzen": of the back-office tasks up to
/// `standard_hours` created in the period (neither external nor cancelled before a fill), how
/// many were filled within their first window. `None` when there were none.
pub fn standard_bo_in_window(
    tasks: &[TaskTimes],
    period: &Period,
    standard_hours: f64,
    local_day: impl Fn(DateTime<Utc>) -> NaiveDate,
) -> Option<(u32, u32)> {
    let mut filled = 0;
    let mut all = 0;
    for t in tasks.iter().filter(|t| {
        t.area == WorkArea::Backoffice
            && t.hours <= standard_hours
            && period.contains(local_day(t.created_at))
    }) {
        match t.outcome() {
            Some(Outcome::FilledInWindow) => {
                filled += 1;
                all += 1;
            }
            Some(Outcome::FilledLater | Outcome::Open) => all += 1,
            _ => {}
        }
    }
    (all > 0).then_some((filled, all))
}

/// The utilization histogram's buckets: idle, up to a quarter, … , full and over.
pub const UTILIZATION_BUCKETS: [(f64, f64); 6] = [
    (0.0, 0.0),
    (0.0, 0.25),
    (0.25, 0.5),
    (0.5, 0.75),
    (0.75, 1.0),
    (1.0, f64::INFINITY),
];

/// How many active VPAs fall in each bucket of [`UTILIZATION_BUCKETS`]: exactly 0, then
/// (lower, upper] — 100 % and more in the last.
pub fn utilization_histogram(utilizations: &[f64]) -> [u32; 6] {
    let mut out = [0; 6];
    for &u in utilizations {
        let i = if u <= 0.0 {
            0
        } else if u >= 1.0 {
            5
        } else {
            UTILIZATION_BUCKETS[1..5]
                .iter()
                .position(|(lo, hi)| u > *lo && u <= *hi)
                .map_or(4, |p| p + 1)
        };
        out[i] += 1;
    }
    out
}

/// The latest digest time at or before `now` (local): `weekday` (1 Monday … 7 Sunday) at
/// `hour`:00. The digest reports the seven days before that day.
pub fn latest_digest(now: chrono::NaiveDateTime, weekday: u32, hour: u32) -> chrono::NaiveDateTime {
    let today = now.date();
    let back = (today.weekday().number_from_monday() + 7 - weekday) % 7;
    let at = (today - Duration::days(i64::from(back)))
        .and_hms_opt(hour, 0, 0)
        .unwrap_or(now);
    if at > now { at - Duration::days(7) } else { at }
}

/// The period a digest due on `day` reports: the seven days before it.
pub fn digest_period(day: NaiveDate) -> Period {
    Period {
        from: day - Duration::days(7),
        to: day - Duration::days(1),
    }
}

/// How often the whole pool crossed its minimum between measured days, and on how many of
/// them it was below.
pub fn crossings(whole: &DailySeries) -> (u32, u32) {
    let Some(minimum) = whole.minimum else {
        return (0, 0);
    };
    let below: Vec<bool> = whole
        .values
        .iter()
        .flatten()
        .map(|v| *v < minimum)
        .collect();
    let flips = below.windows(2).filter(|w| w[0] != w[1]).count();
    (
        u32::try_from(flips).unwrap_or(u32::MAX),
        u32::try_from(below.iter().filter(|b| **b).count()).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn utc_day(t: DateTime<Utc>) -> NaiveDate {
        t.date_naive()
    }

    fn task(created: &str) -> TaskTimes {
        TaskTimes {
            area: WorkArea::Backoffice,
            hours: 4.0,
            created_at: at(created),
            first_window_end: Some(at(created) + Duration::hours(4)),
            first_accepted_at: None,
            first_assigned_at: None,
            handed_on_at: None,
            refilled_at: None,
            closed_at: None,
            cancelled: false,
            external: false,
            escalated: false,
            split: false,
        }
    }

    fn date(s: &str) -> Option<NaiveDate> {
        crate::domain::dates::parse_date(s)
    }

    #[test]
    fn periods_are_read_as_people_type_them() {
        let today = d("2026-11-30");
        assert_eq!(
            Period::parse(None, today, date).unwrap(),
            Period {
                from: d("2026-11-03"),
                to: today
            }
        );
        for text in ["8", "8w", "8 Wochen", "8 weeks"] {
            assert_eq!(
                Period::parse(Some(text), today, date).unwrap().from,
                d("2026-10-06"),
                "{text}"
            );
        }
        assert_eq!(
            Period::parse(Some("01.10.2026-31.10.2026"), today, date).unwrap(),
            Period {
                from: d("2026-10-01"),
                to: d("2026-10-31")
            }
        );
        assert_eq!(
            Period::parse(Some("2026-10-01..2026-10-31"), today, date).unwrap(),
            Period {
                from: d("2026-10-01"),
                to: d("2026-10-31")
            }
        );
        assert_eq!(
            Period::parse(Some("letzten Monat"), today, date),
            Err(PeriodError::Unreadable)
        );
        assert_eq!(
            Period::parse(Some("31.10.2026-01.10.2026"), today, date),
            Err(PeriodError::Backwards)
        );
        assert_eq!(
            Period::parse(Some("0"), today, date),
            Err(PeriodError::OutOfRange)
        );
        assert_eq!(
            Period::parse(Some("200 Wochen"), today, date),
            Err(PeriodError::OutOfRange)
        );
    }

    #[test]
    fn a_fill_across_midnight_and_a_weekend_counts_calendar_hours() {
        // Created Friday 22:00, assigned Monday 07:00: 57 hours, after its 4-hour window.
        let mut t = task("2026-11-27T22:00:00Z");
        t.first_assigned_at = Some(at("2026-11-30T07:00:00Z"));
        assert_eq!(t.fill_hours(), vec![57.0]);
        assert_eq!(t.outcome(), Some(Outcome::FilledLater));
        // Within the window.
        let mut quick = task("2026-11-30T23:30:00Z");
        quick.first_assigned_at = Some(at("2026-12-01T01:00:00Z"));
        assert_eq!(quick.outcome(), Some(Outcome::FilledInWindow));
        assert_eq!(quick.fill_hours(), vec![1.5]);
    }

    #[test]
    fn a_handed_on_task_counts_a_second_fill_from_the_hand_on() {
        let mut t = task("2026-11-02T08:00:00Z");
        t.first_assigned_at = Some(at("2026-11-02T09:00:00Z"));
        t.handed_on_at = Some(at("2026-11-20T10:00:00Z"));
        t.refilled_at = Some(at("2026-11-21T12:00:00Z"));
        assert_eq!(t.fill_hours(), vec![1.0, 26.0]);
        let period = Period {
            from: d("2026-11-01"),
            to: d("2026-11-30"),
        };
        let f = fill_times(&[t], &period, utc_day)[&WorkArea::Backoffice];
        assert_eq!(f.fills, 2);
        assert_eq!(f.median_hours, 1.0);
        assert_eq!(f.p90_hours, 26.0);
    }

    #[test]
    fn demand_counts_each_task_once_by_outcome_and_parts_not_parents() {
        let period = Period {
            from: d("2026-11-23"),
            to: d("2026-11-29"),
        };
        let mut filled = task("2026-11-23T08:00:00Z");
        filled.first_assigned_at = Some(at("2026-11-23T09:00:00Z"));
        let mut late = task("2026-11-24T08:00:00Z");
        late.first_assigned_at = Some(at("2026-11-25T09:00:00Z"));
        late.escalated = true;
        let mut external = task("2026-11-25T08:00:00Z");
        external.external = true;
        external.escalated = true;
        let mut cancelled = task("2026-11-26T08:00:00Z");
        cancelled.cancelled = true;
        let open = task("2026-11-27T08:00:00Z");
        let mut parent = task("2026-11-27T09:00:00Z");
        parent.split = true;
        let mut part = task("2026-11-27T10:00:00Z");
        part.first_assigned_at = Some(at("2026-11-27T11:00:00Z"));
        let outside = task("2026-11-30T08:00:00Z");
        let all = [
            filled, late, external, cancelled, open, parent, part, outside,
        ];
        let by_area = demand(&all, &period, utc_day);
        let week = &by_area[&WorkArea::Backoffice][&d("2026-11-23")];
        assert_eq!(week.total(), 6);
        assert_eq!(week.by_outcome[&Outcome::FilledInWindow], 2);
        assert_eq!(week.by_outcome[&Outcome::FilledLater], 1);
        assert_eq!(week.by_outcome[&Outcome::External], 1);
        assert_eq!(week.by_outcome[&Outcome::Cancelled], 1);
        assert_eq!(week.by_outcome[&Outcome::Open], 1);
        assert_eq!(week.escalated, 2);
    }

    #[test]
    fn the_standard_back_office_share_counts_only_bo_up_to_standard_hours() {
        let period = Period {
            from: d("2026-11-01"),
            to: d("2026-11-30"),
        };
        let mut a = task("2026-11-02T08:00:00Z");
        a.first_assigned_at = Some(at("2026-11-02T09:00:00Z"));
        let mut b = task("2026-11-03T08:00:00Z");
        b.first_assigned_at = Some(at("2026-11-04T09:00:00Z"));
        let c = task("2026-11-05T08:00:00Z"); // still open
        let mut big = task("2026-11-06T08:00:00Z");
        big.hours = 12.0;
        let mut marketing = task("2026-11-06T08:00:00Z");
        marketing.area = WorkArea::Marketing;
        let mut cancelled = task("2026-11-07T08:00:00Z");
        cancelled.cancelled = true;
        let tasks = [a, b, c, big, marketing, cancelled];
        assert_eq!(
            standard_bo_in_window(&tasks, &period, 10.0, utc_day),
            Some((1, 3))
        );
        assert_eq!(standard_bo_in_window(&[], &period, 10.0, utc_day), None);
    }

    #[test]
    fn snapshots_with_downtime_leave_gaps() {
        let period = Period {
            from: d("2026-11-01"),
            to: d("2026-11-05"),
        };
        let snap = |day: &str, area, available| Snapshot {
            day: d(day),
            area,
            available,
            minimum: Some(10),
        };
        let lines = pool_series(
            &[
                snap("2026-11-01", None, 12),
                snap("2026-11-02", None, 11),
                // down on the 3rd and 4th
                snap("2026-11-05", None, 9),
                snap("2026-11-05", Some(WorkArea::Sales), 2),
                snap("2026-10-31", None, 99),
            ],
            &period,
        );
        assert_eq!(lines[0].area, None);
        assert_eq!(
            lines[0].values,
            vec![Some(12), Some(11), None, None, Some(9)]
        );
        assert_eq!(lines[0].minimum, Some(10));
        let sales = lines
            .iter()
            .find(|l| l.area == Some(WorkArea::Sales))
            .unwrap();
        assert_eq!(sales.values, vec![None, None, None, None, Some(2)]);
    }

    #[test]
    fn the_digest_is_due_on_its_weekday_and_hour_and_reports_the_week_before() {
        let t = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        // Monday 08:00.
        assert_eq!(
            latest_digest(t("2026-12-07 07:59"), 1, 8),
            t("2026-11-30 08:00")
        );
        assert_eq!(
            latest_digest(t("2026-12-07 08:00"), 1, 8),
            t("2026-12-07 08:00")
        );
        assert_eq!(
            latest_digest(t("2026-12-10 19:00"), 1, 8),
            t("2026-12-07 08:00")
        );
        // Friday 16:00.
        assert_eq!(
            latest_digest(t("2026-12-07 09:00"), 5, 16),
            t("2026-12-04 16:00")
        );
        assert_eq!(
            digest_period(d("2026-12-07")),
            Period {
                from: d("2026-11-30"),
                to: d("2026-12-06")
            }
        );
        let whole = DailySeries {
            area: None,
            values: vec![
                Some(11),
                Some(9),
                None,
                Some(8),
                Some(12),
                Some(12),
                Some(9),
            ],
            minimum: Some(10),
        };
        assert_eq!(crossings(&whole), (3, 3));
    }

    #[test]
    fn utilization_buckets_put_idle_and_full_apart() {
        assert_eq!(
            utilization_histogram(&[0.0, 0.1, 0.25, 0.3, 0.5, 0.6, 0.9, 1.0, 1.4]),
            [1, 2, 2, 1, 1, 2]
        );
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.0);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.9), 4.0);
    }
}
