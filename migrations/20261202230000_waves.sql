-- Waves: when more VPAs fit than one post mentions, the next ones are asked at half the first
-- round's window if nobody has accepted by then. NULL: no wave due (none planned, or done).
ALTER TABLE survey_rounds ADD COLUMN wave_at TEXT;
CREATE INDEX survey_rounds_wave_due ON survey_rounds (wave_at) WHERE wave_at IS NOT NULL;
