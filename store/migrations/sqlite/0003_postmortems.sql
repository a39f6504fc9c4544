-- Blameless postmortems, one per incident, and their action items (the
-- status page issue). Action items have no column for a person: each is
-- owned by a team and aimed at a process, the platform, monitoring or tests.
CREATE TABLE postmortems (
	incident_id  INTEGER PRIMARY KEY REFERENCES incidents (id),
	apology      TEXT NOT NULL DEFAULT '',
	summary      TEXT NOT NULL DEFAULT '',
	timeline     TEXT NOT NULL DEFAULT '[]', -- JSON [{at, kind, text}]
	detect_us    INTEGER NOT NULL DEFAULT 0, -- time to detect, microseconds
	ack_us       INTEGER NOT NULL DEFAULT 0, -- time to acknowledge
	resolve_us   INTEGER NOT NULL DEFAULT 0, -- time to resolve
	published    INTEGER NOT NULL DEFAULT 0,
	published_us INTEGER,
	created_us   INTEGER NOT NULL,
	updated_us   INTEGER NOT NULL
);
CREATE INDEX postmortems_published ON postmortems (published, published_us);

CREATE TABLE action_items (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	incident_id INTEGER NOT NULL REFERENCES postmortems (incident_id),
	title       TEXT NOT NULL,
	kind        TEXT NOT NULL, -- process, platform, monitoring, tests
	team        TEXT NOT NULL,
	due_us      INTEGER NOT NULL,
	status      TEXT NOT NULL  -- open, in_progress, done
);
CREATE INDEX action_items_incident ON action_items (incident_id);
CREATE INDEX action_items_status ON action_items (status, due_us);
