package monitor_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/monitor"
	"github.com/safetynet-dev/safetynet/store"
)

// TestTakeOverContinuesTheCheckState: server b learned the plan before
// server a saw the check go down. When a stops and b takes the check
// over, b continues from the stored state: the failures that follow are
// no news, and the recovery is told once.
func TestTakeOverContinuesTheCheckState(t *testing.T) {
	ctx := context.Background()
	clk := newFakeClock()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "safetynet.db"), store.Options{Now: clk.Now, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := newProbers()
	pl := plan(check("api-health", 10*time.Second))
	newMonitor := func(owner string) *monitor.Monitor {
		m := monitor.New(monitor.Options{Store: db, NewProber: p.newProber, Owner: owner, Now: clk.Now, Wait: clk.Wait, Logger: quiet, EvalEvery: time.Hour})
		if err := m.SetPlan(ctx, pl); err != nil {
			t.Fatal(err)
		}
		return m
	}
	settled := func() bool {
		next, ok, err := db.NextDue(ctx)
		now := clk.Now()
		return err == nil && ok && next.After(now) && !next.After(now.Add(10*time.Second))
	}
	start := func(m *monitor.Monitor) (stop func()) {
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- m.Run(rctx) }()
		waitFor(t, "the start", settled)
		return func() {
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
	}
	run := func(d time.Duration) {
		for i := time.Duration(0); i < d; i += time.Second {
			clk.Advance(time.Second)
			waitFor(t, "due checks to run at "+clk.Now().Format(time.TimeOnly), settled)
		}
	}
	outbox := func() []string {
		ns, err := db.ClaimNotifications(ctx, "test", clk.Now(), 100, time.Nanosecond)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, n := range ns {
			out = append(out, string(n.Message.Event)+" "+n.Notifier)
		}
		slices.Sort(out)
		return out
	}

	b := newMonitor("b") // loads the state now: nothing known yet
	a := newMonitor("a")
	stopA := start(a)
	run(20 * time.Second)
	p.fail("api-health", "status 503, want 200")
	run(20 * time.Second)
	down := []string{"down mail", "down pager", "down slack"}
	if got := outbox(); !slices.Equal(got, down) {
		t.Fatalf("outbox %v, want %v", got, down)
	}
	stopA()

	stopB := start(b)
	run(30 * time.Second)
	if got := outbox(); !slices.Equal(got, down) {
		t.Fatalf("after b took the check over, still failing: outbox %v, want only a's %v", got, down)
	}
	if n := p.count("api-health"); n < 6 {
		t.Fatalf("the check ran %d times; b did not take it over", n)
	}
	p.ok("api-health")
	run(10 * time.Second)
	stopB()
	if got, want := outbox(), append(slices.Clone(down), "up mail", "up slack"); !slices.Equal(sorted(got), sorted(want)) {
		t.Fatalf("after recovery: outbox %v, want %v", got, want)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
