-- Members Discord refused a DM to (403, code 50007: they do not take DMs from this server),
-- until a DM to them goes through again. `mentioned_at`: when they were last asked in the
-- fallback channel to open their DMs (at most once a day).
CREATE TABLE dm_unreachable (
    member_id    INTEGER PRIMARY KEY,
    since        TEXT    NOT NULL,
    mentioned_at TEXT
);

-- Which coordinator was told that a member cannot be reached by DM, and when (at most once a
-- day per member and coordinator).
CREATE TABLE dm_unreachable_told (
    member_id      INTEGER NOT NULL,
    coordinator_id INTEGER NOT NULL,
    told_at        TEXT    NOT NULL,
    PRIMARY KEY (member_id, coordinator_id)
);
