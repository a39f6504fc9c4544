package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/safetynet-dev/safetynet"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"               // registers the "sqlite" driver

	"github.com/safetynet-dev/safetynet/status"
)

// Options configure Open.
type Options struct {
	// Migrate applies pending migrations to a database that already holds
	// data. Without it such a database is refused with ErrSchemaOutdated, so
	// that an upgrade never changes a schema silently. An empty database is
	// always migrated.
	Migrate bool
	// Now is the clock, for times the store stamps itself (ledger entries,
	// queued notifications without a time); time.Now when nil.
	Now func() time.Time
	// Logger receives migration and pruning messages; slog.Default when nil.
	Logger *slog.Logger

	// migrations replaces the embedded migrations, for tests of the
	// migration logic itself (see export_test.go).
	migrations fs.FS
}

// DB is a status.Store on SQLite or PostgreSQL.
type DB struct {
	d   *dialect
	dsn string  // PostgreSQL only: for the LISTEN connection of WatchChanges
	w   *sql.DB // writes; on SQLite a single connection, so writers queue here rather than in SQLITE_BUSY
	r   *sql.DB // reads; on SQLite a pool of read-only connections (WAL lets them run beside the writer)
	now func() time.Time
	log *slog.Logger

	migrations []migration
	series     seriesCache
	prepared   map[*bulk]*sql.Stmt

	problem writeProblem
}

// ErrReadOnly and ErrFull name the write failures an operator has to fix
// outside safetynet: the database (file, folder, mount or server) refuses
// writes, or the disk or a size limit is full. Write methods wrap them, so
// errors.Is finds them, and WriteProblem reports the latest one until a
// write succeeds again.
// They are *safetynet.Error values with code EUNAVAILABLE, so the API
// answers 503 with their message rather than 500 "internal error": the
// request was fine, and a retry after the operator's fix will work.
var (
	ErrReadOnly error = &safetynet.Error{Code: safetynet.EUNAVAILABLE, Message: "the database is read-only"}
	ErrFull     error = &safetynet.Error{Code: safetynet.EUNAVAILABLE, Message: "the database or its disk is full"}
)

// SQLite's primary result codes (the low byte of an extended code).
const (
	sqliteReadOnly = 8
	sqliteFull     = 13
)

// classify maps a driver or OS error to ErrReadOnly or ErrFull, or nil for
// every other error.
func classify(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqliteReadOnly:
			return ErrReadOnly
		case sqliteFull:
			return ErrFull
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "25006": // read_only_sql_transaction: a standby, or default_transaction_read_only
			return ErrReadOnly
		case "53100": // disk_full
			return ErrFull
		}
	}
	switch {
	case errors.Is(err, syscall.EROFS):
		return ErrReadOnly
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return ErrFull
	}
	return nil
}

// writeProblem remembers the latest classified write failure. It is
// cleared by the next write that succeeds, not by a probe: a probe that
// writes nothing succeeds on a full database too.
type writeProblem struct {
	mu    sync.Mutex
	err   error
	since time.Time
}

// noteWrite records the outcome of a write.
func (db *DB) noteWrite(err error) {
	kind := classify(err)
	if err != nil && kind == nil {
		// A conflict, a timeout or a dropped connection says nothing
		// about whether the database accepts writes.
		return
	}
	db.problem.mu.Lock()
	defer db.problem.mu.Unlock()
	switch {
	case kind == nil:
		db.problem.err = nil
	case db.problem.err == nil:
		db.problem.err, db.problem.since = err, db.now()
	default:
		db.problem.err = err
	}
}

// WriteProblem returns why the latest write failed when the database
// refused it as read-only or full (errors.Is matches ErrReadOnly or
// ErrFull), and when the condition was first seen; a nil error once a
// write has succeeded since.
func (db *DB) WriteProblem() (since time.Time, err error) {
	db.problem.mu.Lock()
	defer db.problem.mu.Unlock()
	return db.problem.since, db.problem.err
}

// wrapWrite wraps a failed write's error with what was being done and, for
// a read-only or full database, with ErrReadOnly or ErrFull, and records it.
func (db *DB) wrapWrite(what string, err error) error {
	kind := classify(err)
	if kind != nil {
		err = fmt.Errorf("store: %s: %w: %w", what, kind, err)
	} else {
		err = fmt.Errorf("store: %s: %w", what, err)
	}
	db.noteWrite(err)
	return err
}

var _ status.Store = (*DB)(nil)

// Open connects to the database named by dsn: a postgres:// or
// postgresql:// URL selects PostgreSQL, anything else is a SQLite file path
// (a file: prefix and query parameters are allowed; the parent folder is
// created). An empty database is migrated at once; one on an older schema
// only with opts.Migrate; one on a newer schema is refused.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	db := &DB{now: opts.Now, log: opts.Logger}
	if db.now == nil {
		db.now = time.Now
	}
	if db.log == nil {
		db.log = slog.Default()
	}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		err = db.openPostgres(ctx, dsn)
	} else {
		err = db.openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	fsys := opts.migrations
	if fsys == nil {
		fsys = embedded
	}
	if db.migrations, err = loadMigrations(fsys, db.d.name); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.prepareSchema(ctx, opts.Migrate); err != nil {
		db.Close()
		return nil, err
	}
	if opts.migrations != nil {
		// A test's own migrations lack the tables the statements need.
		return db, nil
	}
	if err := db.prepareBulk(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) openPostgres(ctx context.Context, dsn string) error {
	db.d = postgresDialect
	db.dsn = dsn
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("store: open postgres: %w", err)
	}
	pool.SetMaxOpenConns(16)
	pool.SetMaxIdleConns(8)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db.w, db.r = pool, pool
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return fmt.Errorf("store: connect to postgres: %w", err)
	}
	return nil
}

// sqliteParams are the connection settings safetynet relies on: WAL so
// readers never block the writer, a busy timeout so another process's
// writes are waited for, foreign keys, and BEGIN IMMEDIATE so a write
// transaction takes the write lock up front (a deferred transaction that
// upgrades later fails with SQLITE_BUSY instead of waiting).
//
// Durability: in WAL mode with synchronous=NORMAL a commit is in the WAL
// file (the operating system's page cache) before the API answers, so a
// killed or crashed process loses no acknowledged write; only a power
// loss or kernel crash can lose the last transactions before the next
// checkpoint's fsync, and never corrupts the file. FULL would fsync every
// commit, which costs the monitor's batch writes far more than that risk
// is worth on a status page (TestSQLiteDurability and the SIGKILL test in
// cmd/safetynet check the settings and the behaviour).
const sqliteParams = "_busy_timeout=10000&_foreign_keys=1&_journal_mode=WAL&_synchronous=NORMAL&_txlock=immediate"

func (db *DB) openSQLite(ctx context.Context, dsn string) error {
	db.d = sqliteDialect
	path, query, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	if path == "" {
		return fmt.Errorf("store: empty database path")
	}
	user, err := url.ParseQuery(query)
	if err != nil {
		return fmt.Errorf("store: database path %q: %w", dsn, err)
	}
	memory := path == ":memory:" || user.Get("mode") == "memory"
	if !memory {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("store: create database folder: %w", err)
		}
	}
	base := "file:" + path + "?"
	if query != "" {
		base += query + "&"
	}
	w, err := sql.Open("sqlite", base+sqliteParams)
	if err != nil {
		return fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// Switching a new file to WAL takes a lock for which SQLite does not
	// call the busy handler, so servers opening one file at the same moment
	// can be told "database is locked" at once: retry that for a while.
	for attempt := 0; ; attempt++ {
		err = w.PingContext(ctx)
		if err == nil {
			break
		}
		if attempt >= 100 || !strings.Contains(err.Error(), "SQLITE_BUSY") || ctx.Err() != nil {
			w.Close()
			return fmt.Errorf("store: open sqlite %s: %w", path, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	db.w, db.r = w, w
	if memory {
		// Every connection to :memory: is a database of its own: reads
		// must share the one writer connection.
		return nil
	}
	r, err := sql.Open("sqlite", base+"_busy_timeout=10000&_foreign_keys=1&_query_only=1")
	if err != nil {
		w.Close()
		return fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	db.r = r
	return nil
}

// Ping reports whether the database answers and, since one that answers
// may still refuse writes, whether the latest write failed because the
// database is read-only or full (see WriteProblem).
func (db *DB) Ping(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	if since, err := db.WriteProblem(); err != nil {
		return fmt.Errorf("writes failing since %s: %w", since.UTC().Format(time.RFC3339), err)
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity_check and returns an error
// naming the first problems it finds; on PostgreSQL, which checks its own
// pages, it returns nil.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	if db.d != sqliteDialect {
		return nil
	}
	rows, err := db.w.QueryContext(ctx, "PRAGMA integrity_check(20)")
	if err != nil {
		return fmt.Errorf("store: integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("store: integrity check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: integrity check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("store: integrity check failed: %s", strings.Join(problems, "; "))
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	db.closeStmts()
	var err error
	if db.r != nil && db.r != db.w {
		err = db.r.Close()
	}
	if db.w != nil {
		err = errors.Join(err, db.w.Close())
	}
	return err
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.d.name }

// write runs fn in a write transaction, committing when fn succeeds.
func (db *DB) write(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return db.wrapWrite(what+": begin", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return db.wrapWrite(what, err)
	}
	if err := tx.Commit(); err != nil {
		return db.wrapWrite(what+": commit", err)
	}
	db.noteWrite(nil)
	return nil
}

// q rebinds a query for the dialect.
func (db *DB) q(query string) string { return db.d.rebind(query) }

// us converts a time to the stored form: microseconds since the Unix epoch.
func us(t time.Time) int64 { return t.UnixMicro() }

// fromUS converts a stored time back, in UTC.
func fromUS(v int64) time.Time { return time.UnixMicro(v).UTC() }

// nullUS stores a missing time as NULL.
func nullUS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return us(*t)
}

// fromNullUS reads a nullable time.
func fromNullUS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromUS(v.Int64)
	return &t
}
