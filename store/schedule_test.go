package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

// TestNextDueForAndRelease: a server sleeps until its own checks are due
// and until another's are half an interval overdue; a server that stops
// cleanly releases its checks so the others take them at their next run.
func TestNextDueForAndRelease(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			db := MustOpen(t, b.fresh(t), store.Options{})
			ctx := t.Context()
			base := time.Date(2025, 1, 6, 12, 0, 0, 0, time.UTC)
			must(t, db.SyncSchedule(ctx, []status.ScheduleEntry{{CheckID: "c", Interval: 10 * time.Second, Hash: "h"}}, base))
			due, err := db.ClaimDue(ctx, "a", base.Add(10*time.Second), 10, time.Second)
			must(t, err)
			if len(due) != 1 {
				t.Fatalf("claim = %v", due)
			}
			next := base.Add(20 * time.Second)
			must(t, db.Complete(ctx, "a", "c", next))
			for _, tc := range []struct {
				owner string
				want  time.Time
			}{{"a", next}, {"b", next.Add(5 * time.Second)}} {
				got, ok, err := db.NextDueFor(ctx, tc.owner)
				must(t, err)
				if !ok || !got.Equal(tc.want) {
					t.Errorf("NextDueFor(%s) = %s, %v; want %s", tc.owner, got, ok, tc.want)
				}
			}
			must(t, db.Release(ctx, "a"))
			got, ok, err := db.NextDueFor(ctx, "b")
			must(t, err)
			if !ok || !got.Equal(next) {
				t.Errorf("after Release, NextDueFor(b) = %s, %v; want %s", got, ok, next)
			}
			if due, err := db.ClaimDue(ctx, "b", next, 10, time.Second); err != nil || len(due) != 1 {
				t.Fatalf("after Release, b's claim at the next run = %v, %v", due, err)
			}
		})
	}
}

// TestBalance: a server that joins takes idle checks from the busiest one
// until it has its share; shares that are even to within one stay put.
func TestBalance(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			db := MustOpen(t, b.fresh(t), store.Options{})
			ctx := t.Context()
			base := time.Date(2025, 1, 6, 12, 0, 0, 0, time.UTC)
			var entries []status.ScheduleEntry
			for i := range 20 {
				entries = append(entries, status.ScheduleEntry{CheckID: fmt.Sprintf("c%02d", i), Interval: time.Minute, Hash: "h"})
			}
			must(t, db.SyncSchedule(ctx, entries, base))
			now := base.Add(time.Minute)
			due, err := db.ClaimDue(ctx, "a", now, 100, time.Second)
			must(t, err)
			for _, d := range due {
				must(t, db.Complete(ctx, "a", d.CheckID, d.DueAt.Add(time.Minute)))
			}
			took, err := db.Balance(ctx, "b", now)
			must(t, err)
			if took != 10 {
				t.Fatalf("b took %d of a's 20 checks, want 10", took)
			}
			for range 3 {
				_, err := db.Balance(ctx, "c", now)
				must(t, err)
			}
			again, err := db.Balance(ctx, "c", now)
			must(t, err)
			if again != 0 {
				t.Fatalf("an even spread still moved %d checks", again)
			}
			// Moved checks are not lost: each is claimed once, by its owner.
			// Live servers claim every second; each check is due once in
			// the next minute.
			seen := map[string]string{}
			for at := now.Add(time.Second); !at.After(now.Add(time.Minute)); at = at.Add(time.Second) {
				for _, o := range []string{"a", "b", "c"} {
					due, err := db.ClaimDue(ctx, o, at, 100, time.Second)
					must(t, err)
					for _, d := range due {
						if prev, ok := seen[d.CheckID]; ok {
							t.Errorf("%s claimed by %s and %s", d.CheckID, prev, o)
						}
						seen[d.CheckID] = o
						must(t, db.Complete(ctx, o, d.CheckID, d.DueAt.Add(time.Hour)))
					}
				}
			}
			if len(seen) != 20 {
				t.Errorf("%d of 20 checks claimed at their next run", len(seen))
			}
			per := map[string]int{}
			for _, o := range seen {
				per[o]++
			}
			if per["a"] < 6 || per["b"] < 6 || per["c"] < 6 {
				t.Errorf("checks per server after c joined: %v, want 6 to 8 each", per)
			}
		})
	}
}

// TestCheckStatesOwnedByOthers: a server reads the states of the checks
// the other servers run, not its own nor unowned ones.
func TestCheckStatesOwnedByOthers(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			db := MustOpen(t, b.fresh(t), store.Options{})
			ctx := t.Context()
			base := time.Date(2025, 1, 6, 12, 0, 0, 0, time.UTC)
			must(t, db.SyncSchedule(ctx, []status.ScheduleEntry{{CheckID: "x", Interval: time.Minute, Hash: "h"},
				{CheckID: "y", Interval: time.Minute, Hash: "h"}, {CheckID: "z", Interval: time.Minute, Hash: "h"}}, base))
			for _, id := range []string{"x", "y", "z"} {
				must(t, db.SaveCheckState(ctx, status.CheckState{CheckID: id, Location: status.LocalLocation, State: status.StateDown, Since: base, Failures: 3,
					LastResult: &status.Result{CheckID: id, Location: status.LocalLocation, At: base, Error: "refused"}}))
			}
			// b claims one check, a another; the third stays unowned.
			claimOne := func(owner string) string {
				due, err := db.ClaimDue(ctx, owner, base.Add(time.Minute), 1, time.Second)
				must(t, err)
				if len(due) != 1 {
					t.Fatalf("%s claimed %v", owner, due)
				}
				must(t, db.Complete(ctx, owner, due[0].CheckID, due[0].DueAt.Add(time.Minute)))
				return due[0].CheckID
			}
			theirs := claimOne("b")
			claimOne("a")
			sts, err := db.CheckStatesOwnedByOthers(ctx, "a")
			must(t, err)
			var ids []string
			for _, st := range sts {
				ids = append(ids, st.CheckID)
				if st.State != status.StateDown || st.LastResult == nil || st.LastResult.Error != "refused" {
					t.Errorf("state of %s = %+v", st.CheckID, st)
				}
			}
			if len(ids) != 1 || ids[0] != theirs {
				t.Fatalf("a reads the states of %v, want b's %s only", ids, theirs)
			}
		})
	}
}

// TestAdopt: a server alone on its database, restarted after a crash
// under a new name, takes its previous run's checks at once, except one
// still leased.
func TestAdopt(t *testing.T) {
	db := MustOpen(t, sqliteDSN(t), store.Options{})
	ctx := t.Context()
	base := time.Date(2025, 1, 6, 12, 0, 0, 0, time.UTC)
	must(t, db.SyncSchedule(ctx, []status.ScheduleEntry{{CheckID: "x", Interval: time.Minute, Hash: "h"}, {CheckID: "y", Interval: time.Minute, Hash: "h"}}, base))
	now := base.Add(time.Minute)
	due, err := db.ClaimDue(ctx, "old", now, 1, 10*time.Second)
	must(t, err)
	must(t, db.Complete(ctx, "old", due[0].CheckID, now.Add(5*time.Second)))
	running, err := db.ClaimDue(ctx, "old", now, 1, 10*time.Second) // killed while running it
	must(t, err)
	must(t, db.Adopt(ctx, "new", now.Add(time.Second)))
	// At its next run, not half an interval later; the leased one waits.
	got, err := db.ClaimDue(ctx, "new", now.Add(5*time.Second), 10, time.Second)
	must(t, err)
	if len(got) != 1 || got[0].CheckID != due[0].CheckID {
		t.Fatalf("after Adopt the new server claimed %v at the next run, want %s (and not %s, leased)", got, due[0].CheckID, running[0].CheckID)
	}
}
