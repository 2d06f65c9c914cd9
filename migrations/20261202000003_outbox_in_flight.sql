-- When an item was first handed to Discord without a known result (claimed, then the process
-- stopped, or the response was lost). Kept until the item is settled, so after a downtime longer
-- than Discord's nonce window the worker first looks for the message it may have posted.
ALTER TABLE outbox ADD COLUMN in_flight_since TEXT;
