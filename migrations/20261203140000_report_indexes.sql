-- What the reports' per-task times look up: a task's parts, its status changes.
CREATE INDEX tasks_by_parent ON tasks (parent_task_id) WHERE parent_task_id IS NOT NULL;
CREATE INDEX task_status_history_by_task ON task_status_history (task_id, to_status);
