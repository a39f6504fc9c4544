-- Whole-system periodic tasks (the incident engine's tick, maintenance
-- notices, retention) run on one server at a time: each holds a lease
-- named after the task, renewed while it runs, which another server takes
-- once it expires (store.DB.TryLease).
CREATE TABLE task_leases (
	name       TEXT PRIMARY KEY,
	holder     TEXT NOT NULL,
	expires_us INTEGER NOT NULL
);
