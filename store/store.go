package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

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
	w   *sql.DB // writes; on SQLite a single connection, so writers queue here rather than in SQLITE_BUSY
	r   *sql.DB // reads; on SQLite a pool of read-only connections (WAL lets them run beside the writer)
	now func() time.Time
	log *slog.Logger

	migrations []migration
	series     seriesCache
	prepared   map[*bulk]*sql.Stmt
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

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
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
		return fmt.Errorf("store: %s: begin: %w", what, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return fmt.Errorf("store: %s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: %s: commit: %w", what, err)
	}
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
