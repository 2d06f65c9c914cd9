//! The chat templates (Chatvorlagen) for the client: which template, for which task, with the
//! figures the playbook knows (the earliest "later" date, the split). `present` fills them in.

use super::desk::Desk;
use super::error::{Refusal, Result, refuse};
use crate::config::Template;
use crate::domain::ids::TaskId;
use crate::domain::playbook::split_hours;
use crate::domain::task::Task;

/// A template with what fills it.
#[derive(Debug, Clone)]
pub struct TemplateView {
    pub template: Template,
    pub task: Task,
    /// The earliest "later, from" date anybody answered.
    pub later_date: Option<chrono::NaiveDate>,
    /// The parts a split would make (also for a task below the large size, as a proposal).
    pub parts: Vec<f64>,
}

/// The template `name` for a task.
pub async fn template(desk: &Desk, name: &str, task_id: TaskId) -> Result<TemplateView> {
    let Some(template) = desk.config.templates.get(name) else {
        return refuse(Refusal::UnknownTemplate {
            name: name.to_string(),
            known: desk.config.templates.keys().cloned().collect(),
        });
    };
    let Some(task) = desk.db.get_task(&desk.config.catalog, task_id).await? else {
        return refuse(Refusal::UnknownTask(task_id));
    };
    let book = super::playbook::playbook(desk, &task).await?;
    let parts = book
        .split
        .unwrap_or_else(|| split_hours(task.hours, desk.config.settings.tasks.standard_hours));
    Ok(TemplateView {
        template: template.clone(),
        later_date: book.later.first().map(|l| l.from),
        parts,
        task,
    })
}
