-- The runs still RUNNING, found at every start (a crash or kill cut them off) without reading the whole journal.
CREATE INDEX sync_run_status ON sync_run (status);
