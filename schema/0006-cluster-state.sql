-- Schema version 6: the fence target's state as Pacemaker saw it when the
-- fence was recorded, and what asked for the fence (issue 14.1).
--
-- The companion reads `crm_mon --output-as=xml` (the run discovery already
-- makes, shared by the fences of a burst) through fence-recorder-cluster-state
-- and keeps one row per operation. raw is the helper's whole JSON object; the
-- columns are taken from it so history can show and filter them. A state
-- that could not be read (no cluster, crm_mon missing, discovery off) is a
-- row with known = 0 and the reason in error: "unknown" is a fact too.
CREATE TABLE cluster_states (
    id                INTEGER PRIMARY KEY,
    operation_id      INTEGER NOT NULL REFERENCES operations (id),
    captured_at       TEXT NOT NULL,   -- when the helper had read crm_mon's output
    source            TEXT NOT NULL,   -- 'crm_mon', or 'none' when the cluster was not asked
    shared_from       TEXT,            -- crm_mon's run reused from another fence (who, when)
    known             INTEGER NOT NULL,-- 1: Pacemaker's view of the target was read
    membership        TEXT,            -- online, offline, unclean, pending, standby,
                                       -- maintenance, shutting-down, absent, unknown
    online            INTEGER,         -- the flags as crm_mon printed them (1/0/NULL)
    unclean           INTEGER,
    pending           INTEGER,
    standby           INTEGER,
    maintenance       INTEGER,
    shutdown          INTEGER,
    expected_up       INTEGER,
    is_dc             INTEGER,
    node_type         TEXT,            -- member, remote, guest
    last_seen         TEXT,            -- newest resource operation result on the node
    quorum            INTEGER,         -- the partition had quorum (NULL: no DC, unknown)
    dc                TEXT,
    stack             TEXT,
    failed_actions    TEXT,            -- JSON array of the failed actions on the target
    fail_counts       TEXT,            -- JSON array of {resource, fail_count, ...}
    requester_service TEXT,            -- PCMK_service in the agent's environment
    parent_pid        INTEGER,         -- the agent's parent process
    parent_process    TEXT,            -- its /proc comm
    parent_cmdline    TEXT,            -- its command line (bounded)
    raw               TEXT,            -- the helper's JSON object
    error             TEXT             -- why the state is unknown or incomplete
);
CREATE INDEX cluster_states_operation ON cluster_states (operation_id);
