package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
	"github.com/safetynet-dev/safetynet/store/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) status.Store {
		return MustOpen(t, sqliteDSN(t), store.Options{})
	})
}

// Two servers (or a server and `safetynet migrate`) on one SQLite file:
// writers wait for each other instead of failing with SQLITE_BUSY.
func TestSQLiteTwoHandlesWriteConcurrently(t *testing.T) {
	path := sqliteDSN(t)
	a := MustOpen(t, path, store.Options{})
	b := MustOpen(t, "file:"+path, store.Options{})
	ctx := t.Context()
	base := time.Date(2025, 1, 6, 12, 0, 0, 0, time.UTC)
	var entries []status.ScheduleEntry
	for i := range 200 {
		entries = append(entries, status.ScheduleEntry{CheckID: fmt.Sprintf("c%03d", i), Interval: time.Minute, Hash: "h"})
	}
	if err := a.SyncSchedule(ctx, entries, base); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	claimed := make(chan string, 400)
	for i, db := range []*store.DB{a, b, a, b} {
		wg.Go(func() {
			for round := range 20 {
				var rs []status.Result
				for j := range 200 {
					rs = append(rs, status.Result{CheckID: fmt.Sprintf("c%03d", j), Location: "local", At: base.Add(time.Duration(i*1000+round) * time.Second), OK: true})
				}
				if err := db.SaveResults(ctx, rs); err != nil {
					errs <- err
					return
				}
				due, err := db.ClaimDue(ctx, fmt.Sprint("server-", i), base.Add(time.Minute), 10, time.Hour)
				if err != nil {
					errs <- err
					return
				}
				for _, d := range due {
					claimed <- d.CheckID
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	close(claimed)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for id := range claimed {
		if seen[id] {
			t.Fatalf("%s claimed twice through two handles", id)
		}
		seen[id] = true
	}
	rollups, err := b.Rollups(ctx, status.RollupFilter{CheckID: "c007", Resolution: status.Day, Since: base.Add(-24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rollups) != 1 || rollups[0].Count != 80 {
		t.Fatalf("day rollup written through two handles = %+v, want 80 results", rollups)
	}
}

func TestSQLiteInMemory(t *testing.T) {
	db := MustOpen(t, ":memory:", store.Options{})
	ctx := t.Context()
	if err := db.Beat(ctx, "job", time.Unix(100, 0)); err != nil {
		t.Fatal(err)
	}
	if at, ok, err := db.LastBeat(ctx, "job"); err != nil || !ok || at.Unix() != 100 {
		t.Fatalf("LastBeat = %v, %v, %v: reads must see the in-memory database's writes", at, ok, err)
	}
}

func TestSQLiteIncidents(t *testing.T) {
	storetest.RunIncidents(t, func(t *testing.T) status.IncidentStore {
		return MustOpen(t, sqliteDSN(t), store.Options{})
	})
}

func TestSQLiteTokens(t *testing.T) {
	storetest.RunTokens(t, func(t *testing.T) status.TokenStore {
		return MustOpen(t, sqliteDSN(t), store.Options{})
	})
}

func TestSQLiteSubscribers(t *testing.T) {
	storetest.RunSubscribers(t, func(t *testing.T) status.SubscriberStore {
		return MustOpen(t, sqliteDSN(t), store.Options{})
	})
}

func TestSQLitePostmortems(t *testing.T) {
	storetest.RunPostmortems(t, func(t *testing.T) storetest.PostmortemBackend {
		return MustOpen(t, sqliteDSN(t), store.Options{})
	})
}

func TestSQLiteUsers(t *testing.T) {
	storetest.RunUsers(t, func(t *testing.T) status.UserStore {
		return MustOpen(t, sqliteDSN(t), store.Options{})
	})
}

func TestSQLiteReleases(t *testing.T) {
	storetest.RunReleases(t, func(t *testing.T) status.ReleaseStore {
		return MustOpen(t, sqliteDSN(t), store.Options{})
	})
}

func TestSQLiteTaskLeases(t *testing.T) {
	storetest.RunTaskLeases(t, func(t *testing.T, now func() time.Time) storetest.TaskLeaser {
		return MustOpen(t, sqliteDSN(t), store.Options{Now: now})
	})
}
