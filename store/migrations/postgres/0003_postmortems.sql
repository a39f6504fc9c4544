-- Blameless postmortems, one per incident, and their action items (the
-- status page issue). Action items have no column for a person: each is
-- owned by a team and aimed at a process, the platform, monitoring or tests.
CREATE TABLE postmortems (
	incident_id  BIGINT PRIMARY KEY REFERENCES incidents (id),
	apology      TEXT NOT NULL DEFAULT '',
	summary      TEXT NOT NULL DEFAULT '',
	timeline     TEXT NOT NULL DEFAULT '[]', -- JSON [{at, kind, text}]
	detect_us    BIGINT NOT NULL DEFAULT 0, -- time to detect, microseconds
	ack_us       BIGINT NOT NULL DEFAULT 0, -- time to acknowledge
	resolve_us   BIGINT NOT NULL DEFAULT 0, -- time to resolve
	published    BOOLEAN NOT NULL DEFAULT FALSE,
	published_us BIGINT,
	created_us   BIGINT NOT NULL,
	updated_us   BIGINT NOT NULL
);
CREATE INDEX postmortems_published ON postmortems (published, published_us);

CREATE TABLE action_items (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	incident_id BIGINT NOT NULL REFERENCES postmortems (incident_id),
	title       TEXT NOT NULL,
	kind        TEXT NOT NULL, -- process, platform, monitoring, tests
	team        TEXT NOT NULL,
	due_us      BIGINT NOT NULL,
	status      TEXT NOT NULL  -- open, in_progress, done
);
CREATE INDEX action_items_incident ON action_items (incident_id);
CREATE INDEX action_items_status ON action_items (status, due_us);
