package store_test

import (
	"context"
	"database/sql"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

// nextNotice waits up to d for a notice; ok is false when none came.
func nextNotice(t *testing.T, ch <-chan store.ChangeNotice, d time.Duration) (store.ChangeNotice, bool) {
	t.Helper()
	select {
	case n, open := <-ch:
		if !open {
			t.Fatal("the notice channel closed early")
		}
		return n, true
	case <-time.After(d):
		return store.ChangeNotice{}, false
	}
}

// waitTable waits for a notice naming table and fails after 5 s.
func waitTable(t *testing.T, ch <-chan store.ChangeNotice, table string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		n, ok := nextNotice(t, ch, time.Until(deadline))
		if ok && slices.Contains(n.Tables, table) {
			return
		}
	}
	t.Fatalf("no notice for %s within 5 s", table)
}

func TestWatchChangesAcrossServers(t *testing.T) {
	dsn := postgresDSN(t)
	writer := MustOpen(t, dsn, store.Options{})
	reader := MustOpen(t, dsn, store.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ch := reader.WatchChanges(ctx, store.WatchOptions{Coalesce: 100 * time.Millisecond})

	// The first notice is the connection itself: anything may have changed.
	if n, ok := nextNotice(t, ch, 5*time.Second); !ok || len(n.Tables) != 0 {
		t.Fatalf("first notice = %v, %v; want the connection notice with no tables", n, ok)
	}

	// Another server's write of public data arrives, bursts merged.
	at := time.Date(2025, 1, 6, 12, 0, 0, 0, time.UTC)
	must(t, writer.SyncComponents(ctx, []status.Component{{ID: "api", Name: "API", Public: true}}))
	for i := range 20 {
		if _, err := writer.RecordChange(ctx, status.Change{Component: "api", From: status.Operational, To: status.MajorOutage, At: at.Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	var got []store.ChangeNotice
	for {
		n, ok := nextNotice(t, ch, time.Second)
		if !ok {
			break
		}
		got = append(got, n)
	}
	var tables []string
	for _, n := range got {
		tables = append(tables, n.Tables...)
	}
	if !slices.Contains(tables, "changes") || !slices.Contains(tables, "components") {
		t.Fatalf("notices %v do not name components and changes", got)
	}
	if len(got) > 5 {
		t.Fatalf("21 writes in a burst gave %d notices; want them merged", len(got))
	}

	// Results are not public data: no notice.
	must(t, writer.SaveResults(ctx, []status.Result{{CheckID: "c", Location: status.LocalLocation, At: at, OK: true}}))
	if n, ok := nextNotice(t, ch, 500*time.Millisecond); ok {
		t.Fatalf("a result write sent %v", n)
	}

	// A server on another schema of the same database is not heard.
	other := MustOpen(t, postgresDSN(t), store.Options{})
	must(t, other.SyncComponents(ctx, []status.Component{{ID: "api", Name: "API", Public: true}}))
	if n, ok := nextNotice(t, ch, 500*time.Millisecond); ok {
		t.Fatalf("another schema's write sent %v", n)
	}
}

// TestWatchChangesReconnects: when the listening connection is cut, the
// watcher reconnects, says anything may have changed, and hears later
// writes again.
func TestWatchChangesReconnects(t *testing.T) {
	dsn := postgresDSN(t)
	db := MustOpen(t, dsn, store.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ch := db.WatchChanges(ctx, store.WatchOptions{Coalesce: 10 * time.Millisecond})
	if _, ok := nextNotice(t, ch, 5*time.Second); !ok {
		t.Fatal("no connection notice")
	}

	admin, err := sql.Open("pgx", os.Getenv("SAFETYNET_TEST_POSTGRES"))
	must(t, err)
	defer admin.Close()
	// Other packages' listeners may be cut too; they reconnect the same way.
	if _, err := admin.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE application_name = 'safetynet changes' AND datname = current_database()`); err != nil {
		t.Fatal(err)
	}
	n, ok := nextNotice(t, ch, 5*time.Second)
	if !ok || len(n.Tables) != 0 {
		t.Fatalf("after the cut: %v, %v; want a reconnection notice", n, ok)
	}
	must(t, db.SyncComponents(ctx, []status.Component{{ID: "web", Name: "Web", Public: true}}))
	waitTable(t, ch, "components")
}

// TestWatchChangesSQLite: one server owns a SQLite file, so there is
// nothing to hear; the channel closes with its context.
func TestWatchChangesSQLite(t *testing.T) {
	db := MustOpen(t, sqliteDSN(t), store.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	ch := db.WatchChanges(ctx, store.WatchOptions{})
	must(t, db.SyncComponents(ctx, []status.Component{{ID: "web", Name: "Web", Public: true}}))
	if n, ok := nextNotice(t, ch, 200*time.Millisecond); ok {
		t.Fatalf("SQLite sent %v", n)
	}
	cancel()
	select {
	case _, open := <-ch:
		if open {
			t.Fatal("a notice after cancel")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the channel did not close with its context")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
