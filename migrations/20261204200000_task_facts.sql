-- One row of times per task for the reports, kept by triggers on the tables the times come
-- from: a year of tasks is one scan instead of nine indexed lookups per task (the demand and
-- fill reports over 52 weeks). Each trigger recomputes its column from the source rows, so a
-- row is always what the source tables say; the tables are only ever added to or updated.
CREATE TABLE task_facts (
    task_id            INTEGER PRIMARY KEY REFERENCES tasks (id),
    -- The end of the task's first round's window.
    first_window_end   TEXT,
    first_accepted_at  TEXT,
    first_assigned_at  TEXT,
    -- The first hand-on after a drop-out, and the first assignment after it (the second fill).
    handed_on_at       TEXT,
    refilled_at        TEXT,
    -- The first change to a closing status.
    closed_at          TEXT,
    escalated          INTEGER NOT NULL DEFAULT 0 CHECK (escalated IN (0, 1)),
    -- Split into parts (the parts carry its demand).
    has_parts          INTEGER NOT NULL DEFAULT 0 CHECK (has_parts IN (0, 1))
);

INSERT INTO task_facts (task_id, first_window_end, first_accepted_at, first_assigned_at,
                        handed_on_at, refilled_at, closed_at, escalated, has_parts)
SELECT t.id,
    (SELECT MIN(r.closes_at) FROM survey_rounds r WHERE r.task_id = t.id),
    (SELECT MIN(h.answered_at) FROM survey_rounds r
       CROSS JOIN survey_answer_history h ON h.round_id = r.id
       WHERE r.task_id = t.id AND h.answer = 'accept'),
    (SELECT MIN(a.created_at) FROM assignments a WHERE a.task_id = t.id),
    (SELECT MIN(o.created_at) FROM hand_overs o WHERE o.task_id = t.id),
    (SELECT MIN(a.created_at) FROM assignments a WHERE a.task_id = t.id
       AND a.created_at > (SELECT MIN(o.created_at) FROM hand_overs o WHERE o.task_id = t.id)),
    (SELECT MIN(x.changed_at) FROM task_status_history x WHERE x.task_id = t.id
       AND x.to_status IN ('done', 'cancelled', 'external', 'split')),
    EXISTS (SELECT 1 FROM escalations e WHERE e.task_id = t.id),
    EXISTS (SELECT 1 FROM tasks c WHERE c.parent_task_id = t.id)
FROM tasks t;

CREATE TRIGGER task_facts_task AFTER INSERT ON tasks
BEGIN
    INSERT INTO task_facts (task_id) VALUES (NEW.id) ON CONFLICT (task_id) DO NOTHING;
    UPDATE task_facts SET has_parts = 1 WHERE task_id = NEW.parent_task_id;
END;

CREATE TRIGGER task_facts_part AFTER UPDATE OF parent_task_id ON tasks
    WHEN NEW.parent_task_id IS NOT NULL
BEGIN
    UPDATE task_facts SET has_parts = 1 WHERE task_id = NEW.parent_task_id;
END;

CREATE TRIGGER task_facts_round AFTER INSERT ON survey_rounds
BEGIN
    UPDATE task_facts SET first_window_end =
        (SELECT MIN(closes_at) FROM survey_rounds WHERE task_id = NEW.task_id)
    WHERE task_id = NEW.task_id;
END;

CREATE TRIGGER task_facts_round_window AFTER UPDATE OF closes_at ON survey_rounds
BEGIN
    UPDATE task_facts SET first_window_end =
        (SELECT MIN(closes_at) FROM survey_rounds WHERE task_id = NEW.task_id)
    WHERE task_id = NEW.task_id;
END;

CREATE TRIGGER task_facts_accept AFTER INSERT ON survey_answer_history
    WHEN NEW.answer = 'accept'
BEGIN
    UPDATE task_facts SET first_accepted_at =
        (SELECT MIN(h.answered_at) FROM survey_rounds r
           CROSS JOIN survey_answer_history h ON h.round_id = r.id
           WHERE r.task_id = task_facts.task_id AND h.answer = 'accept')
    WHERE task_id = (SELECT task_id FROM survey_rounds WHERE id = NEW.round_id);
END;

CREATE TRIGGER task_facts_assignment AFTER INSERT ON assignments
BEGIN
    UPDATE task_facts SET
        first_assigned_at = (SELECT MIN(created_at) FROM assignments WHERE task_id = NEW.task_id),
        refilled_at = (SELECT MIN(a.created_at) FROM assignments a WHERE a.task_id = NEW.task_id
                         AND a.created_at > task_facts.handed_on_at)
    WHERE task_id = NEW.task_id;
END;

CREATE TRIGGER task_facts_hand_over AFTER INSERT ON hand_overs
BEGIN
    UPDATE task_facts SET
        handed_on_at = (SELECT MIN(created_at) FROM hand_overs WHERE task_id = NEW.task_id),
        refilled_at = (SELECT MIN(a.created_at) FROM assignments a WHERE a.task_id = NEW.task_id
                         AND a.created_at >
                             (SELECT MIN(created_at) FROM hand_overs WHERE task_id = NEW.task_id))
    WHERE task_id = NEW.task_id;
END;

CREATE TRIGGER task_facts_closed AFTER INSERT ON task_status_history
    WHEN NEW.to_status IN ('done', 'cancelled', 'external', 'split')
BEGIN
    UPDATE task_facts SET closed_at =
        (SELECT MIN(changed_at) FROM task_status_history WHERE task_id = NEW.task_id
           AND to_status IN ('done', 'cancelled', 'external', 'split'))
    WHERE task_id = NEW.task_id;
END;

CREATE TRIGGER task_facts_escalated AFTER INSERT ON escalations
BEGIN
    UPDATE task_facts SET escalated = 1 WHERE task_id = NEW.task_id;
END;
