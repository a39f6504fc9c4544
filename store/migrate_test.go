package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	_ "modernc.org/sqlite"

	"github.com/safetynet-dev/safetynet/store"
)

// migrations returns a migration set for dialect with the given files.
func migrations(dialect string, files map[string]string) fstest.MapFS {
	fs := fstest.MapFS{}
	for name, body := range files {
		fs["migrations/"+dialect+"/"+name] = &fstest.MapFile{Data: []byte(body)}
	}
	return fs
}

func TestMigrateEmptyDatabase(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := MustOpen(t, b.fresh(t), store.Options{})
			pending, err := db.Pending(t.Context())
			if err != nil || len(pending) != 0 {
				t.Fatalf("after opening an empty database: pending %v, %v; want none", pending, err)
			}
		})
	}
}

func TestSchemaVersions(t *testing.T) {
	v1 := map[string]string{"0001_first.sql": "CREATE TABLE first (x INTEGER);"}
	v2 := map[string]string{
		"0001_first.sql":  v1["0001_first.sql"],
		"0002_second.sql": "CREATE TABLE second (x INTEGER);\nINSERT INTO second (x) VALUES (1);",
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			dsn := b.fresh(t)
			quiet := store.Options{Logger: discard}
			db, err := store.Open(ctx, dsn, store.WithMigrations(quiet, migrations(b.name, v1)))
			if err != nil {
				t.Fatal(err)
			}
			db.Close()

			// An upgrade that brings a migration refuses to start without
			// being told to migrate, and says how.
			_, err = store.Open(ctx, dsn, store.WithMigrations(quiet, migrations(b.name, v2)))
			if !errors.Is(err, store.ErrSchemaOutdated) || !strings.Contains(err.Error(), "safetynet migrate") || !strings.Contains(err.Error(), "0002_second") {
				t.Fatalf("open on an older schema: %v; want ErrSchemaOutdated naming 0002_second and `safetynet migrate`", err)
			}

			// A migration that fails leaves nothing half done.
			broken := map[string]string{"0001_first.sql": v1["0001_first.sql"], "0002_second.sql": "CREATE TABLE second (x INTEGER);\nINSERT INTO nowhere VALUES (1);"}
			if _, err := store.Open(ctx, dsn, store.WithMigrations(store.Options{Migrate: true, Logger: discard}, migrations(b.name, broken))); err == nil {
				t.Fatal("a failing migration was reported applied")
			}

			migrate := store.WithMigrations(store.Options{Migrate: true, Logger: discard}, migrations(b.name, v2))
			db, err = store.Open(ctx, dsn, migrate)
			if err != nil {
				t.Fatalf("open with Migrate: %v (did the failed migration leave table second behind?)", err)
			}
			if p, err := db.Pending(ctx); err != nil || len(p) != 0 {
				t.Fatalf("pending after migrating: %v, %v", p, err)
			}
			db.Close()

			// An older binary must not run on a newer schema, even to migrate.
			for _, migrate := range []bool{false, true} {
				_, err = store.Open(ctx, dsn, store.WithMigrations(store.Options{Migrate: migrate, Logger: discard}, migrations(b.name, v1)))
				if !errors.Is(err, store.ErrSchemaNewer) {
					t.Fatalf("open of a newer schema (Migrate %v): %v; want ErrSchemaNewer", migrate, err)
				}
			}
		})
	}
}

func TestMigrateConcurrentStart(t *testing.T) {
	// Two servers started at once on an empty database: both come up.
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			dsn := b.fresh(t)
			var wg sync.WaitGroup
			errs := make(chan error, 3)
			for range 3 {
				wg.Go(func() {
					db, err := store.Open(context.Background(), dsn, store.Options{Logger: discard})
					if err != nil {
						errs <- err
						return
					}
					db.Close()
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}

func TestRefuseForeignDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("CREATE TABLE invoices (id INTEGER)"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err = store.Open(t.Context(), path, store.Options{Migrate: true, Logger: discard})
	if err == nil || !strings.Contains(err.Error(), "not a safetynet database") {
		t.Fatalf("open of another application's database: %v, want a refusal", err)
	}
}
