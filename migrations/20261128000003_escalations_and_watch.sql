-- Survey rounds that closed with acceptances but nobody assigned: the creating coordinator is
-- asked first, the manager after one more window (followup_at).
ALTER TABLE survey_rounds ADD COLUMN followup_at TEXT;
CREATE INDEX survey_rounds_followup ON survey_rounds (followup_at) WHERE followup_at IS NOT NULL;

-- Why a task's escalation notice was raised or updated, in order.
CREATE TABLE escalation_events (
    id             INTEGER PRIMARY KEY,
    escalation_id  INTEGER NOT NULL REFERENCES escalations (id) ON DELETE CASCADE,
    cause          TEXT    NOT NULL CHECK (cause IN ('round-failed', 'nobody-fits', 'reported', 'accepted-unassigned')),
    round_id       INTEGER,
    note           TEXT,
    reported_by    INTEGER,
    created_at     TEXT    NOT NULL
);
-- One event per failed round: a round closes once, and a replayed close must not re-ping.
CREATE UNIQUE INDEX escalation_events_once_per_round ON escalation_events (round_id, cause) WHERE round_id IS NOT NULL;

-- The pool-health watch: one row, so concurrent evaluations cannot both alert for one crossing.
CREATE TABLE pool_watch_state (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    below            INTEGER NOT NULL CHECK (below IN (0, 1)),
    below_since      TEXT,
    last_notice_on   TEXT,
    updated_at       TEXT    NOT NULL
);
INSERT INTO pool_watch_state (id, below, updated_at) VALUES (1, 0, '1970-01-01T00:00:00Z');
