-- Every stored or replaced answer goes to the history in the same statement (one round trip less
-- on the hot path of answering); withdrawals are recorded by the application.
CREATE TRIGGER survey_answers_history_insert AFTER INSERT ON survey_answers
BEGIN
    INSERT INTO survey_answer_history (round_id, vpa_id, answer, reason, note, later_from, via, answered_at)
    VALUES (NEW.round_id, NEW.vpa_id, NEW.answer, NEW.reason, NEW.note, NEW.later_from, NEW.via, NEW.answered_at);
END;

CREATE TRIGGER survey_answers_history_update AFTER UPDATE ON survey_answers
BEGIN
    INSERT INTO survey_answer_history (round_id, vpa_id, answer, reason, note, later_from, via, answered_at)
    VALUES (NEW.round_id, NEW.vpa_id, NEW.answer, NEW.reason, NEW.note, NEW.later_from, NEW.via, NEW.answered_at);
END;
