-- fence_recorder database, schema version 9: the log lines of the last
-- step, kept in its transaction. A writer appends a step's lines to the
-- three logs right after its commit; one killed in between (a SIGKILL
-- during the commit's fsync) leaves rows the logs lack. The next writer,
-- holding the turn, finds them missing where this row says they go and
-- writes them before its own (lib/held_lines.h); fencectl check names
-- them until then. One row per log file the last step wrote to: a few
-- rows, read whole, so no index (a step rewrites one page, not two).
CREATE TABLE held_lines (
    path      TEXT NOT NULL,      -- the log file, as the writer resolved it
    dev       INTEGER,            -- the file's device and inode before the
    ino       INTEGER,            -- append; NULL: it did not exist yet
    offset    INTEGER NOT NULL,   -- its size then: where the lines start
    lines     TEXT NOT NULL,      -- the step's lines, as appended
    step_at   TEXT NOT NULL       -- when the step committed (ISO 8601 UTC)
);
