package monitor_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/monitor"
	"github.com/safetynet-dev/safetynet/status"
)

// awayStore is a store whose database can go away: every call the
// scheduler and the writer make then fails, as with PostgreSQL
// unreachable.
type awayStore struct {
	status.Store
	away atomic.Bool
}

var errAway = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")

func (s *awayStore) ClaimDue(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]status.Due, error) {
	if s.away.Load() {
		return nil, errAway
	}
	return s.Store.ClaimDue(ctx, owner, now, limit, lease)
}

func (s *awayStore) NextDue(ctx context.Context) (time.Time, bool, error) {
	if s.away.Load() {
		return time.Time{}, false, errAway
	}
	return s.Store.NextDue(ctx)
}

func (s *awayStore) Complete(ctx context.Context, owner, id string, next time.Time) error {
	if s.away.Load() {
		return errAway
	}
	return s.Store.Complete(ctx, owner, id, next)
}

func (s *awayStore) SaveResults(ctx context.Context, rs []status.Result) error {
	if s.away.Load() {
		return errAway
	}
	return s.Store.SaveResults(ctx, rs)
}

func (s *awayStore) SaveCheckState(ctx context.Context, st status.CheckState) error {
	if s.away.Load() {
		return errAway
	}
	return s.Store.SaveCheckState(ctx, st)
}

// TestProbingContinuesWithoutTheStore: while the database is away the
// store hands out no checks, yet every check keeps running on its
// interval from memory; the results wait in the writer and are stored
// when the database is back, and the store's schedule takes over again.
func TestProbingContinuesWithoutTheStore(t *testing.T) {
	var st *awayStore
	h := newHarness(t, func(o *monitor.Options) {
		st = &awayStore{Store: o.Store}
		o.Store = st
	})
	h.setPlan(plan(check("a", time.Second), check("b", 5*time.Second)))
	h.start()
	h.run(5 * time.Second)
	stored := len(h.st.resultsOf("a"))
	ranA, ranB := h.p.count("a"), h.p.count("b")

	st.away.Store(true)
	outage := h.clk.Now()
	// The store's queue does not move while it is away, so step the clock
	// by the probes instead of by h.run.
	for i := 1; i <= 30; i++ {
		h.clk.Advance(time.Second)
		waitFor(t, fmt.Sprintf("check a to keep running (step %d, %d runs)", i, h.p.count("a")-ranA), func() bool { return h.p.count("a")-ranA >= i-3 })
	}
	if n := h.p.count("a") - ranA; n < 20 {
		t.Errorf("check a ran %d times in 30s without the store, want about 30", n)
	}
	if n := h.p.count("b") - ranB; n < 5 {
		t.Errorf("check b ran %d times in 30s without the store, want about 6", n)
	}
	if n := len(h.st.resultsOf("a")); n != stored {
		t.Fatalf("%d results stored while the store was away", n-stored)
	}

	st.away.Store(false)
	waitFor(t, "the results of the outage to be stored", func() bool {
		h.clk.Advance(time.Second)
		during := 0
		for _, r := range h.st.resultsOf("a") {
			if !r.At.Before(outage) && r.At.Before(outage.Add(30*time.Second)) {
				during++
			}
		}
		return during >= 25
	})
	// Back on the store's schedule: runs go on at the interval.
	before := h.p.count("a")
	h.run(10 * time.Second)
	if n := h.p.count("a") - before; n < 8 || n > 12 {
		t.Errorf("check a ran %d times in 10s after the store came back, want about 10", n)
	}
}
