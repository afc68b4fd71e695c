-- fence_recorder database, schema version 1.
-- Every row the agent writes is also a line in one of the three log files; the
-- columns keep exactly what was rendered so fencectl can regenerate the logs
-- byte for byte.

-- One run of the agent for one action against one target.
CREATE TABLE operations (
    id            INTEGER PRIMARY KEY,
    op_uuid       TEXT NOT NULL UNIQUE,      -- equals request_id for off/reboot
    action        TEXT NOT NULL,             -- off, reboot, on, status, ...
    target_node   TEXT NOT NULL,
    recorder_node TEXT NOT NULL,
    requested_by  TEXT NOT NULL,             -- pacemaker-fenced, or the uid of a person
    agent_pid     INTEGER NOT NULL,
    started_at    TEXT NOT NULL,             -- ISO 8601 UTC, milliseconds
    finished_at   TEXT,                      -- NULL while running or if the agent died
    status        TEXT NOT NULL DEFAULT 'running',
                  -- running, completed, failed, timeout, terminated, error
    exit_code     INTEGER,
    message       TEXT,
    filesystems   TEXT                       -- JSON array, as logged
);
CREATE INDEX operations_target ON operations (target_node, started_at);
CREATE INDEX operations_started ON operations (started_at);

-- The request file exactly as written.
CREATE TABLE requests (
    operation_id  INTEGER PRIMARY KEY REFERENCES operations (id),
    request_id    TEXT NOT NULL UNIQUE,
    file_name     TEXT NOT NULL,
    body          TEXT NOT NULL,
    written_at    TEXT NOT NULL
);

-- Every response file content read or removed, with how it got here.
CREATE TABLE responses (
    id               INTEGER PRIMARY KEY,
    operation_id     INTEGER REFERENCES operations (id),
    file_name        TEXT NOT NULL,
    body             TEXT NOT NULL,
    request_id       TEXT,
    target_node      TEXT,
    success          INTEGER,                -- 0/1, NULL if unparseable
    message          TEXT,
    action_performed TEXT,
    source           TEXT NOT NULL,          -- agent, unfence, manual, prune, rescan
    recorded_at      TEXT NOT NULL
);
CREATE INDEX responses_request ON responses (request_id);
CREATE INDEX responses_operation ON responses (operation_id);

-- One row per filesystem discovery method run.
CREATE TABLE discoveries (
    id            INTEGER PRIMARY KEY,
    operation_id  INTEGER NOT NULL REFERENCES operations (id),
    method        INTEGER NOT NULL,          -- 1 live state, 2 configuration
    command       TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    duration_ms   INTEGER NOT NULL,
    outcome       TEXT NOT NULL,             -- found, empty, failed, timeout, skipped
    result        TEXT NOT NULL,             -- JSON array of filesystem names
    error         TEXT
);
CREATE INDEX discoveries_operation ON discoveries (operation_id);

-- Lines of fence-events.log.
CREATE TABLE log_lines (
    id            INTEGER PRIMARY KEY,
    operation_id  INTEGER REFERENCES operations (id),
    logged_at     TEXT NOT NULL,             -- ISO 8601 UTC, milliseconds
    local_time    TEXT NOT NULL,             -- as rendered in the line
    level         TEXT NOT NULL,
    message       TEXT NOT NULL
);
CREATE INDEX log_lines_operation ON log_lines (operation_id);

-- Fence events: one line each in fence-events-readable.log and
-- fence-events-detailed.jsonl.
CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    operation_id     INTEGER REFERENCES operations (id),
    logged_at        TEXT NOT NULL,          -- ISO 8601 UTC, milliseconds
    local_time       TEXT NOT NULL,          -- readable log's timestamp
    utc_time         TEXT NOT NULL,          -- jsonl timestamp
    action           TEXT NOT NULL,
    target_node      TEXT NOT NULL,
    status           TEXT NOT NULL,
    details          TEXT NOT NULL,
    recorder_node    TEXT NOT NULL,
    pacemaker_action TEXT NOT NULL,
    filesystems      TEXT NOT NULL,          -- JSON array
    request_id       TEXT,                   -- NULL where there is none
    origin           TEXT NOT NULL DEFAULT 'agent'   -- agent, import
);
CREATE INDEX events_target ON events (target_node, logged_at);
CREATE INDEX events_operation ON events (operation_id);
