//! Texts about the outbox: the manager's message about an item given up, and the operator's
//! `vpa-desk outbox` listing.

use super::catalog::t;
use super::discord::Message;
use super::{Lang, format};
use crate::service::outbox::{DeadLetter, Requeued};

/// What an item was, as people call it (by its stable key, see `Intent::kind`).
pub fn kind_label(lang: Lang, kind: &str) -> String {
    match kind {
        "survey_post" => t!(lang, "delivery-kind-survey_post"),
        "survey_reactions" => t!(lang, "delivery-kind-survey_reactions"),
        "refresh_survey_post" => t!(lang, "delivery-kind-refresh_survey_post"),
        "escalation_notice" => t!(lang, "delivery-kind-escalation_notice"),
        "escalation_ping" => t!(lang, "delivery-kind-escalation_ping"),
        "direct" => t!(lang, "delivery-kind-direct"),
        "pool_watch" => t!(lang, "delivery-kind-pool_watch"),
        "delivery_failed" => t!(lang, "delivery-kind-delivery_failed"),
        _ => t!(lang, "delivery-kind-other"),
    }
}

/// To the manager channel: a message could not be delivered, and how to send it again.
pub fn delivery_failed(
    lang: Lang,
    outbox_id: i64,
    kind: &str,
    status: Option<u16>,
    code: Option<u32>,
) -> Message {
    let answer = match status {
        Some(status) => t!(
            lang,
            "delivery-failed-answer",
            status = status.to_string(),
            code = code.unwrap_or(0).to_string()
        ),
        None => t!(lang, "delivery-failed-gave-up"),
    };
    Message::text(t!(
        lang,
        "delivery-failed",
        what = kind_label(lang, kind),
        id = outbox_id.to_string(),
        answer = answer
    ))
}

/// The operator's list of items given up, one block each, with the way to send them again.
pub fn dead_letters(lang: Lang, items: &[DeadLetter]) -> String {
    if items.is_empty() {
        return format!("{}\n", t!(lang, "outbox-none"));
    }
    let mut out = format!("{}\n", t!(lang, "outbox-failed-title", count = items.len()));
    for item in items {
        let kind = item.intent.as_ref().map_or("", |i| i.kind());
        let task = item
            .intent
            .as_ref()
            .and_then(|i| i.task())
            .map(|task| t!(lang, "outbox-failed-task", task = task.to_string()))
            .unwrap_or_default();
        out.push_str(&t!(
            lang,
            "outbox-failed-line",
            id = item.id.to_string(),
            what = kind_label(lang, kind),
            task = task,
            attempts = item.attempts,
            at = format::day_month_time(lang, item.failed_at, true)
        ));
        out.push('\n');
        // Discord's answer as the log has it: one line, for the operator who fixes the cause.
        let error: String = item
            .last_error
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(300)
            .collect();
        out.push_str(&t!(lang, "outbox-failed-error", error = error));
        out.push('\n');
    }
    out.push_str(&t!(lang, "outbox-failed-hint"));
    out.push('\n');
    out
}

/// What `vpa-desk outbox --requeue` did.
pub fn requeued(lang: Lang, outcome: &Requeued) -> String {
    match outcome {
        Requeued::Done(count) => t!(lang, "outbox-requeued", count = *count),
        Requeued::NotFailed { unknown, failed } => {
            let ids = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>();
            let failed = if failed.is_empty() {
                t!(lang, "outbox-not-failed-none")
            } else {
                t!(
                    lang,
                    "outbox-not-failed-these",
                    ids = format::list(lang, &ids(failed))
                )
            };
            t!(
                lang,
                "outbox-not-failed",
                ids = format::list(lang, &ids(unknown)),
                failed = failed
            )
        }
    }
}
