-- Edits of a task re-evaluate who fits (issue "When demand changes").

-- Answers an edit outdated: the VPA accepted or said "later" and no longer fits the task as it
-- now is. Cleared when a later edit makes them fit again.
CREATE TABLE outdated_answers (
    task_id    INTEGER NOT NULL REFERENCES tasks (id),
    vpa_id     INTEGER NOT NULL,
    -- Why, as neutral data (JSON list of reasons); said in the reader's language.
    reasons    TEXT    NOT NULL,
    marked_at  TEXT    NOT NULL,
    PRIMARY KEY (task_id, vpa_id)
);

-- VPAs who did not fit before an edit and fit after, not asked yet: offered by a button.
CREATE TABLE newly_fitting (
    task_id  INTEGER NOT NULL REFERENCES tasks (id),
    vpa_id   INTEGER NOT NULL,
    since    TEXT    NOT NULL,
    PRIMARY KEY (task_id, vpa_id)
);

-- An edit that would put an assigned VPA over their weekly hours waits for a confirmation: the
-- edit as given is kept here (a button's custom_id holds 100 characters), until it expires.
CREATE TABLE pending_edits (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks (id),
    edit        TEXT    NOT NULL,
    by_id       INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'dropped'))
);
