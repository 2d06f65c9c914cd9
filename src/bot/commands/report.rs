//! `/report`: the manager's regular look (coordinators too): pool health, demand, time to fill
//! or utilization over a period, as text with a chart.

use super::{in_time, lang, require_coordinator, roles};
use crate::bot::{Context, Error, reply};
use crate::domain::report::ReportKind;
use crate::present;
use crate::service::reports;
use crate::service::{Refusal, refuse};

/// Which report.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum KindChoice {
    #[name = "pool"]
    Pool,
    #[name = "demand"]
    Demand,
    #[name = "fill"]
    Fill,
    #[name = "utilization"]
    Utilization,
}

impl From<KindChoice> for ReportKind {
    fn from(k: KindChoice) -> ReportKind {
        match k {
            KindChoice::Pool => ReportKind::Pool,
            KindChoice::Demand => ReportKind::Demand,
            KindChoice::Fill => ReportKind::Fill,
            KindChoice::Utilization => ReportKind::Utilization,
        }
    }
}

/// Reports over a period, with a chart (coordinators and manager)
#[poise::command(
    slash_command,
    guild_only,
    default_member_permissions = "MANAGE_MESSAGES"
)]
pub async fn report(
    ctx: Context<'_>,
    #[description = "Which report"] kind: KindChoice,
    #[description = "Weeks (e.g. 8) or FROM-TO dates; empty: the last 4 weeks"]
    #[max_length = 60]
    period: Option<String>,
    #[description = "Attach the figures as CSV: the pool, or the period's tasks (manager only)"]
    csv: Option<bool>,
) -> Result<(), Error> {
    require_coordinator(ctx)?;
    let csv = csv.unwrap_or(false);
    if csv && !roles(ctx).manager {
        return refuse(Refusal::OnlyManager);
    }
    let desk = ctx.data();
    let period = reports::period(desk, period.as_deref())?;
    let lang = lang(ctx);
    let message = in_time(ctx, async {
        let view = reports::report(desk, kind.into(), period).await?;
        let message = present::report::message(lang, &view);
        if !csv {
            return Ok::<_, Error>(message);
        }
        let export = reports::export(desk, kind.into(), period).await?;
        Ok(present::report::with_export(
            lang,
            &desk.config,
            message,
            &export,
        )?)
    })
    .await?;
    reply::private(ctx, message).await
}
