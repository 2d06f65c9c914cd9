-- An answer given again in the same round (taken back and given anew) asks and tells nobody a
-- second time: recording an answer looks up the VPA's earlier answers in the round.
CREATE INDEX survey_answer_history_by_round_and_vpa ON survey_answer_history (round_id, vpa_id);
