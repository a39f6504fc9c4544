-- Incidents, their updates, an audit trail of every edit, customer reports
-- and known issues (the status page issue).
CREATE TABLE incidents (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	title       TEXT NOT NULL,
	status      TEXT NOT NULL,
	impact      TEXT NOT NULL,
	automatic   BOOLEAN NOT NULL DEFAULT FALSE,
	public      BOOLEAN NOT NULL DEFAULT FALSE,
	components  TEXT NOT NULL DEFAULT '[]', -- JSON [{component, status}]
	customers   TEXT NOT NULL DEFAULT '[]', -- JSON [string]
	started_us  BIGINT NOT NULL,
	created_us  BIGINT NOT NULL,
	updated_us  BIGINT NOT NULL,
	resolved_us BIGINT,
	acked_us    BIGINT,
	acked_by    TEXT NOT NULL DEFAULT '',
	merged_into BIGINT
);
CREATE INDEX incidents_started ON incidents (started_us);
CREATE INDEX incidents_open ON incidents (resolved_us);

CREATE TABLE incident_updates (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	incident_id BIGINT NOT NULL REFERENCES incidents (id),
	status      TEXT NOT NULL,
	body        TEXT NOT NULL,
	author      TEXT NOT NULL,
	human       BOOLEAN NOT NULL DEFAULT FALSE,
	at_us       BIGINT NOT NULL,
	components  TEXT NOT NULL DEFAULT '[]' -- JSON [{component, old_status, new_status}]
);
CREATE INDEX incident_updates_incident ON incident_updates (incident_id, at_us);

-- Every change to an incident, with who made it and the state before and
-- after, kept forever.
CREATE TABLE audit (
	id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	entity    TEXT NOT NULL,
	entity_id BIGINT NOT NULL,
	action    TEXT NOT NULL,
	actor     TEXT NOT NULL,
	at_us     BIGINT NOT NULL,
	before    TEXT NOT NULL DEFAULT '',
	after     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit (entity, entity_id, at_us);

CREATE TABLE customer_reports (
	id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer  TEXT NOT NULL,
	component TEXT NOT NULL,
	body      TEXT NOT NULL,
	at_us     BIGINT NOT NULL
);
CREATE INDEX customer_reports_component ON customer_reports (component, at_us);

CREATE TABLE known_issues (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	title       TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	workaround  TEXT NOT NULL DEFAULT '',
	severity    TEXT NOT NULL,
	components  TEXT NOT NULL DEFAULT '[]',
	public      BOOLEAN NOT NULL DEFAULT FALSE,
	fixed_in    TEXT NOT NULL DEFAULT '',
	created_us  BIGINT NOT NULL,
	resolved_us BIGINT
);
