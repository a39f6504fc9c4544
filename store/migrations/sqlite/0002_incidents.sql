-- Incidents, their updates, an audit trail of every edit, customer reports
-- and known issues (the status page issue).
CREATE TABLE incidents (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	title       TEXT NOT NULL,
	status      TEXT NOT NULL,
	impact      TEXT NOT NULL,
	automatic   INTEGER NOT NULL DEFAULT 0,
	public      INTEGER NOT NULL DEFAULT 0,
	components  TEXT NOT NULL DEFAULT '[]', -- JSON [{component, status}]
	customers   TEXT NOT NULL DEFAULT '[]', -- JSON [string]
	started_us  INTEGER NOT NULL,
	created_us  INTEGER NOT NULL,
	updated_us  INTEGER NOT NULL,
	resolved_us INTEGER,
	acked_us    INTEGER,
	acked_by    TEXT NOT NULL DEFAULT '',
	merged_into INTEGER
);
CREATE INDEX incidents_started ON incidents (started_us);
CREATE INDEX incidents_open ON incidents (resolved_us);

CREATE TABLE incident_updates (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	incident_id INTEGER NOT NULL REFERENCES incidents (id),
	status      TEXT NOT NULL,
	body        TEXT NOT NULL,
	author      TEXT NOT NULL,
	human       INTEGER NOT NULL DEFAULT 0,
	at_us       INTEGER NOT NULL,
	components  TEXT NOT NULL DEFAULT '[]' -- JSON [{component, old_status, new_status}]
);
CREATE INDEX incident_updates_incident ON incident_updates (incident_id, at_us);

-- Every change to an incident, with who made it and the state before and
-- after, kept forever.
CREATE TABLE audit (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	entity    TEXT NOT NULL,
	entity_id INTEGER NOT NULL,
	action    TEXT NOT NULL,
	actor     TEXT NOT NULL,
	at_us     INTEGER NOT NULL,
	before    TEXT NOT NULL DEFAULT '',
	after     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit (entity, entity_id, at_us);

CREATE TABLE customer_reports (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	customer  TEXT NOT NULL,
	component TEXT NOT NULL,
	body      TEXT NOT NULL,
	at_us     INTEGER NOT NULL
);
CREATE INDEX customer_reports_component ON customer_reports (component, at_us);

CREATE TABLE known_issues (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	title       TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	workaround  TEXT NOT NULL DEFAULT '',
	severity    TEXT NOT NULL,
	components  TEXT NOT NULL DEFAULT '[]',
	public      INTEGER NOT NULL DEFAULT 0,
	fixed_in    TEXT NOT NULL DEFAULT '',
	created_us  INTEGER NOT NULL,
	resolved_us INTEGER
);
