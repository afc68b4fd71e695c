-- Schema version 2: what prune removed, and import idempotency.

-- Every file fencectl prune removes, with its content, recorded first:
-- pruning never loses what a file said.
CREATE TABLE pruned_files (
    id          INTEGER PRIMARY KEY,
    directory   TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    body        TEXT,              -- NULL if it could not be read (then it is kept)
    modified_at TEXT NOT NULL,     -- the file's mtime, ISO 8601 UTC
    pruned_at   TEXT NOT NULL,
    reason      TEXT NOT NULL
);

-- A 64-bit FNV-1a hash (hex) of the event's jsonl line: the agent sets it
-- for the lines it writes, fencectl import for the lines it loads, so a
-- line is imported once however often its file is imported.
ALTER TABLE events ADD COLUMN line_hash TEXT;
CREATE INDEX events_line_hash ON events (line_hash);
