-- "Unlogische Absagen" asks each decliner at most once per round, however often the button is
-- pressed (and by however many people at once).
CREATE TABLE reasks (
    round_id  INTEGER NOT NULL REFERENCES survey_rounds (id) ON DELETE CASCADE,
    vpa_id    INTEGER NOT NULL,
    asked_at  TEXT    NOT NULL,
    asked_by  INTEGER,
    PRIMARY KEY (round_id, vpa_id)
);
