//! The manager's reports as Discord shows them: a short text with the figures and a PNG chart
//! whose series are the same figures.

use chrono::NaiveDate;

use super::catalog::{Lang, t};
use super::chart::{self, Bars, Line};
use super::discord::{File, Message, cut, limits};
use super::format;
use crate::domain::area::WorkArea;
use crate::domain::report::{Outcome, ReportKind, UTILIZATION_BUCKETS};
use crate::service::reports::{ReportBody, ReportView};

fn area_name(lang: Lang, area: Option<WorkArea>) -> String {
    match area {
        Some(a) => format::area(lang, a),
        None => t!(lang, "report-whole-pool"),
    }
}

fn outcome_name(lang: Lang, o: Outcome) -> String {
    match o {
        Outcome::FilledInWindow => t!(lang, "report-outcome-in-window"),
        Outcome::FilledLater => t!(lang, "report-outcome-later"),
        Outcome::External => t!(lang, "report-outcome-external"),
        Outcome::Cancelled => t!(lang, "report-outcome-cancelled"),
        Outcome::Open => t!(lang, "report-outcome-open"),
    }
}

fn week_label(lang: Lang, monday: NaiveDate) -> String {
    use chrono::Datelike;
    t!(lang, "report-week", week = monday.iso_week().week())
}

fn day_label(day: NaiveDate) -> String {
    day.format("%d.%m.").to_string()
}

fn hours_text(lang: Lang, h: f64) -> String {
    format::hours(lang, (h * 10.0).round() / 10.0)
}

/// The chart's series, as data (tested apart from the drawing).
#[derive(Debug, Clone, PartialEq)]
pub enum Series {
    Lines {
        x: Vec<String>,
        lines: Vec<Line>,
        minimum: Option<f64>,
    },
    Bars {
        categories: Vec<String>,
        groups: Vec<Bars>,
        stacked: bool,
    },
}

/// What the chart of a report shows.
pub fn series(lang: Lang, view: &ReportView) -> Series {
    match &view.body {
        ReportBody::Pool { lines } => {
            let days = (view.period.to - view.period.from).num_days() + 1;
            Series::Lines {
                x: (0..days)
                    .map(|d| day_label(view.period.from + chrono::Duration::days(d)))
                    .collect(),
                lines: lines
                    .iter()
                    .filter(|l| {
                        l.area.is_none() || l.values.iter().any(|v| v.is_some_and(|v| v > 0))
                    })
                    .map(|l| Line {
                        name: area_name(lang, l.area),
                        values: l.values.iter().map(|v| v.map(f64::from)).collect(),
                    })
                    .collect(),
                minimum: lines.first().and_then(|whole| whole.minimum).map(f64::from),
            }
        }
        ReportBody::Demand { weeks, by_area } => Series::Bars {
            categories: weeks.iter().map(|w| week_label(lang, *w)).collect(),
            groups: Outcome::ALL
                .iter()
                .map(|o| Bars {
                    name: outcome_name(lang, *o),
                    values: weeks
                        .iter()
                        .map(|w| {
                            by_area
                                .values()
                                .filter_map(|weeks| weeks.get(w))
                                .map(|d| f64::from(d.by_outcome.get(o).copied().unwrap_or(0)))
                                .sum()
                        })
                        .collect(),
                })
                .collect(),
            stacked: true,
        },
        ReportBody::Fill { by_area, .. } => Series::Bars {
            categories: by_area.keys().map(|a| format::area(lang, *a)).collect(),
            groups: vec![
                Bars {
                    name: t!(lang, "report-median"),
                    values: by_area.values().map(|f| f.median_hours).collect(),
                },
                Bars {
                    name: t!(lang, "report-p90"),
                    values: by_area.values().map(|f| f.p90_hours).collect(),
                },
            ],
            stacked: false,
        },
        ReportBody::Utilization { histogram, .. } => Series::Bars {
            categories: bucket_labels(lang),
            groups: vec![Bars {
                name: t!(lang, "report-vpas"),
                values: histogram.iter().map(|n| f64::from(*n)).collect(),
            }],
            stacked: false,
        },
    }
}

fn bucket_labels(lang: Lang) -> Vec<String> {
    UTILIZATION_BUCKETS
        .iter()
        .enumerate()
        .map(|(i, (lo, hi))| match i {
            0 => t!(lang, "report-bucket-idle"),
            5 => t!(lang, "report-bucket-full"),
            _ => format!("{:.0}–{:.0} %", lo * 100.0, hi * 100.0),
        })
        .collect()
}

fn title(lang: Lang, kind: ReportKind) -> String {
    t!(lang, "report-chart-title", kind = kind.key())
}

/// The chart as a PNG file.
pub fn chart(lang: Lang, view: &ReportView) -> Option<File> {
    let title = title(lang, view.kind);
    let drawn = match series(lang, view) {
        Series::Lines { x, lines, minimum } => {
            let label = t!(lang, "report-minimum");
            chart::lines(&title, &x, &lines, minimum.map(|m| (label.as_str(), m)))
        }
        Series::Bars {
            categories,
            groups,
            stacked,
        } => chart::bars(
            &title,
            &categories,
            &groups,
            stacked,
            &t!(lang, "report-y", kind = view.kind.key()),
        ),
    };
    match drawn {
        Ok(bytes) => Some(File {
            name: format!("{}.png", view.kind.key()),
            bytes,
        }),
        Err(e) => {
            tracing::error!(error = %e, kind = view.kind.key(), "a chart could not be drawn");
            None
        }
    }
}

/// The text: the period and the figures.
pub fn text(lang: Lang, view: &ReportView) -> String {
    let mut out = t!(
        lang,
        "report-head",
        kind = view.kind.key(),
        from = format::date(lang, view.period.from),
        to = format::date(lang, view.period.to)
    );
    match &view.body {
        ReportBody::Pool { lines } => {
            // An area nobody serves and nobody asks a minimum of says nothing.
            let said = |l: &&crate::domain::report::DailySeries| {
                l.area.is_none()
                    || l.minimum.is_some()
                    || l.values.iter().any(|v| v.is_some_and(|v| v > 0))
            };
            for line in lines.iter().filter(said) {
                let known: Vec<(usize, u32)> = line
                    .values
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| v.map(|v| (i, v)))
                    .collect();
                let Some(&(_, last)) = known.last() else {
                    if line.area.is_none() {
                        out.push('\n');
                        out.push_str(&t!(lang, "report-pool-none"));
                    }
                    continue;
                };
                let (low_at, low) = known
                    .iter()
                    .min_by_key(|(_, v)| *v)
                    .copied()
                    .unwrap_or((0, last));
                out.push('\n');
                out.push_str(&t!(
                    lang,
                    "report-pool-line",
                    area = area_name(lang, line.area),
                    last = last,
                    low = low,
                    low_on = format::date(
                        lang,
                        view.period.from + chrono::Duration::days(low_at as i64)
                    ),
                    minimum = line.minimum.unwrap_or(0),
                    gaps = line.values.len() - known.len()
                ));
            }
        }
        ReportBody::Demand { by_area, .. } => {
            if by_area.is_empty() {
                out.push('\n');
                out.push_str(&t!(lang, "report-no-tasks"));
            }
            for (area, weeks) in by_area {
                let mut total = crate::domain::report::WeekDemand::default();
                for w in weeks.values() {
                    for (o, n) in &w.by_outcome {
                        *total.by_outcome.entry(*o).or_default() += n;
                    }
                    total.escalated += w.escalated;
                }
                let parts: Vec<String> = Outcome::ALL
                    .iter()
                    .filter_map(|o| {
                        let n = total.by_outcome.get(o).copied().unwrap_or(0);
                        (n > 0).then(|| format!("{n} {}", outcome_name(lang, *o)))
                    })
                    .collect();
                out.push('\n');
                out.push_str(&t!(
                    lang,
                    "report-demand-line",
                    area = format::area(lang, *area),
                    total = total.total(),
                    parts = parts.join(", "),
                    escalated = total.escalated
                ));
            }
        }
        ReportBody::Fill {
            by_area,
            standard,
            standard_hours,
        } => {
            if by_area.is_empty() {
                out.push('\n');
                out.push_str(&t!(lang, "report-no-fills"));
            }
            for (area, f) in by_area {
                out.push('\n');
                out.push_str(&t!(
                    lang,
                    "report-fill-line",
                    area = format::area(lang, *area),
                    fills = f.fills,
                    median = hours_text(lang, f.median_hours),
                    p90 = hours_text(lang, f.p90_hours)
                ));
            }
            out.push('\n');
            out.push_str(&match standard {
                Some((filled, all)) => t!(
                    lang,
                    "report-fill-standard",
                    hours = format::hours(lang, *standard_hours),
                    filled = *filled,
                    all = *all,
                    share = format!("{:.0}", f64::from(*filled) * 100.0 / f64::from(*all))
                ),
                None => t!(
                    lang,
                    "report-fill-standard-none",
                    hours = format::hours(lang, *standard_hours)
                ),
            });
        }
        ReportBody::Utilization {
            week,
            histogram,
            vpas,
            mean,
        } => {
            out.push('\n');
            out.push_str(&t!(
                lang,
                "report-utilization-line",
                week = week_label(lang, *week),
                vpas = *vpas,
                mean = format::utilization(lang, *mean),
                idle = histogram[0],
                full = histogram[5]
            ));
            let labels = bucket_labels(lang);
            let parts: Vec<String> = labels
                .iter()
                .zip(histogram)
                .map(|(l, n)| format!("{l}: {n}"))
                .collect();
            out.push('\n');
            out.push_str(&parts.join(" · "));
        }
    }
    cut(&out, limits::CONTENT)
}

/// The reply: the text with its chart.
pub fn message(lang: Lang, view: &ReportView) -> Message {
    Message {
        content: text(lang, view),
        files: chart(lang, view).into_iter().collect(),
        ..Message::default()
    }
}

/// A report with its CSV attached (the manager's), saying what the file holds.
pub fn with_export(
    lang: Lang,
    config: &crate::config::Config,
    mut message: Message,
    export: &crate::service::reports::ReportExport,
) -> anyhow::Result<Message> {
    use crate::service::reports::ReportExport;
    let (name, bytes, rows) = match export {
        ReportExport::Pool(vpas) => (
            "pool.csv",
            super::export::pool_csv(&config.catalog, vpas)?,
            vpas.len(),
        ),
        ReportExport::Tasks(tasks) => ("tasks.csv", super::export::tasks_csv(tasks)?, tasks.len()),
    };
    let line = t!(lang, "report-csv-attached", file = name, rows = rows);
    message.content = cut(&format!("{}\n{line}", message.content), limits::CONTENT);
    message.files.push(super::discord::File {
        name: name.to_string(),
        bytes,
    });
    Ok(message)
}

/// Most names the digest lists of the newbies who completed their profile (the rest counted).
const COMPLETED_NAMES: usize = 15;

/// The newbies who completed their profile in the week, by name (the digest pings nobody).
fn completed_line(lang: Lang, completed: &[(crate::domain::ids::DiscordId, String)]) -> String {
    if completed.is_empty() {
        return t!(lang, "digest-completed-none");
    }
    let mut names: Vec<String> = completed
        .iter()
        .take(COMPLETED_NAMES)
        .map(|(_, name)| cut(name, 60))
        .collect();
    if completed.len() > COMPLETED_NAMES {
        names.push(t!(
            lang,
            "format-more",
            more = completed.len() - COMPLETED_NAMES
        ));
    }
    t!(
        lang,
        "digest-completed",
        count = completed.len(),
        names = names.join(", ")
    )
}

/// The weekly digest: the week's figures, open demand by area and age, the pool's crossings of
/// its minimum, and the charts. Pings nobody.
pub fn digest(lang: Lang, v: &crate::service::reports::DigestView) -> Message {
    let period = v.pool.period;
    let mut out = t!(
        lang,
        "digest-head",
        from = format::date(lang, period.from),
        to = format::date(lang, period.to),
        late = if v.late { "yes" } else { "no" }
    );
    if let ReportBody::Pool { lines } = &v.pool.body
        && let Some(whole) = lines.first()
    {
        let (flips, below) = crate::domain::report::crossings(whole);
        out.push('\n');
        out.push_str(&t!(lang, "digest-crossings", flips = flips, below = below));
    }
    for view in [&v.pool, &v.demand, &v.fill] {
        let text = text(lang, view);
        // Without its head line: the digest has one.
        let body = text.split_once('\n').map_or("", |(_, b)| b);
        if !body.is_empty() {
            out.push('\n');
            out.push_str(body);
        }
    }
    out.push('\n');
    if v.open.is_empty() {
        out.push_str(&t!(lang, "digest-open-none"));
    } else {
        let parts: Vec<String> = v
            .open
            .iter()
            .map(|(area, (n, oldest))| {
                t!(
                    lang,
                    "digest-open-area",
                    area = format::area(lang, *area),
                    count = *n,
                    days = *oldest
                )
            })
            .collect();
        out.push_str(&t!(lang, "digest-open", areas = parts.join(", ")));
    }
    out.push('\n');
    out.push_str(&completed_line(lang, &v.completed));
    Message {
        content: cut(&out, limits::CONTENT),
        files: [&v.pool, &v.demand, &v.fill]
            .into_iter()
            .filter_map(|view| chart(lang, view))
            .collect(),
        ..Message::default()
    }
}
