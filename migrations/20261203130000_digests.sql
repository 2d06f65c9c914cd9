-- The weekly digest, once per due day across restarts. 'baseline': the first start of this
-- version marks the latest due day as done without posting (no late digest for a week the bot
-- never saw).
CREATE TABLE digests (
    due_on     TEXT    PRIMARY KEY,
    state      TEXT    NOT NULL CHECK (state IN ('queued', 'baseline')),
    late       INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    queued_at  TEXT    NOT NULL
);
