package monitor_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/monitor"
	"github.com/safetynet-dev/safetynet/status"
)

// sharedFake is the fake store presenting itself as PostgreSQL, so the
// monitor takes the paths of several servers on one database (results
// stored before a check completes, balancing, releasing at shutdown).
type sharedFake struct{ *fakeStore }

func (sharedFake) Dialect() string { return "postgres" }

// A server stopping with no probe in flight must not sit out the shutdown
// timeout: a deploy restarting it would hold its checks for that long.
// The clock is the real one, as in `safetynet serve`, because the wait on
// the shutdown timeout is a wall-clock timer.
func TestShutdownReturnsOnceProbesAreDone(t *testing.T) {
	for _, tc := range []struct {
		name  string
		store status.Store
	}{
		{"alone", newFakeStore()},
		{"shared", sharedFake{newFakeStore()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newProbers()
			m := monitor.New(monitor.Options{
				Store: tc.store, NewProber: p.newProber, Owner: "quick",
				Logger:          slog.New(slog.NewTextHandler(io.Discard, nil)),
				ShutdownTimeout: time.Minute,
				HeartbeatToken:  func(c *status.Check) (string, error) { return "token-" + c.ID, nil },
				HeartbeatGrace:  func(*status.Check) (time.Duration, error) { return time.Minute, nil },
			})
			fast := check("fast", time.Second)
			fast.Timeout = 500 * time.Millisecond
			beat := check("beat", time.Second)
			beat.Kind = status.KindHeartbeat
			if err := m.SetPlan(t.Context(), plan(fast, beat)); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- m.Run(ctx) }()
			waitFor(t, "the checks to run twice", func() bool { return p.count("fast") >= 2 })
			p.mu.Lock()
			running := p.running
			p.mu.Unlock()
			start := time.Now()
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
				// A probe in flight at cancel takes at most its 20 ms.
				if took := time.Since(start); took > 2*time.Second {
					t.Errorf("Run returned %s after cancel with %d probes running, want well under the 1m shutdown timeout", took, running)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("Run still waiting 10s after cancel with %d probes running", running)
			}
		})
	}
}
