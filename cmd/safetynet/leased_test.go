package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

// leaseStore opens a store on a fresh SQLite file with clock as its clock.
func leaseStore(t *testing.T, clock *offsetClock) *store.DB {
	t.Helper()
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "leases.db"), store.Options{Now: clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// counted returns a task that counts its runs.
func counted() (*atomic.Int32, func(context.Context) error) {
	var n atomic.Int32
	return &n, func(context.Context) error { n.Add(1); return nil }
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestLeasedRunsOnOneServerAndHandsOver(t *testing.T) {
	clock := &offsetClock{}
	db := leaseStore(t, clock)
	const ttl = 30 * time.Second
	na, fa := counted()
	nb, fb := counted()
	a := leased(db, "incidents", "server-a", ttl, fa, quiet)
	b := leased(db, "incidents", "server-b", ttl, fb, quiet)
	run := func(f func(context.Context) error) {
		t.Helper()
		if err := f(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		run(a)
		run(b)
		clock.Advance(ttl / 2) // a renews each time, so its lease never runs out
	}
	if na.Load() != 3 || nb.Load() != 0 {
		t.Fatalf("runs: a %d, b %d; want a 3, b 0", na.Load(), nb.Load())
	}
	// a dies: b takes over once a's lease runs out, not before.
	clock.Advance(ttl/2 - time.Second)
	run(b)
	if nb.Load() != 0 {
		t.Fatal("b ran while a's lease was still good")
	}
	clock.Advance(time.Second)
	run(b)
	run(a) // a comes back: b has it now
	if na.Load() != 3 || nb.Load() != 1 {
		t.Fatalf("after the handover: a %d, b %d runs; want a 3, b 1", na.Load(), nb.Load())
	}
	// b stops cleanly and releases: a takes over at once.
	if err := db.ReleaseLease(t.Context(), "incidents", "server-b"); err != nil {
		t.Fatal(err)
	}
	run(a)
	if na.Load() != 4 {
		t.Fatalf("a did not take the released lease: %d runs", na.Load())
	}
}

// A run longer than the lease keeps it, renewed while it runs.
func TestLeasedRenewsDuringALongRun(t *testing.T) {
	clock := &offsetClock{}
	db := leaseStore(t, clock)
	const ttl = 300 * time.Millisecond
	started, finish := make(chan struct{}), make(chan struct{})
	var cancelled atomic.Bool
	a := leased(db, "retention", "server-a", ttl, func(ctx context.Context) error {
		close(started)
		select {
		case <-finish:
		case <-ctx.Done():
			cancelled.Store(true)
		}
		return nil
	}, quiet)
	nb, fb := counted()
	b := leased(db, "retention", "server-b", ttl, fb, quiet)
	done := make(chan error, 1)
	go func() { done <- a(t.Context()) }()
	<-started
	deadline := time.Now().Add(4 * ttl)
	for time.Now().Before(deadline) {
		if err := b(t.Context()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(ttl / 10)
	}
	close(finish)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if nb.Load() != 0 || cancelled.Load() {
		t.Fatalf("during a run four leases long: b ran %d times, a's run cancelled: %v", nb.Load(), cancelled.Load())
	}
}

// A server that stalled past its lease and lost it stops its run rather
// than carry on beside the new holder.
func TestLeasedStopsARunWhoseLeaseWasTaken(t *testing.T) {
	clock := &offsetClock{}
	db := leaseStore(t, clock)
	const ttl = 300 * time.Millisecond
	started := make(chan struct{})
	a := leased(db, "incidents", "server-a", ttl, func(ctx context.Context) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	}, quiet)
	done := make(chan error, 1)
	go func() { done <- a(t.Context()) }()
	<-started
	clock.Advance(time.Hour) // a's lease, renewed at real time, is long gone by the store's clock
	if held, err := db.TryLease(t.Context(), "incidents", "server-b", time.Hour); err != nil || !held {
		t.Fatalf("b could not take the expired lease: %v %v", held, err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("a's run ended with %v, want its context cancelled", err)
		}
	case <-time.After(10 * ttl):
		t.Fatal("a's run went on after b took the lease")
	}
}

// When the store cannot say who holds the lease, the task does not run.
func TestLeasedSkipsWhenTheStoreFails(t *testing.T) {
	n, f := counted()
	err := leased(failingLeaser{}, "incidents", "server-a", time.Minute, f, quiet)(t.Context())
	if err == nil || n.Load() != 0 {
		t.Fatalf("with the store failing: err %v, %d runs; want an error and no run", err, n.Load())
	}
}

type failingLeaser struct{}

func (failingLeaser) TryLease(context.Context, string, string, time.Duration) (bool, error) {
	return false, errors.New("connection refused")
}
func (failingLeaser) ReleaseLease(context.Context, string, string) error { return nil }

// Two servers' incident engines ticking at the same moment over an outage
// of components with two customers each: without the lease both read "no
// incident open" and both open one; under it one engine ticks and each
// component gets one automatic incident.
func TestLeasedIncidentTicksOpenOneIncidentPerComponent(t *testing.T) {
	ctx := t.Context()
	now := time.Now().UTC()
	for _, withLease := range []bool{false, true} {
		db := leaseStore(t, &offsetClock{})
		var comps []status.Component
		for i := range 8 {
			c := status.Component{ID: fmt.Sprintf("comp%d", i), Name: fmt.Sprintf("Component %d", i), Customers: []string{"acme", "globex"}}
			comps = append(comps, c)
			if _, err := db.RecordChange(ctx, status.Change{Component: c.ID, From: status.Operational, To: status.MajorOutage, At: now.Add(-time.Minute), Cause: "c down"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SyncComponents(ctx, comps); err != nil {
			t.Fatal(err)
		}
		plan := status.Plan{Components: comps}
		policy := status.DefaultIncidentPolicy
		policy.MinDuration = time.Hour
		var ticks []func(context.Context) error
		for _, holder := range []string{"server-a", "server-b"} {
			e := &incident.Engine{Store: db, Policy: policy, Now: func() time.Time { return now }, Logger: quiet, Plan: func() status.Plan { return plan }, Poke: func() {}}
			tick := e.Tick
			if withLease {
				tick = leased(db, "incidents", holder, time.Minute, e.Tick, quiet)
			}
			ticks = append(ticks, tick)
		}
		for range 3 {
			var wg sync.WaitGroup
			start := make(chan struct{})
			for _, tick := range ticks {
				wg.Go(func() {
					<-start
					if err := tick(ctx); err != nil {
						t.Error(err)
					}
				})
			}
			close(start)
			wg.Wait()
		}
		incs, err := db.Incidents(ctx, status.IncidentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if !withLease {
			t.Logf("without the lease: %d automatic incidents for %d components", len(incs), len(comps))
			continue
		}
		per := map[string]int{}
		for _, inc := range incs {
			for _, c := range inc.Components {
				per[c.Component]++
			}
		}
		for _, c := range comps {
			if per[c.ID] != 1 {
				t.Errorf("%s: %d automatic incidents, want 1", c.ID, per[c.ID])
			}
		}
	}
}
