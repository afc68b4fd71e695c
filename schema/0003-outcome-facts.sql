-- Schema version 3: an operation's outcome as two facts, and the fence's own
-- duration.
--
-- What the storage system did (the response) and what Pacemaker saw (how
-- the agent process ended) can differ: Pacemaker may SIGKILL an agent after
-- the response arrived. The record keeps both, never one folded into the other.

-- How the agent process ended: 'exited' (exit_code is what Pacemaker got),
-- or 'killed' (it ended without exiting: SIGKILL at Pacemaker's timeout,
-- inferred by the companion; exit_code is NULL). NULL while running and in
-- rows older than this version.
ALTER TABLE operations ADD COLUMN agent_end TEXT;
-- The storage system's answer: 1 fenced, 0 refused, NULL no valid response.
ALTER TABLE operations ADD COLUMN response_success INTEGER;
-- From the request written to the answer or the timeout, on the monotonic
-- clock: a clock stepped during a fence does not change it, and neither
-- does any wait for the database (the record is written after the exit).
ALTER TABLE operations ADD COLUMN duration_ms INTEGER;
-- The process that wrote the record (the agent's companion): with agent_pid,
-- what tells a recorder still at work from an operation nobody will finish.
ALTER TABLE operations ADD COLUMN recorder_pid INTEGER;
-- A discovery method's result reused from another fence of the same moment
-- (who ran the command, and when); NULL when this operation ran it.
ALTER TABLE discoveries ADD COLUMN shared_from TEXT;
-- Finding the operations still running (few) without reading them all.
CREATE INDEX operations_running ON operations (status) WHERE status = 'running';
