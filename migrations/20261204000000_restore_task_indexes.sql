-- Rebuilding `tasks` for the status 'split' (db::rebuild_steps) dropped the indexes that later
-- migrations had put on it; the rebuild now keeps them, and databases rebuilt before get them here.
CREATE INDEX IF NOT EXISTS tasks_by_created ON tasks (created_at);
CREATE INDEX IF NOT EXISTS tasks_by_parent ON tasks (parent_task_id) WHERE parent_task_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS tasks_by_status ON tasks (status, created_at);
