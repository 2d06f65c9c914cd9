//! A chat template for the client, filled from the task, ready to copy.

use super::catalog::{Lang, t};
use super::format;
use crate::config::Config;
use crate::service::templates::TemplateView;

/// The template's text with its placeholders filled (`{task} {client} {competence} {area}
/// {hours} {deadline} {later_date} {parts}`), in a code block.
pub fn filled(lang: Lang, config: &Config, v: &TemplateView) -> String {
    let task = &v.task;
    let later = v.later_date.map_or_else(
        || t!(lang, "template-later-open"),
        |d| format::date(lang, d),
    );
    let parts = v
        .parts
        .iter()
        .map(|p| format::hours(lang, *p))
        .collect::<Vec<_>>()
        .join(" + ");
    let text = v
        .template
        .text
        .replace("{task}", &task.id.to_string())
        .replace("{client}", &task.client)
        .replace(
            "{competence}",
            &format::competence(lang, &config.catalog, task.competence),
        )
        .replace("{area}", &format::area(lang, task.area))
        .replace(
            "{hours}",
            &format::task_hours(lang, task.hours, task.recurring),
        )
        .replace("{deadline}", &format::date(lang, task.deadline))
        .replace("{later_date}", &later)
        .replace("{parts}", &parts);
    format!(
        "{}\n```\n{}\n```",
        t!(
            lang,
            "template-reply",
            title = v.template.title.as_str(),
            task = task.id
        ),
        text
    )
}
