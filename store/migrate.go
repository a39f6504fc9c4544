package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var embedded embed.FS

// ErrSchemaOutdated is returned by Open for a database that holds data on an
// older schema when Options.Migrate is not set.
var ErrSchemaOutdated = errors.New("database schema is outdated")

// ErrSchemaNewer is returned by Open for a database migrated by a newer
// safetynet: this binary does not know its schema and must not touch it.
var ErrSchemaNewer = errors.New("database schema is newer than this safetynet")

// migration is one numbered SQL file: migrations/<dialect>/0001_name.sql.
type migration struct {
	version int
	name    string // "0001_init"
	sql     string
}

func loadMigrations(fsys fs.FS, dialect string) ([]migration, error) {
	dir := path.Join("migrations", dialect)
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".sql")
		if !ok || e.IsDir() {
			continue
		}
		num, _, _ := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("store: migration %s: name must start with a positive number", e.Name())
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("store: read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := range ms {
		if i > 0 && ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("store: migrations %s and %s share a number", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

const createLedger = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at TEXT NOT NULL
)`

// prepareSchema brings the schema up to date on Open, or refuses to.
func (db *DB) prepareSchema(ctx context.Context, migrate bool) error {
	var tables int
	if err := db.w.QueryRowContext(ctx, db.d.countTables).Scan(&tables); err != nil {
		return fmt.Errorf("store: inspect schema: %w", err)
	}
	ledger, err := db.hasLedger(ctx)
	if err != nil {
		return err
	}
	if tables > 0 && !ledger {
		return fmt.Errorf("store: the database holds %d tables but no schema_migrations ledger: it is not a safetynet database", tables)
	}
	if tables == 0 {
		// An empty database is the quick start: migrate without asking.
		return db.bootstrap(ctx)
	}
	pending, err := db.Pending(ctx)
	if err != nil {
		return err
	}
	if len(pending) == 0 {
		return nil
	}
	if !migrate {
		return fmt.Errorf("store: %d migration(s) pending (%s): run `safetynet migrate` or start with --migrate: %w",
			len(pending), strings.Join(pending, ", "), ErrSchemaOutdated)
	}
	return db.Migrate(ctx)
}

func (db *DB) hasLedger(ctx context.Context) (bool, error) {
	var n int
	var q string
	if db.d.dollar {
		q = `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'`
	} else {
		q = `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	}
	if err := db.w.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return false, fmt.Errorf("store: inspect schema: %w", err)
	}
	return n > 0, nil
}

// applied returns the versions recorded in the ledger.
func appliedVersions(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (map[int]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("store: read schema_migrations: %w", err)
	}
	defer rows.Close()
	got := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("store: read schema_migrations: %w", err)
		}
		got[v] = true
	}
	return got, rows.Err()
}

// checkNewer refuses a ledger that records migrations this binary lacks.
func (db *DB) checkNewer(applied map[int]bool) error {
	known := map[int]bool{}
	for _, m := range db.migrations {
		known[m.version] = true
	}
	var unknown []string
	for v := range applied {
		if !known[v] {
			unknown = append(unknown, strconv.Itoa(v))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("store: the database has migration(s) %s that this binary does not know; upgrade safetynet: %w",
			strings.Join(unknown, ", "), ErrSchemaNewer)
	}
	return nil
}

// Pending lists the migrations not yet applied, oldest first, by name.
func (db *DB) Pending(ctx context.Context) ([]string, error) {
	ledger, err := db.hasLedger(ctx)
	if err != nil {
		return nil, err
	}
	applied := map[int]bool{}
	if ledger {
		if applied, err = appliedVersions(ctx, db.w); err != nil {
			return nil, err
		}
	}
	if err := db.checkNewer(applied); err != nil {
		return nil, err
	}
	var names []string
	for _, m := range db.migrations {
		if !applied[m.version] {
			names = append(names, m.name)
		}
	}
	return names, nil
}

// bootstrap creates the whole schema of an empty database in one
// transaction. Another server starting at the same moment then sees either
// nothing (and waits for the write lock, then finds the work done) or the
// finished schema — never a half-migrated database that it would refuse as
// outdated.
func (db *DB) bootstrap(ctx context.Context) error {
	applied := 0
	err := db.write(ctx, "create schema", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, createLedger); err != nil {
			return err
		}
		if db.d.lockLedger != "" {
			if _, err := tx.ExecContext(ctx, db.d.lockLedger); err != nil {
				return err
			}
		}
		done, err := appliedVersions(ctx, tx)
		if err != nil {
			return err
		}
		if err := db.checkNewer(done); err != nil {
			return err
		}
		for _, m := range db.migrations {
			if done[m.version] {
				continue
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
				m.version, m.name, db.now().UTC().Format(time.RFC3339Nano)); err != nil {
				return err
			}
			applied++
		}
		return nil
	})
	if err != nil {
		// PostgreSQL can fail a CREATE TABLE racing another server's; if
		// that server finished the schema, there is nothing left to do.
		if pending, perr := db.Pending(ctx); perr == nil && len(pending) == 0 {
			return nil
		}
		return fmt.Errorf("store: create schema: %w", err)
	}
	if applied > 0 {
		db.log.Info("created the database schema", "migrations", applied, "dialect", db.d.name)
	}
	return nil
}

// Migrate applies pending migrations, each in its own transaction recorded
// in schema_migrations. Concurrent migrators (two servers starting at once)
// are serialised: the second finds the work done.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.w.ExecContext(ctx, createLedger); err != nil {
		// PostgreSQL's CREATE TABLE IF NOT EXISTS can still fail when
		// another server creates the table at the same moment.
		if ok, _ := db.hasLedger(ctx); !ok {
			return fmt.Errorf("store: create schema_migrations: %w", err)
		}
	}
	for _, m := range db.migrations {
		done := false
		err := db.write(ctx, "migrate "+m.name, func(tx *sql.Tx) error {
			if db.d.lockLedger != "" {
				if _, err := tx.ExecContext(ctx, db.d.lockLedger); err != nil {
					return err
				}
			}
			applied, err := appliedVersions(ctx, tx)
			if err != nil {
				return err
			}
			if err := db.checkNewer(applied); err != nil {
				return err
			}
			if applied[m.version] {
				done = true
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, db.q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
				m.version, m.name, db.now().UTC().Format(time.RFC3339Nano))
			return err
		})
		if err != nil {
			return err
		}
		if !done {
			db.log.Info("applied database migration", "migration", m.name, "dialect", db.d.name)
		}
	}
	return nil
}
