package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

// TestSQLiteDurability checks the settings the SIGKILL guarantee rests on:
// the writer is in WAL mode with synchronous NORMAL (1) or FULL (2), so a
// commit is in the WAL before the caller hears of it and a killed process
// loses nothing it acknowledged.
func TestSQLiteDurability(t *testing.T) {
	db := MustOpen(t, sqliteDSN(t), store.Options{})
	w := store.Writer(db)
	var mode string
	var sync int
	if err := w.QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if err := w.QueryRowContext(t.Context(), "PRAGMA synchronous").Scan(&sync); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" || (sync != 1 && sync != 2) {
		t.Errorf("journal_mode=%s synchronous=%d, want wal and 1 (NORMAL) or 2 (FULL)", mode, sync)
	}
}

// results makes n passing results of check c, one second apart from at.
func faultResults(c string, at time.Time, n int) []status.Result {
	rs := make([]status.Result, n)
	for i := range rs {
		rs[i] = status.Result{CheckID: c, Location: "local", At: at.Add(time.Duration(i) * time.Second), OK: true, Latency: time.Millisecond,
			Error: strings.Repeat("x", 200)}
	}
	return rs
}

// assertHealthy checks that the file is intact and holds want results of c.
func assertHealthy(t *testing.T, db *store.DB, c string, want int) {
	t.Helper()
	var check string
	if err := store.Writer(db).QueryRowContext(t.Context(), "PRAGMA integrity_check").Scan(&check); err != nil {
		t.Fatal(err)
	}
	if check != "ok" {
		t.Errorf("integrity_check = %q", check)
	}
	got, err := db.Results(t.Context(), status.ResultFilter{CheckID: c})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != want {
		t.Errorf("%d results of %s stored, want the %d acknowledged", len(got), c, want)
	}
}

// fillUntil saves batches until one fails, and returns how many results
// were acknowledged and the error.
func fillUntil(t *testing.T, db *store.DB, c string, at time.Time) (int, error) {
	t.Helper()
	acked := 0
	for i := range 10000 {
		rs := faultResults(c, at.Add(time.Duration(i)*time.Hour), 50)
		if err := db.SaveResults(t.Context(), rs); err != nil {
			return acked, err
		}
		acked += len(rs)
	}
	t.Fatal("the database never filled up")
	return 0, nil
}

// expectProblem checks that a failed write names the condition and that
// Ping, which /readyz calls, reports it.
func expectProblem(t *testing.T, db *store.DB, err, kind error, words string) {
	t.Helper()
	if !errors.Is(err, kind) || !strings.Contains(err.Error(), words) {
		t.Fatalf("write error = %v, want %v", err, kind)
	}
	if _, p := db.WriteProblem(); !errors.Is(p, kind) {
		t.Errorf("WriteProblem = %v, want %v", p, kind)
	}
	if perr := db.Ping(t.Context()); !errors.Is(perr, kind) || !strings.Contains(perr.Error(), "writes failing since") {
		t.Errorf("Ping = %v, want it to report %v", perr, kind)
	}
}

// expectRecovered checks that writes work again and Ping is clean.
func expectRecovered(t *testing.T, db *store.DB, c string, at time.Time) {
	t.Helper()
	if err := db.SaveResults(t.Context(), faultResults(c, at, 10)); err != nil {
		t.Fatalf("write after the condition cleared: %v", err)
	}
	if _, p := db.WriteProblem(); p != nil {
		t.Errorf("WriteProblem after a good write = %v", p)
	}
	if err := db.Ping(t.Context()); err != nil {
		t.Errorf("Ping after a good write = %v", err)
	}
}

// TestSQLiteFull makes the database "full" with PRAGMA max_page_count on
// the writer connection, which fails writes with SQLITE_FULL exactly as a
// full disk does, without needing a small file system: the write fails
// with ErrFull, Ping reports it, nothing acknowledged is lost, and after
// the limit is raised writes resume on an intact file.
func TestSQLiteFull(t *testing.T) {
	db := MustOpen(t, sqliteDSN(t), store.Options{})
	w := store.Writer(db)
	var pages int
	if err := w.QueryRowContext(t.Context(), "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ExecContext(t.Context(), fmt.Sprintf("PRAGMA max_page_count = %d", pages+40)); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	acked, err := fillUntil(t, db, "full", at)
	expectProblem(t, db, err, store.ErrFull, "full")
	assertHealthy(t, db, "full", acked)

	if _, err := w.ExecContext(t.Context(), "PRAGMA max_page_count = 1073741823"); err != nil {
		t.Fatal(err)
	}
	expectRecovered(t, db, "full", at.Add(-time.Hour))
	assertHealthy(t, db, "full", acked+10)
}

// TestSQLiteFullDisk fills a real file system: a 1 MiB tmpfs, mounted
// only when the test runs as root and mount is allowed (skipped
// otherwise; TestSQLiteFull covers the same path with max_page_count).
// The disk is then grown with a remount and writes resume.
func TestSQLiteFullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root; TestSQLiteFull covers a full database")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (%v: %s); TestSQLiteFull covers a full database", err, out)
	}
	path := filepath.Join(dir, "safetynet.db")
	db, err := store.Open(t.Context(), path, store.Options{Logger: discard})
	t.Cleanup(func() {
		if db != nil {
			db.Close()
		}
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	acked, err := fillUntil(t, db, "disk", at)
	expectProblem(t, db, err, store.ErrFull, "full")

	if out, err := exec.Command("mount", "-o", "remount,size=64m", dir).CombinedOutput(); err != nil {
		t.Fatalf("grow the tmpfs: %v: %s", err, out)
	}
	expectRecovered(t, db, "disk", at.Add(-time.Hour))
	assertHealthy(t, db, "disk", acked+10)
}

// TestSQLiteReadOnly covers a database that refuses writes, twice: a file
// opened read-only (mode=ro, as a read-only file or mount would open it)
// and a live connection switched to query_only. Writes fail with
// ErrReadOnly, Ping reports it, and once the condition clears writes
// resume on an intact file.
func TestSQLiteReadOnly(t *testing.T) {
	ctx := context.Background()
	path := sqliteDSN(t)
	at := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	db := MustOpen(t, path, store.Options{})
	if err := db.SaveResults(ctx, faultResults("ro", at, 10)); err != nil {
		t.Fatal(err)
	}
	db.Close()

	ro, err := store.Open(ctx, "file:"+path+"?mode=ro", store.Options{Logger: discard})
	if err != nil {
		t.Fatalf("open read-only: %v", err)
	}
	err = ro.SaveResults(ctx, faultResults("ro", at.Add(time.Hour), 10))
	expectProblem(t, ro, err, store.ErrReadOnly, "read-only")
	ro.Close()

	db = MustOpen(t, path, store.Options{})
	assertHealthy(t, db, "ro", 10)
	w := store.Writer(db)
	if _, err := w.ExecContext(ctx, "PRAGMA query_only = 1"); err != nil {
		t.Fatal(err)
	}
	err = db.SaveResults(ctx, faultResults("ro", at.Add(2*time.Hour), 10))
	expectProblem(t, db, err, store.ErrReadOnly, "read-only")
	if _, err := w.ExecContext(ctx, "PRAGMA query_only = 0"); err != nil {
		t.Fatal(err)
	}
	expectRecovered(t, db, "ro", at.Add(3*time.Hour))
	assertHealthy(t, db, "ro", 20)
}
