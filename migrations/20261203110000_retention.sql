-- Pruning reads by age: what was delivered, and which events were handled, before a cut-off.
CREATE INDEX outbox_sent_by_finished ON outbox (finished_at) WHERE status = 'sent';
CREATE INDEX processed_events_by_age ON processed_events (processed_at);
