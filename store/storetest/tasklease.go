package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TaskLeaser hands out leases on whole-system periodic tasks
// (store.DB.TryLease), so that of several servers on one database one
// runs each such task at a time.
type TaskLeaser interface {
	TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
}

// Clock is a settable clock for stores that stamp times themselves.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// RunTaskLeases checks task leases. open returns a new, empty store whose
// clock is now.
func RunTaskLeases(t *testing.T, open func(t *testing.T, now func() time.Time) TaskLeaser) {
	const ttl = 30 * time.Second
	setup := func(t *testing.T) (TaskLeaser, *Clock) {
		clk := &Clock{t: base}
		return open(t, clk.Now), clk
	}
	try := func(t *testing.T, s TaskLeaser, name, holder string, want bool) {
		t.Helper()
		got, err := s.TryLease(t.Context(), name, holder, ttl)
		if err != nil {
			t.Fatalf("TryLease(%s, %s): %v", name, holder, err)
		}
		if got != want {
			t.Fatalf("TryLease(%s, %s) = %v, want %v", name, holder, got, want)
		}
	}

	t.Run("one of two holders gets it", func(t *testing.T) {
		t.Parallel()
		s, _ := setup(t)
		try(t, s, "incidents", "server-a", true)
		try(t, s, "incidents", "server-b", false)
		try(t, s, "incidents", "server-a", true)
		// Leases of other tasks are separate.
		try(t, s, "retention", "server-b", true)
		try(t, s, "retention", "server-a", false)
	})

	t.Run("renewal keeps it past the first ttl", func(t *testing.T) {
		t.Parallel()
		s, clk := setup(t)
		try(t, s, "incidents", "server-a", true)
		clk.Set(base.Add(20 * time.Second))
		try(t, s, "incidents", "server-a", true) // now held until base+50s
		clk.Set(base.Add(40 * time.Second))
		try(t, s, "incidents", "server-b", false)
		clk.Set(base.Add(49 * time.Second))
		try(t, s, "incidents", "server-b", false)
	})

	t.Run("expiry hands it over", func(t *testing.T) {
		t.Parallel()
		s, clk := setup(t)
		try(t, s, "incidents", "server-a", true)
		clk.Set(base.Add(ttl))
		try(t, s, "incidents", "server-b", true)
		// The old holder coming back finds it taken.
		try(t, s, "incidents", "server-a", false)
		clk.Set(base.Add(ttl + ttl/2))
		try(t, s, "incidents", "server-a", false)
	})

	t.Run("release frees it and only its holder releases", func(t *testing.T) {
		t.Parallel()
		s, _ := setup(t)
		try(t, s, "incidents", "server-a", true)
		must(t, s.ReleaseLease(t.Context(), "incidents", "server-b"))
		try(t, s, "incidents", "server-b", false)
		must(t, s.ReleaseLease(t.Context(), "incidents", "server-a"))
		try(t, s, "incidents", "server-b", true)
		// Releasing a lease nobody holds is not an error.
		must(t, s.ReleaseLease(t.Context(), "never-held", "server-a"))
	})

	t.Run("bad arguments are refused", func(t *testing.T) {
		t.Parallel()
		s, _ := setup(t)
		for _, tc := range []struct {
			name, holder string
			ttl          time.Duration
		}{{"", "server-a", ttl}, {"incidents", "", ttl}, {"incidents", "server-a", 0}} {
			if _, err := s.TryLease(t.Context(), tc.name, tc.holder, tc.ttl); err == nil {
				t.Errorf("TryLease(%q, %q, %s) succeeded", tc.name, tc.holder, tc.ttl)
			}
		}
	})

	t.Run("concurrent takers get exactly one holder", func(t *testing.T) {
		t.Parallel()
		s, clk := setup(t)
		// Twice: for a lease never held, and for one that just expired.
		for round, at := range []time.Time{base, base.Add(time.Hour)} {
			clk.Set(at)
			var wg sync.WaitGroup
			got := make(chan string, 10)
			errs := make(chan error, 10)
			start := make(chan struct{})
			for i := range 10 {
				wg.Go(func() {
					<-start
					holder := fmt.Sprintf("round%d-server-%d", round, i)
					ok, err := s.TryLease(t.Context(), "incidents", holder, ttl)
					if err != nil {
						errs <- err
					}
					if ok {
						got <- holder
					}
				})
			}
			close(start)
			wg.Wait()
			close(got)
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			var holders []string
			for h := range got {
				holders = append(holders, h)
			}
			if len(holders) != 1 {
				t.Fatalf("round %d: %d holders of one lease: %v", round, len(holders), holders)
			}
		}
	})
}
