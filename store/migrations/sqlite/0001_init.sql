-- The first schema of safetynet serve. Times are microseconds since the
-- Unix epoch (UTC), durations nanoseconds; JSON columns are TEXT.

CREATE TABLE components (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	grp         TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '',
	owner       TEXT NOT NULL DEFAULT '',
	customers   TEXT NOT NULL DEFAULT '[]',
	public      INTEGER NOT NULL DEFAULT 0,
	position    INTEGER NOT NULL DEFAULT 0,
	removed     INTEGER NOT NULL DEFAULT 0 -- no longer configured; history kept
);

CREATE TABLE schedule (
	check_id    TEXT PRIMARY KEY,
	interval_ns INTEGER NOT NULL,
	hash        TEXT NOT NULL,
	next_us     INTEGER NOT NULL,
	owner       TEXT NOT NULL DEFAULT '',
	lease_us    INTEGER NOT NULL DEFAULT 0 -- lease expiry; 0 when free
);
CREATE INDEX schedule_next ON schedule (next_us);

CREATE TABLE results (
	check_id   TEXT NOT NULL,
	location   TEXT NOT NULL,
	at_us      INTEGER NOT NULL,
	latency_ns INTEGER NOT NULL,
	ok         INTEGER NOT NULL,
	error      TEXT NOT NULL DEFAULT '',
	warning    TEXT NOT NULL DEFAULT '',
	detail     TEXT -- conditions and extracted values, JSON
);
CREATE INDEX results_check_at ON results (check_id, at_us);
CREATE INDEX results_at ON results (at_us);

CREATE TABLE rollups (
	check_id   TEXT NOT NULL,
	resolution TEXT NOT NULL,
	start_us   INTEGER NOT NULL,
	location   TEXT NOT NULL,
	count      INTEGER NOT NULL,
	failures   INTEGER NOT NULL,
	hist       BLOB NOT NULL, -- status.Histogram, sparse (see hist.go)
	PRIMARY KEY (check_id, resolution, start_us, location)
) WITHOUT ROWID;
CREATE INDEX rollups_prune ON rollups (resolution, start_us);

CREATE TABLE check_states (
	check_id    TEXT NOT NULL,
	location    TEXT NOT NULL,
	state       TEXT NOT NULL,
	since_us    INTEGER NOT NULL,
	failures    INTEGER NOT NULL,
	successes   INTEGER NOT NULL,
	last_result TEXT, -- JSON
	PRIMARY KEY (check_id, location)
);

CREATE TABLE changes (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	component   TEXT NOT NULL,
	from_status TEXT NOT NULL,
	to_status   TEXT NOT NULL,
	at_us       INTEGER NOT NULL,
	cause       TEXT NOT NULL
);
CREATE INDEX changes_component_at ON changes (component, at_us);
CREATE INDEX changes_at ON changes (at_us);

-- A series is a metric name with one set of tags; samples refer to it by id
-- so that each sample row stays small.
CREATE TABLE series (
	id   INTEGER PRIMARY KEY AUTOINCREMENT,
	key  TEXT NOT NULL UNIQUE, -- status.Sample.SeriesKey
	name TEXT NOT NULL,
	tags TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX series_name ON series (name);

CREATE TABLE samples (
	series_id INTEGER NOT NULL REFERENCES series (id),
	at_us     INTEGER NOT NULL,
	value     REAL NOT NULL,
	PRIMARY KEY (series_id, at_us)
) WITHOUT ROWID;
CREATE INDEX samples_at ON samples (at_us);

CREATE TABLE alerts (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	kind        TEXT NOT NULL,
	component   TEXT NOT NULL DEFAULT '',
	customer    TEXT NOT NULL DEFAULT '',
	subject     TEXT NOT NULL,
	summary     TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL DEFAULT '',
	started_us  INTEGER NOT NULL,
	resolved_us INTEGER,
	silenced    INTEGER NOT NULL DEFAULT 0,
	acked_us    INTEGER,
	acked_by    TEXT NOT NULL DEFAULT ''
);
-- At most one open alert per kind and subject, however many servers raise it.
CREATE UNIQUE INDEX alerts_open ON alerts (kind, subject) WHERE resolved_us IS NULL;
CREATE INDEX alerts_started ON alerts (started_us);

CREATE TABLE outbox (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	key          TEXT NOT NULL UNIQUE, -- one per state transition and notifier
	notifier     TEXT NOT NULL,
	message      TEXT NOT NULL, -- status.Message, JSON
	created_us   INTEGER NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_us      INTEGER NOT NULL,
	last_error   TEXT NOT NULL DEFAULT '',
	delivered_us INTEGER,
	owner        TEXT NOT NULL DEFAULT '',
	lease_us     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_pending ON outbox (next_us) WHERE delivered_us IS NULL;
CREATE INDEX outbox_delivered ON outbox (delivered_us) WHERE delivered_us IS NOT NULL;

CREATE TABLE heartbeats (
	check_id TEXT PRIMARY KEY,
	last_us  INTEGER NOT NULL
);

CREATE TABLE maintenances (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	title      TEXT NOT NULL,
	components TEXT NOT NULL, -- JSON array of component IDs
	start_us   INTEGER NOT NULL,
	end_us     INTEGER NOT NULL
);
CREATE INDEX maintenances_end ON maintenances (end_us);
