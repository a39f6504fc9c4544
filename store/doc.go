// Package store keeps everything safetynet serve remembers, in SQLite (the
// embedded default, pure Go) or PostgreSQL, behind status.Store.
//
// It owns the database schema and its migrations (embedded, numbered,
// recorded in schema_migrations), the SQL of every storage method, the
// encoding of rollup histograms, and the rules for sharing a database:
// leases on the schedule and the outbox (FOR UPDATE SKIP LOCKED on
// PostgreSQL, one write transaction at a time on SQLite), a partial unique
// index that keeps one open alert per kind and subject, and a unique key
// per outbox entry. Both databases run one code path; the few differences
// live in dialect.go and in the per-dialect DDL of migrations/sqlite and
// migrations/postgres.
//
// Writes come in batches (SaveResults, SaveSamples, Enqueue take slices)
// and go out as multi-row statements of up to 500 rows, prepared once per
// database. On SQLite all writes share one connection, so writers queue in
// Go rather than fail with SQLITE_BUSY, while reads use a pool of read-only
// connections beside it (WAL).
//
// Times are stored as microseconds since the Unix epoch (BIGINT) in both
// databases and read back in UTC, so comparisons and indexes behave the
// same everywhere; durations are stored in nanoseconds.
//
// Package storetest holds the conformance suite both databases pass.
package store
