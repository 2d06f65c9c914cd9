-- The language each member last used with the bot (Discord sends it with every interaction),
-- so a direct message speaks it too. Members without a row get the configured default.
CREATE TABLE member_locales (
    user_id     INTEGER PRIMARY KEY,
    locale      TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
