-- Newbies completing their profiles. When a newbie's profile last became complete (cleared when
-- it is incomplete again): the weekly digest lists who completed in its week.
ALTER TABLE vpas ADD COLUMN profile_completed_at TEXT;
CREATE INDEX vpas_by_profile_completed ON vpas (profile_completed_at)
    WHERE profile_completed_at IS NOT NULL;

-- The weekly nudge, once per due day across restarts. 'baseline': the first start of this
-- version marks the latest due day as done without nudging (the first nudge comes at its time).
CREATE TABLE nudge_runs (
    due_on   TEXT    PRIMARY KEY,
    state    TEXT    NOT NULL CHECK (state IN ('ran', 'baseline')),
    nudged   INTEGER NOT NULL DEFAULT 0,
    ran_at   TEXT    NOT NULL
);
