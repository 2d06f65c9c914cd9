-- Drop-outs (issue 15): assignments handed on when their holder is absent or deactivated, the
-- waitlist of earlier accepters offered them one after another, and recurring covers.

-- Every hand-over of one assignment: who gave it up, why, and (recurring) for which weeks.
CREATE TABLE hand_overs (
    id             INTEGER PRIMARY KEY,
    task_id        INTEGER NOT NULL REFERENCES tasks (id),
    assignment_id  INTEGER NOT NULL REFERENCES assignments (id),
    vpa_id         INTEGER NOT NULL,
    cause          TEXT    NOT NULL CHECK (cause IN ('absent', 'deactivated')),
    -- A recurring cover: from the Monday of the absence's first week to the Sunday of its last
    -- (NULL: until the holder is back). Both NULL: handed on for good.
    cover_from     TEXT,
    cover_until    TEXT,
    -- When the holder took the cover back.
    returned_on    TEXT,
    -- offering: the waitlist is asked; round: a survey round asks the fitting VPAs;
    -- taken: someone took it; closed: the task closed or the holder took it back first.
    state          TEXT    NOT NULL CHECK (state IN ('offering', 'round', 'taken', 'closed')),
    taken_by       INTEGER,
    created_by     INTEGER,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);
CREATE INDEX hand_overs_by_task ON hand_overs (task_id);
CREATE INDEX hand_overs_by_vpa ON hand_overs (vpa_id);

-- The waitlist of one hand-over, in ranking order; one offer open at a time.
CREATE TABLE hand_over_offers (
    id            INTEGER PRIMARY KEY,
    hand_over_id  INTEGER NOT NULL REFERENCES hand_overs (id),
    vpa_id        INTEGER NOT NULL,
    place         INTEGER NOT NULL,
    offered_at    TEXT,
    closes_at     TEXT,
    outcome       TEXT    CHECK (outcome IN ('accepted', 'declined', 'lapsed', 'void')),
    answered_at   TEXT,
    UNIQUE (hand_over_id, vpa_id)
);
CREATE INDEX hand_over_offers_due ON hand_over_offers (closes_at)
    WHERE outcome IS NULL AND offered_at IS NOT NULL;

-- A cover's planned last day (the holder takes it back the day after); why an assignment ended
-- ('absent', 'deactivated', 'returned'; NULL: taken back, done or cancelled); the hand-over a
-- cover or a take-over belongs to.
ALTER TABLE assignments ADD COLUMN until TEXT;
ALTER TABLE assignments ADD COLUMN end_reason TEXT;
ALTER TABLE assignments ADD COLUMN hand_over_id INTEGER REFERENCES hand_overs (id);

-- A round opened because nobody on the waitlist took a handed-on task.
ALTER TABLE survey_rounds ADD COLUMN hand_over_id INTEGER REFERENCES hand_overs (id);
