-- Newbies (joined within the newbie period) are looked up by their join day: the playbook's
-- nudge option reads them without reading the pool.
CREATE INDEX vpas_by_joined_on ON vpas (joined_on);
