//! Pool health as the manager reads it: the table of `vpa-desk pool` and `/pool`, and the
//! watch's alert, reminder and recovery notices.

use super::catalog::{Lang, t};
use super::discord::{Message, role_mention};
use super::format;
use crate::domain::ids::DiscordId;
use crate::domain::outbox::{PoolNotice, PoolNoticeKind, Unavailability};
use crate::domain::pool_health::PoolHealth;

/// Pool health as a text table (CLI and a Discord code block).
pub fn table(lang: Lang, health: &PoolHealth) -> String {
    let verdict = if health.healthy {
        t!(lang, "pool-healthy")
    } else {
        t!(lang, "pool-unhealthy")
    };
    let mut out = t!(
        lang,
        "pool-table-head",
        date = format::date(lang, health.date),
        available = health.available_for_new_clients,
        minimum = health.threshold,
        verdict = verdict
    );
    out.push_str("\n\n");
    out.push_str(&format!(
        "{:<12} {:>10} {:>6} {:>8} {:>9}\n",
        t!(lang, "pool-col-area"),
        t!(lang, "pool-col-available"),
        t!(lang, "pool-col-vpas"),
        t!(lang, "pool-col-vt-stop"),
        t!(lang, "pool-col-absent")
    ));
    for (area, h) in &health.areas {
        let minimum = match h.minimum {
            Some(m) if h.below_minimum() => {
                format!("  {}", t!(lang, "pool-area-below-minimum", minimum = m))
            }
            Some(m) => format!("  {}", t!(lang, "pool-area-minimum", minimum = m)),
            None => String::new(),
        };
        out.push_str(&format!(
            "{:<12} {:>10} {:>6} {:>8} {:>9}{minimum}\n",
            format::area(lang, *area),
            h.available_for_new_clients,
            h.vpas,
            h.vt_stop,
            h.absent
        ));
    }
    out
}

fn area_lines(lang: Lang, health: &PoolHealth) -> String {
    let lines: Vec<String> = health
        .areas
        .iter()
        .map(|(area, h)| {
            let minimum = h
                .minimum
                .map(|m| t!(lang, "pool-area-figures-minimum", minimum = m))
                .unwrap_or_default();
            t!(
                lang,
                "pool-area-figures",
                area = format::area(lang, *area),
                available = h.available_for_new_clients,
                vpas = h.vpas,
                minimum = minimum
            )
        })
        .collect();
    lines.join(" · ")
}

fn unavailable_why(lang: Lang, why: Unavailability) -> String {
    match why {
        Unavailability::NoNewClients => t!(lang, "unavailable-no-new-clients"),
        Unavailability::VtStop { until } => {
            t!(
                lang,
                "unavailable-vt-stop",
                until = format::date(lang, until)
            )
        }
        Unavailability::Absent => t!(lang, "unavailable-absent"),
        Unavailability::Deactivated => t!(lang, "unavailable-deactivated"),
    }
}

/// A watch notice in the manager channel.
pub fn notice(lang: Lang, n: &PoolNotice, manager_role: DiscordId) -> Message {
    let health = PoolHealth::from(&n.health);
    let (available, minimum) = (health.available_for_new_clients, health.threshold);
    let mut text = match n.kind {
        PoolNoticeKind::Alert => t!(lang, "pool-alert", available = available, minimum = minimum),
        PoolNoticeKind::Reminder => {
            t!(
                lang,
                "pool-reminder",
                available = available,
                minimum = minimum
            )
        }
        PoolNoticeKind::Recovered => {
            return Message::text(t!(
                lang,
                "pool-recovered",
                available = available,
                minimum = minimum
            ));
        }
    };
    text.push('\n');
    text.push_str(&t!(lang, "pool-by-area", areas = area_lines(lang, &health)));
    if !n.unavailable.is_empty() {
        text.push('\n');
        text.push_str(&t!(lang, "pool-recently-unavailable"));
        for u in n.unavailable.iter().take(15) {
            text.push('\n');
            text.push_str(&t!(
                lang,
                "pool-unavailable-line",
                vpa = u.vpa,
                name = u.name.as_str(),
                why = unavailable_why(lang, u.why)
            ));
        }
    }
    // The alert calls the manager: the mention pings only because it stands in the content
    // (allowed_mentions alone pings nobody).
    let ping = n.kind == PoolNoticeKind::Alert;
    if ping {
        text = format!("{} {text}", role_mention(manager_role));
    }
    Message {
        content: text,
        roles: if ping { vec![manager_role] } else { Vec::new() },
        ..Message::default()
    }
}
