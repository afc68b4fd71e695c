-- What fencectl metrics reads instead of walking every operation: on a
-- record of 500,000 operations a GROUP BY over them takes about a second,
-- and node_exporter's textfile collector wants a fresh file every minute.

-- Outcome counters, kept by the triggers below: each operation is counted
-- once, when it gets its outcome (status leaves 'running', or an import
-- inserts it finished). Never decreased: pruning old rows keeps the counts,
-- as a Prometheus counter must.
CREATE TABLE outcome_counts (
    target_node TEXT NOT NULL,
    action      TEXT NOT NULL,
    status      TEXT NOT NULL,           -- completed, failed, timeout, terminated, error
    operations  INTEGER NOT NULL,
    last_at     TEXT NOT NULL,           -- the newest counted outcome (finished_at), ISO 8601 UTC
    PRIMARY KEY (target_node, action, status)
) WITHOUT ROWID;

-- The fences' durations as a histogram per action: operations whose
-- duration falls in (previous bound, le_ms]; le_ms -1 is +Inf. The duration
-- is duration_ms (monotonic), else finished_at - started_at; an operation
-- with neither (or a negative one: a clock stepped back) is not in it.
CREATE TABLE duration_buckets (
    action      TEXT NOT NULL,
    le_ms       INTEGER NOT NULL,
    operations  INTEGER NOT NULL,
    sum_ms      INTEGER NOT NULL,
    PRIMARY KEY (action, le_ms)
) WITHOUT ROWID;

CREATE VIEW operation_outcomes AS
SELECT target_node, action, status, coalesce(finished_at, started_at) AS at,
       coalesce(duration_ms, CAST(round((julianday(finished_at) - julianday(started_at)) * 86400000)
                                  AS INTEGER)) AS ms
FROM operations;

CREATE TRIGGER operations_outcome_insert AFTER INSERT ON operations
WHEN new.status <> 'running'
BEGIN
    INSERT INTO outcome_counts (target_node, action, status, operations, last_at)
    VALUES (new.target_node, new.action, new.status, 1, coalesce(new.finished_at, new.started_at))
    ON CONFLICT (target_node, action, status) DO UPDATE
        SET operations = operations + 1, last_at = max(last_at, excluded.last_at);
    INSERT INTO duration_buckets (action, le_ms, operations, sum_ms)
    SELECT action, CASE WHEN ms <= 10 THEN 10 WHEN ms <= 25 THEN 25 WHEN ms <= 50 THEN 50
                        WHEN ms <= 100 THEN 100 WHEN ms <= 250 THEN 250 WHEN ms <= 500 THEN 500
                        WHEN ms <= 1000 THEN 1000 WHEN ms <= 2500 THEN 2500
                        WHEN ms <= 5000 THEN 5000 WHEN ms <= 10000 THEN 10000
                        WHEN ms <= 30000 THEN 30000 WHEN ms <= 60000 THEN 60000
                        WHEN ms <= 120000 THEN 120000 ELSE -1 END, 1, ms
    FROM (SELECT new.action AS action,
                 coalesce(new.duration_ms, CAST(round((julianday(new.finished_at)
                          - julianday(new.started_at)) * 86400000) AS INTEGER)) AS ms)
    WHERE ms >= 0
    ON CONFLICT (action, le_ms) DO UPDATE
        SET operations = operations + 1, sum_ms = sum_ms + excluded.sum_ms;
END;

CREATE TRIGGER operations_outcome_update AFTER UPDATE OF status ON operations
WHEN old.status = 'running' AND new.status <> 'running'
BEGIN
    INSERT INTO outcome_counts (target_node, action, status, operations, last_at)
    VALUES (new.target_node, new.action, new.status, 1, coalesce(new.finished_at, new.started_at))
    ON CONFLICT (target_node, action, status) DO UPDATE
        SET operations = operations + 1, last_at = max(last_at, excluded.last_at);
    INSERT INTO duration_buckets (action, le_ms, operations, sum_ms)
    SELECT action, CASE WHEN ms <= 10 THEN 10 WHEN ms <= 25 THEN 25 WHEN ms <= 50 THEN 50
                        WHEN ms <= 100 THEN 100 WHEN ms <= 250 THEN 250 WHEN ms <= 500 THEN 500
                        WHEN ms <= 1000 THEN 1000 WHEN ms <= 2500 THEN 2500
                        WHEN ms <= 5000 THEN 5000 WHEN ms <= 10000 THEN 10000
                        WHEN ms <= 30000 THEN 30000 WHEN ms <= 60000 THEN 60000
                        WHEN ms <= 120000 THEN 120000 ELSE -1 END, 1, ms
    FROM (SELECT new.action AS action,
                 coalesce(new.duration_ms, CAST(round((julianday(new.finished_at)
                          - julianday(new.started_at)) * 86400000) AS INTEGER)) AS ms)
    WHERE ms >= 0
    ON CONFLICT (action, le_ms) DO UPDATE
        SET operations = operations + 1, sum_ms = sum_ms + excluded.sum_ms;
END;

-- The operations recorded before this version, counted the same way.
INSERT INTO outcome_counts (target_node, action, status, operations, last_at)
SELECT target_node, action, status, count(*), max(at) FROM operation_outcomes
WHERE status <> 'running' GROUP BY target_node, action, status;
INSERT INTO duration_buckets (action, le_ms, operations, sum_ms)
SELECT action, CASE WHEN ms <= 10 THEN 10 WHEN ms <= 25 THEN 25 WHEN ms <= 50 THEN 50
                    WHEN ms <= 100 THEN 100 WHEN ms <= 250 THEN 250 WHEN ms <= 500 THEN 500
                    WHEN ms <= 1000 THEN 1000 WHEN ms <= 2500 THEN 2500
                    WHEN ms <= 5000 THEN 5000 WHEN ms <= 10000 THEN 10000
                    WHEN ms <= 30000 THEN 30000 WHEN ms <= 60000 THEN 60000
                    WHEN ms <= 120000 THEN 120000 ELSE -1 END AS le, count(*), sum(ms)
FROM operation_outcomes WHERE status <> 'running' AND ms >= 0 GROUP BY action, le;
-- The view served the two statements above only.
DROP VIEW operation_outcomes;
