-- The outbox: every message the bot must post, edit or DM, written in the same transaction as the
-- state change that causes it and delivered by a worker (retried, with a nonce against doubles).
CREATE TABLE outbox (
    id                   INTEGER PRIMARY KEY,
    -- JSON of the outgoing intent (what to say); rendered from the current state at delivery.
    intent               TEXT    NOT NULL,
    -- Pending items with the same key are one item: later changes fold into it (e.g. live counts).
    coalesce_key         TEXT,
    nonce                TEXT    NOT NULL UNIQUE,
    status               TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts             INTEGER NOT NULL DEFAULT 0,
    next_attempt_at      TEXT    NOT NULL,
    last_error           TEXT,
    produced_message_id  INTEGER,
    produced_channel_id  INTEGER,
    created_at           TEXT    NOT NULL,
    finished_at          TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE UNIQUE INDEX outbox_one_pending_per_key ON outbox (coalesce_key) WHERE status = 'pending' AND coalesce_key IS NOT NULL;

-- Gateway events already handled (Discord may deliver one twice; a restart may replay).
CREATE TABLE processed_events (
    event_key     TEXT PRIMARY KEY,
    processed_at  TEXT NOT NULL
);

CREATE UNIQUE INDEX survey_rounds_by_message ON survey_rounds (message_id) WHERE message_id IS NOT NULL;
