-- fence_recorder database, schema version 8: the cluster's fences and
-- membership as Pacemaker told this node, whichever node or device
-- fenced. fence-recorder-alert records each fencing alert (any device,
-- any executing node) and each node alert (member, lost); a node that was
-- down fills its gaps from the fencers' history when it joins
-- (source 'history'). One row per event, however many alerts and
-- recipients say it (the unique indexes; the writer inserts or ignores).
CREATE TABLE cluster_events (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,     -- fencing, node
    node          TEXT NOT NULL,     -- fencing: the target; node: the member
    node_id       TEXT,              -- node: Pacemaker's node id
    action        TEXT,              -- fencing: reboot, off, on
    executor      TEXT,              -- fencing: the node whose fencer ran the device
    client        TEXT,              -- fencing: what asked (pacemaker-controld.52)
    origin        TEXT,              -- fencing: the node it was asked on
    result        TEXT,              -- fencing: Pacemaker's result (OK, ...); node: member, lost
    rc            INTEGER,           -- fencing: Pacemaker's return code (0: done)
    ref           TEXT,              -- fencing: Pacemaker's operation id, the same on every node
    description   TEXT NOT NULL,     -- what Pacemaker said, as it said it
    happened_at   TEXT NOT NULL,     -- Pacemaker's time of the event, ISO 8601 UTC
    recorded_at   TEXT NOT NULL,     -- when this node recorded it
    recorded_on   TEXT NOT NULL,     -- this node
    source        TEXT NOT NULL,     -- alert, history
    severity      TEXT NOT NULL DEFAULT 'info',  -- info; critical: a member whose storage is fenced
    detail        TEXT               -- critical: the response file that still fences it
);
CREATE UNIQUE INDEX cluster_events_fence_ref ON cluster_events (ref)
    WHERE kind = 'fencing' AND ref IS NOT NULL;
CREATE UNIQUE INDEX cluster_events_once ON cluster_events (kind, node, description, happened_at);
CREATE INDEX cluster_events_node ON cluster_events (node, happened_at);
