-- Stored values are neutral, never words of a language: profile flags in the history become
-- 'true'/'false' (they were 'ja'/'nein'), and a round's outcome has one vocabulary (rounds closed
-- because their task was done or cancelled said 'done'/'cancelled'; they are 'settled' like every
-- round whose task no longer needed anybody).
UPDATE vpa_history SET old_value = CASE old_value WHEN 'ja' THEN 'true' WHEN 'nein' THEN 'false' ELSE old_value END,
                       new_value = CASE new_value WHEN 'ja' THEN 'true' WHEN 'nein' THEN 'false' ELSE new_value END
 WHERE field IN ('wants_tasks', 'wants_new_clients', 'willing_to_train', 'active');

UPDATE survey_rounds SET outcome = 'settled' WHERE outcome IN ('done', 'cancelled', 'external');

-- What the system did to a task is stored as neutral data (JSON of `StatusDetail`), said in the
-- reader's language; `note` keeps only what a person typed. Older entries are converted where
-- their meaning is certain; other system notes of older versions stay readable as they were.
ALTER TABLE task_status_history ADD COLUMN detail TEXT;
UPDATE task_status_history SET detail = json_object('what', 'round_opened', 'kind', note), note = NULL
 WHERE note IN ('first', 'extended', 'related', 'split');
UPDATE task_status_history SET detail = json_object('what', 'escalated', 'cause', note), note = NULL
 WHERE note IN ('round-failed', 'nobody-fits', 'reported', 'accepted-unassigned');
UPDATE task_status_history SET detail = json_object('what', 'unassigned'), note = NULL
 WHERE note = 'Zuweisung aufgehoben';

-- A part of a split task keeps its parent's description; which part it is ("Teil 1/3 von
-- Aufgabe #5") is said when shown, in the reader's language. Parts made before stored that
-- German prefix in their description.
UPDATE tasks SET description = CASE WHEN instr(description, ': ') > 0
                                    THEN substr(description, instr(description, ': ') + 2) END
 WHERE parent_task_id IS NOT NULL AND description LIKE 'Teil %/% von Aufgabe #%';
