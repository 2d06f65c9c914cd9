-- The manager's history: pool health once per calendar day (agency time zone), for the whole
-- pool (area '') and each area. Days the bot was down have no row: gaps, never reconstructed.
CREATE TABLE pool_snapshots (
    day        TEXT    NOT NULL,
    area       TEXT    NOT NULL,
    available  INTEGER NOT NULL,
    minimum    INTEGER,
    taken_at   TEXT    NOT NULL,
    PRIMARY KEY (day, area)
);

-- Reports read tasks by creation time.
CREATE INDEX tasks_by_created ON tasks (created_at);
CREATE INDEX assignments_by_task ON assignments (task_id, created_at);
CREATE INDEX survey_rounds_by_task ON survey_rounds (task_id);
