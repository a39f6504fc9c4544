-- Releases: deployments, the release gate's decisions with their inputs,
-- and build, pipeline and alarm events from AWS. Known issues a release
-- brings name it in introduced_in.
CREATE TABLE deployments (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	service      TEXT NOT NULL,
	version      TEXT NOT NULL,
	environment  TEXT NOT NULL,
	components   TEXT NOT NULL DEFAULT '[]', -- JSON [string]
	commit_id    TEXT NOT NULL DEFAULT '',
	pipeline_url TEXT NOT NULL DEFAULT '',
	fixes        TEXT NOT NULL DEFAULT '[]', -- JSON [status.Issue]
	introduces   TEXT NOT NULL DEFAULT '[]', -- JSON [status.Issue]
	source       TEXT NOT NULL DEFAULT '',
	by_name      TEXT NOT NULL DEFAULT '',
	at_us        BIGINT NOT NULL
);
CREATE INDEX deployments_service ON deployments (service, environment, at_us);
CREATE INDEX deployments_version ON deployments (service, version, at_us);
CREATE INDEX deployments_at ON deployments (at_us);

CREATE TABLE gate_decisions (
	id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	service  TEXT NOT NULL,
	version  TEXT NOT NULL,
	target   TEXT NOT NULL,
	outcome  TEXT NOT NULL,
	reason   TEXT NOT NULL,
	override BOOLEAN NOT NULL DEFAULT FALSE,
	by_name  TEXT NOT NULL DEFAULT '',
	at_us    BIGINT NOT NULL,
	inputs   TEXT NOT NULL DEFAULT '{}' -- JSON status.GateInputs
);
CREATE INDEX gate_decisions_release ON gate_decisions (service, version, at_us);

CREATE TABLE build_events (
	id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	event_id  TEXT NOT NULL UNIQUE,
	kind      TEXT NOT NULL,
	name      TEXT NOT NULL,
	execution TEXT NOT NULL DEFAULT '',
	state     TEXT NOT NULL,
	service   TEXT NOT NULL DEFAULT '',
	component TEXT NOT NULL DEFAULT '',
	url       TEXT NOT NULL DEFAULT '',
	summary   TEXT NOT NULL DEFAULT '',
	at_us     BIGINT NOT NULL
);
CREATE INDEX build_events_service ON build_events (service, at_us);
CREATE INDEX build_events_at ON build_events (at_us);

ALTER TABLE known_issues ADD COLUMN introduced_in TEXT NOT NULL DEFAULT '';
