package store_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/safetynet-dev/safetynet/store"
)

var discard = slog.New(slog.DiscardHandler)

// backend names an empty database of one dialect for each test.
type backend struct {
	name  string
	fresh func(tb testing.TB) string // a DSN of a new, empty database
}

var backends = []backend{
	{"sqlite", sqliteDSN},
	{"postgres", postgresDSN},
}

func sqliteDSN(tb testing.TB) string {
	// A folder that does not exist yet: Open creates it.
	return filepath.Join(tb.TempDir(), "data", "safetynet.db")
}

// postgresDSN creates a schema of its own for the test and returns a DSN
// whose search_path selects it, so that tests and packages can run in
// parallel on one database. The schema is dropped when the test ends.
func postgresDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv("SAFETYNET_TEST_POSTGRES")
	if dsn == "" {
		tb.Skip("SAFETYNET_TEST_POSTGRES is not set: skipping PostgreSQL (set it to a DSN such as postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("SAFETYNET_TEST_POSTGRES: %v", err)
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { admin.Close() })
	b := make([]byte, 8)
	rand.Read(b)
	schema := "storetest_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// MustOpen opens dsn and closes the database when the test ends.
func MustOpen(tb testing.TB, dsn string, opts store.Options) *store.DB {
	tb.Helper()
	if opts.Logger == nil {
		opts.Logger = discard
	}
	db, err := store.Open(context.Background(), dsn, opts)
	if err != nil {
		tb.Fatalf("open %s: %v", dsn, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return db
}
