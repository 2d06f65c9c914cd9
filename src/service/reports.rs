//! The manager's reports: the figures of one kind over a period, read from the history
//! (snapshots, task times, the pool's commitments) and computed by `domain::report`.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::desk::Desk;
use super::error::{Refusal, Result};
use crate::domain::area::WorkArea;
use crate::domain::report::{
    DailySeries, FillTimes, Period, PeriodError, ReportKind, WeekDemand, demand, fill_times,
    pool_series, standard_bo_in_window, utilization_histogram,
};

/// A report's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportView {
    pub kind: ReportKind,
    pub period: Period,
    pub body: ReportBody,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReportBody {
    /// Available for new clients per day: the whole pool first, then each area.
    Pool { lines: Vec<DailySeries> },
    /// Tasks per area and week by outcome.
    Demand {
        weeks: Vec<NaiveDate>,
        by_area: BTreeMap<WorkArea, BTreeMap<NaiveDate, WeekDemand>>,
    },
    /// Time to fill per area, and the standard back-office share filled in the first window.
    Fill {
        by_area: BTreeMap<WorkArea, FillTimes>,
        standard: Option<(u32, u32)>,
        standard_hours: f64,
    },
    /// The active pool's utilization this week as a histogram.
    Utilization {
        week: NaiveDate,
        histogram: [u32; 6],
        /// Active VPAs with weekly hours (the histogram's total).
        vpas: u32,
        mean: Option<f64>,
    },
}

/// Reads a typed period (`None`: the last four weeks); a bad one is refused with what is
/// accepted.
pub fn period(desk: &Desk, text: Option<&str>) -> Result<Period> {
    Period::parse(text, desk.today(), crate::domain::dates::parse_date).map_err(|e| {
        let input = text.unwrap_or("").to_string();
        match e {
            PeriodError::Unreadable => Refusal::ReportPeriodUnreadable { input },
            PeriodError::Backwards => Refusal::ReportPeriodBackwards { input },
            PeriodError::OutOfRange => Refusal::ReportPeriodTooLong { input },
        }
        .into()
    })
}

/// The first instant of a local day.
fn start_of(desk: &Desk, day: NaiveDate) -> DateTime<Utc> {
    let tz = desk.config.timezone;
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

/// What a report's CSV attachment holds: the pool (pool health, utilization) in the import
/// format, or the tasks of the period with their times (demand, time to fill).
#[derive(Debug, Clone)]
pub enum ReportExport {
    Pool(Vec<crate::domain::vpa::Vpa>),
    Tasks(Vec<crate::domain::report::TaskRecord>),
}

/// The rows of the CSV attached to a report of `kind` over `period` (the manager's).
pub async fn export(desk: &Desk, kind: ReportKind, period: Period) -> Result<ReportExport> {
    Ok(match kind {
        ReportKind::Pool | ReportKind::Utilization => {
            ReportExport::Pool(desk.db.load_pool(&desk.config.catalog).await?)
        }
        ReportKind::Demand | ReportKind::Fill => {
            let until = start_of(desk, period.to + chrono::Duration::days(1));
            ReportExport::Tasks(
                desk.db
                    .task_records(start_of(desk, period.from), until)
                    .await?,
            )
        }
    })
}

/// The figures of `kind` over `period`.
pub async fn report(desk: &Desk, kind: ReportKind, period: Period) -> Result<ReportView> {
    let tz = desk.config.timezone;
    let local_day = |t: DateTime<Utc>| t.with_timezone(&tz).date_naive();
    let tasks = || async {
        let until = start_of(desk, period.to + chrono::Duration::days(1));
        desk.db.task_times(start_of(desk, period.from), until).await
    };
    let body = match kind {
        ReportKind::Pool => {
            let snapshots = desk.db.snapshots(period.from, period.to).await?;
            ReportBody::Pool {
                lines: pool_series(&snapshots, &period),
            }
        }
        ReportKind::Demand => ReportBody::Demand {
            weeks: period.weeks(),
            by_area: demand(&tasks().await?, &period, local_day),
        },
        ReportKind::Fill => {
            let tasks = tasks().await?;
            let standard_hours = desk.config.settings.tasks.standard_hours;
            ReportBody::Fill {
                by_area: fill_times(&tasks, &period, local_day),
                standard: standard_bo_in_window(&tasks, &period, standard_hours, local_day),
                standard_hours,
            }
        }
        ReportKind::Utilization => {
            // This week, or the period's last week when it lies in the past.
            let day = period.to.min(desk.today());
            let utilizations: Vec<f64> = desk
                .db
                .active_commitments()
                .await?
                .iter()
                .filter_map(|(hours, c)| crate::domain::utilization::utilization(c, *hours, day))
                .collect();
            let vpas = u32::try_from(utilizations.len()).unwrap_or(u32::MAX);
            ReportBody::Utilization {
                week: crate::domain::report::monday_of(day),
                histogram: utilization_histogram(&utilizations),
                vpas,
                mean: (!utilizations.is_empty())
                    .then(|| utilizations.iter().sum::<f64>() / utilizations.len() as f64),
            }
        }
    };
    Ok(ReportView { kind, period, body })
}

/// After this long past its time a digest is marked as late (the bot was down).
const LATE_AFTER: chrono::Duration = chrono::Duration::minutes(15);

/// At the start, before any timer runs: on the first start of this version the latest digest
/// time counts as done (no late digest for a week the bot never saw).
pub async fn mark_first_start(desk: &Desk) -> Result<()> {
    let local = desk
        .now()
        .with_timezone(&desk.config.timezone)
        .naive_local();
    let d = &desk.config.settings.digest;
    let due = crate::domain::report::latest_digest(local, d.weekday, d.hour);
    let mut tx = desk.db.begin_write().await?;
    if !crate::db::reports::any_digest(&mut tx).await? {
        crate::db::reports::record_digest(&mut tx, due.date(), true, false, desk.now()).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Queues the weekly digest once its time has come, once per due day across restarts; after a
/// downtime over its time one late digest for the latest week. Whether one was queued. `serve`
/// calls [`mark_first_start`] before the timers, so a first start posts no digest for a week
/// the bot never saw.
pub async fn queue_digest(desk: &Desk) -> Result<bool> {
    let tz = desk.config.timezone;
    let now = desk.now();
    let local = now.with_timezone(&tz).naive_local();
    let d = &desk.config.settings.digest;
    let due = crate::domain::report::latest_digest(local, d.weekday, d.hour);
    let due_utc = tz
        .from_local_datetime(&due)
        .earliest()
        .map_or_else(|| due.and_utc(), |t| t.with_timezone(&Utc));
    let late = now - due_utc > LATE_AFTER;
    if desk.db.digest_recorded(due.date()).await? {
        return Ok(false);
    }
    // The first start was marked before any timer ran (`mark_first_start`).
    let mut tx = desk.db.begin_write().await?;
    if !crate::db::reports::record_digest(&mut tx, due.date(), false, late, now).await? {
        return Ok(false);
    }
    let intent = crate::db::outbox::Intent::WeeklyDigest {
        due_on: due.date(),
        late,
    };
    crate::db::outbox::enqueue(&mut tx, crate::db::outbox::once(intent, now), now).await?;
    tx.commit().await?;
    desk.ring_outbox();
    Ok(true)
}

/// What the digest shows: the week's pool, demand and fill figures, and open demand by area
/// with the age of its oldest task.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestView {
    pub due_on: NaiveDate,
    pub late: bool,
    pub pool: ReportView,
    pub demand: ReportView,
    pub fill: ReportView,
    /// Open demand now: per area, how many and the oldest's age in days.
    pub open: BTreeMap<WorkArea, (u32, i64)>,
    /// The newbies whose profile became complete in the week (id, name).
    pub completed: Vec<(crate::domain::ids::DiscordId, String)>,
}

/// The digest due on `due_on`, from the state at delivery.
pub async fn digest(desk: &Desk, due_on: NaiveDate, late: bool) -> Result<DigestView> {
    let period = crate::domain::report::digest_period(due_on);
    let today = desk.today();
    let mut open: BTreeMap<WorkArea, (u32, i64)> = BTreeMap::new();
    for t in desk.db.open_demand(&desk.config.catalog).await? {
        let age = (today
            - t.created_at
                .with_timezone(&desk.config.timezone)
                .date_naive())
        .num_days();
        let entry = open.entry(t.area).or_default();
        entry.0 += 1;
        entry.1 = entry.1.max(age);
    }
    let completed = desk
        .db
        .completed_profiles(
            start_of(desk, period.from),
            start_of(desk, period.to + chrono::Duration::days(1)),
        )
        .await?;
    Ok(DigestView {
        due_on,
        late,
        completed,
        pool: report(desk, ReportKind::Pool, period).await?,
        demand: report(desk, ReportKind::Demand, period).await?,
        fill: report(desk, ReportKind::Fill, period).await?,
        open,
    })
}
