package store_test

import (
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
