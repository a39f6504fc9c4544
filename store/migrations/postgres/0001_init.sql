-- The first schema of safetynet serve. Times are microseconds since the
-- Unix epoch (UTC), durations nanoseconds; JSON columns are TEXT.

CREATE TABLE components (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	grp         TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '',
	owner       TEXT NOT NULL DEFAULT '',
	customers   TEXT NOT NULL DEFAULT '[]',
	public      BOOLEAN NOT NULL DEFAULT FALSE,
	position    BIGINT NOT NULL DEFAULT 0,
	removed     BOOLEAN NOT NULL DEFAULT FALSE -- no longer configured; history kept
);

CREATE TABLE schedule (
	check_id    TEXT PRIMARY KEY,
	interval_ns BIGINT NOT NULL,
	hash        TEXT NOT NULL,
	next_us     BIGINT NOT NULL,
	owner       TEXT NOT NULL DEFAULT '',
	lease_us    BIGINT NOT NULL DEFAULT 0 -- lease expiry; 0 when free
);
CREATE INDEX schedule_next ON schedule (next_us);

CREATE TABLE results (
	check_id   TEXT NOT NULL,
	location   TEXT NOT NULL,
	at_us      BIGINT NOT NULL,
	latency_ns BIGINT NOT NULL,
	ok         BOOLEAN NOT NULL,
	error      TEXT NOT NULL DEFAULT '',
	warning    TEXT NOT NULL DEFAULT '',
	detail     TEXT -- conditions and extracted values, JSON
);
CREATE INDEX results_check_at ON results (check_id, at_us);
CREATE INDEX results_at ON results (at_us);

CREATE TABLE rollups (
	check_id   TEXT NOT NULL,
	resolution TEXT NOT NULL,
	start_us   BIGINT NOT NULL,
	location   TEXT NOT NULL,
	count      BIGINT NOT NULL,
	failures   BIGINT NOT NULL,
	hist       BYTEA NOT NULL, -- status.Histogram, sparse (see hist.go)
	PRIMARY KEY (check_id, resolution, start_us, location)
);
CREATE INDEX rollups_prune ON rollups (resolution, start_us);

CREATE TABLE check_states (
	check_id    TEXT NOT NULL,
	location    TEXT NOT NULL,
	state       TEXT NOT NULL,
	since_us    BIGINT NOT NULL,
	failures    BIGINT NOT NULL,
	successes   BIGINT NOT NULL,
	last_result TEXT, -- JSON
	PRIMARY KEY (check_id, location)
);

CREATE TABLE changes (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	component   TEXT NOT NULL,
	from_status TEXT NOT NULL,
	to_status   TEXT NOT NULL,
	at_us       BIGINT NOT NULL,
	cause       TEXT NOT NULL
);
CREATE INDEX changes_component_at ON changes (component, at_us);
CREATE INDEX changes_at ON changes (at_us);

-- A series is a metric name with one set of tags; samples refer to it by id
-- so that each sample row stays small.
CREATE TABLE series (
	id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	key  TEXT NOT NULL UNIQUE, -- status.Sample.SeriesKey
	name TEXT NOT NULL,
	tags TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX series_name ON series (name);

CREATE TABLE samples (
	series_id BIGINT NOT NULL REFERENCES series (id),
	at_us     BIGINT NOT NULL,
	value     DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (series_id, at_us)
);
CREATE INDEX samples_at ON samples (at_us);

CREATE TABLE alerts (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind        TEXT NOT NULL,
	component   TEXT NOT NULL DEFAULT '',
	customer    TEXT NOT NULL DEFAULT '',
	subject     TEXT NOT NULL,
	summary     TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL DEFAULT '',
	started_us  BIGINT NOT NULL,
	resolved_us BIGINT,
	silenced    BOOLEAN NOT NULL DEFAULT FALSE,
	acked_us    BIGINT,
	acked_by    TEXT NOT NULL DEFAULT ''
);
-- At most one open alert per kind and subject, however many servers raise it.
CREATE UNIQUE INDEX alerts_open ON alerts (kind, subject) WHERE resolved_us IS NULL;
CREATE INDEX alerts_started ON alerts (started_us);

CREATE TABLE outbox (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	key          TEXT NOT NULL UNIQUE, -- one per state transition and notifier
	notifier     TEXT NOT NULL,
	message      TEXT NOT NULL, -- status.Message, JSON
	created_us   BIGINT NOT NULL,
	attempts     BIGINT NOT NULL DEFAULT 0,
	next_us      BIGINT NOT NULL,
	last_error   TEXT NOT NULL DEFAULT '',
	delivered_us BIGINT,
	owner        TEXT NOT NULL DEFAULT '',
	lease_us     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX outbox_pending ON outbox (next_us) WHERE delivered_us IS NULL;
CREATE INDEX outbox_delivered ON outbox (delivered_us) WHERE delivered_us IS NOT NULL;

CREATE TABLE heartbeats (
	check_id TEXT PRIMARY KEY,
	last_us  BIGINT NOT NULL
);

CREATE TABLE maintenances (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	title      TEXT NOT NULL,
	components TEXT NOT NULL, -- JSON array of component IDs
	start_us   BIGINT NOT NULL,
	end_us     BIGINT NOT NULL
);
CREATE INDEX maintenances_end ON maintenances (end_us);
