-- The VPA pool, clients, tasks, assignments, surveys and escalations.
-- Dates are calendar days in the agency's time zone as 'YYYY-MM-DD'; instants are UTC RFC 3339.
-- Discord snowflakes are stored as INTEGER (i64).

CREATE TABLE vpas (
    discord_id         INTEGER PRIMARY KEY,
    name               TEXT    NOT NULL,
    weekly_hours       REAL    NOT NULL DEFAULT 0 CHECK (weekly_hours >= 0),
    wants_tasks        INTEGER NOT NULL DEFAULT 0 CHECK (wants_tasks IN (0, 1)),
    wants_new_clients  INTEGER NOT NULL DEFAULT 0 CHECK (wants_new_clients IN (0, 1)),
    vt_stop_until      TEXT,
    -- No reason for an absence is stored: it may be health data.
    absent_from        TEXT,
    absent_until       TEXT,
    willing_to_train   INTEGER NOT NULL DEFAULT 0 CHECK (willing_to_train IN (0, 1)),
    joined_on          TEXT,
    active             INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    last_nudged_at     TEXT,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL
);

CREATE TABLE vpa_competences (
    vpa_id      INTEGER NOT NULL REFERENCES vpas (discord_id) ON DELETE CASCADE,
    competence  TEXT    NOT NULL,
    level       TEXT    NOT NULL CHECK (level IN ('basic', 'good', 'expert')),
    PRIMARY KEY (vpa_id, competence)
);
CREATE INDEX vpa_competences_by_competence ON vpa_competences (competence);

-- Every change of a profile field, so the pool-health alert can say who became unavailable and why.
CREATE TABLE vpa_history (
    id          INTEGER PRIMARY KEY,
    vpa_id      INTEGER NOT NULL REFERENCES vpas (discord_id) ON DELETE CASCADE,
    field       TEXT    NOT NULL,
    old_value   TEXT,
    new_value   TEXT,
    source      TEXT    NOT NULL,  -- 'import', 'profile', 'manager', 'coordinator'
    changed_by  INTEGER,           -- Discord id of who changed it; NULL for the CLI
    changed_at  TEXT    NOT NULL
);
CREATE INDEX vpa_history_by_time ON vpa_history (changed_at);

CREATE TABLE clients (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    created_at  TEXT    NOT NULL
);

CREATE TABLE tasks (
    id              INTEGER PRIMARY KEY,
    client_id       INTEGER NOT NULL REFERENCES clients (id),
    competence      TEXT    NOT NULL,
    area            TEXT    NOT NULL,
    hours           REAL    NOT NULL CHECK (hours > 0),
    -- Recurring: hours are per week and the deadline is when the work must start.
    recurring       INTEGER NOT NULL DEFAULT 0 CHECK (recurring IN (0, 1)),
    deadline        TEXT    NOT NULL,
    new_client      INTEGER NOT NULL CHECK (new_client IN (0, 1)),
    description     TEXT,
    status          TEXT    NOT NULL CHECK (status IN ('open', 'surveying', 'assigned', 'escalated', 'external', 'done', 'cancelled')),
    parent_task_id  INTEGER REFERENCES tasks (id),
    created_by      INTEGER,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX tasks_by_status ON tasks (status, created_at);

CREATE TABLE task_status_history (
    id           INTEGER PRIMARY KEY,
    task_id      INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    from_status  TEXT,
    to_status    TEXT    NOT NULL,
    note         TEXT,
    changed_by   INTEGER,
    changed_at   TEXT    NOT NULL
);

CREATE TABLE assignments (
    id           INTEGER PRIMARY KEY,
    task_id      INTEGER NOT NULL REFERENCES tasks (id),
    vpa_id       INTEGER NOT NULL REFERENCES vpas (discord_id),
    client_id    INTEGER NOT NULL REFERENCES clients (id),
    hours        REAL    NOT NULL CHECK (hours > 0),
    recurring    INTEGER NOT NULL CHECK (recurring IN (0, 1)),
    assigned_on  TEXT    NOT NULL,
    deadline     TEXT    NOT NULL,
    ended_on     TEXT,
    assigned_by  INTEGER,
    created_at   TEXT    NOT NULL
);
CREATE UNIQUE INDEX assignments_one_open_per_vpa_and_task ON assignments (task_id, vpa_id) WHERE ended_on IS NULL;
CREATE INDEX assignments_by_vpa ON assignments (vpa_id);

-- A survey round: one broadcast of a task to an audience, open until closes_at.
CREATE TABLE survey_rounds (
    id                  INTEGER PRIMARY KEY,
    task_id             INTEGER NOT NULL REFERENCES tasks (id),
    kind                TEXT    NOT NULL CHECK (kind IN ('first', 'extended', 'related', 'split')),
    competence          TEXT    NOT NULL,
    opened_at           TEXT    NOT NULL,
    closes_at           TEXT    NOT NULL,
    closed_at           TEXT,
    outcome             TEXT,
    channel_id          INTEGER,
    message_id          INTEGER,
    created_by          INTEGER
);
CREATE INDEX survey_rounds_open ON survey_rounds (closes_at) WHERE closed_at IS NULL;

-- Who a round mentioned, best-ranked first.
CREATE TABLE survey_invitees (
    round_id     INTEGER NOT NULL REFERENCES survey_rounds (id) ON DELETE CASCADE,
    vpa_id       INTEGER NOT NULL,
    rank         INTEGER NOT NULL,
    utilization  REAL    NOT NULL,
    PRIMARY KEY (round_id, vpa_id)
);

-- The current answer of each VPA in a round; one row per VPA and round.
CREATE TABLE survey_answers (
    round_id     INTEGER NOT NULL REFERENCES survey_rounds (id) ON DELETE CASCADE,
    vpa_id       INTEGER NOT NULL,
    answer       TEXT    NOT NULL CHECK (answer IN ('accept', 'decline', 'later')),
    reason       TEXT,
    note         TEXT,
    later_from   TEXT,
    via          TEXT    NOT NULL CHECK (via IN ('button', 'reaction')),
    surveyed     INTEGER NOT NULL CHECK (surveyed IN (0, 1)),
    answered_at  TEXT    NOT NULL,
    PRIMARY KEY (round_id, vpa_id)
);

-- Every answer ever given (including withdrawals), for the history.
CREATE TABLE survey_answer_history (
    id           INTEGER PRIMARY KEY,
    round_id     INTEGER NOT NULL REFERENCES survey_rounds (id) ON DELETE CASCADE,
    vpa_id       INTEGER NOT NULL,
    answer       TEXT    NOT NULL CHECK (answer IN ('accept', 'decline', 'later', 'withdrawn')),
    reason       TEXT,
    note         TEXT,
    later_from   TEXT,
    via          TEXT    NOT NULL,
    answered_at  TEXT    NOT NULL
);

-- One notice per task in the manager channel.
CREATE TABLE escalations (
    id               INTEGER PRIMARY KEY,
    task_id          INTEGER NOT NULL UNIQUE REFERENCES tasks (id),
    cause            TEXT    NOT NULL,
    channel_id       INTEGER,
    message_id       INTEGER,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);
