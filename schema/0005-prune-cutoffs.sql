-- The cut-offs of age-based prunes (fencectl prune --events-older-than).
-- The log files keep every line; the database deliberately forgets events
-- before a cut-off. fencectl check compares the jsonl log with the events
-- table to find lines that never reached the database (recorded to logs
-- only), and skips lines at or before the latest cut-off: those may have
-- been pruned on purpose, and importing them would undo the prune.
CREATE TABLE prune_cutoffs (
    id          INTEGER PRIMARY KEY,
    cutoff      TEXT NOT NULL,     -- ISO 8601 UTC: nothing on or after it was deleted
    pruned_at   TEXT NOT NULL,
    operations  INTEGER NOT NULL   -- how many operations that prune deleted
);
