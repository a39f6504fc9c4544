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
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

// The monitor on the real store (SQLite in a temporary folder): a check goes
// down and comes back across a restart, with one notification per notifier
// and transition, the alert opened and resolved, the status changes kept and
// every result stored.
func TestWithSQLiteStore(t *testing.T) {
	ctx := context.Background()
	clk := newFakeClock()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "safetynet.db"), store.Options{Now: clk.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := newProbers()
	opts := monitor.Options{
		Store: db, NewProber: p.newProber, Owner: "it", Now: clk.Now, Wait: clk.Wait,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), EvalEvery: time.Hour,
	}
	c := check("api-health", 10*time.Second)
	c.FailuresToDown = 2
	pl := plan(c)

	var m *monitor.Monitor
	var cancel context.CancelFunc
	var done chan error
	// Settled: the check's next run is in the future, within its interval
	// (while it runs, NextDue is its lease's end, 30 s ahead).
	settled := func() bool {
		next, ok, err := db.NextDue(ctx)
		now := clk.Now()
		return err == nil && ok && next.After(now) && !next.After(now.Add(10*time.Second))
	}
	start := func() {
		m = monitor.New(opts)
		if err := m.SetPlan(ctx, pl); err != nil {
			t.Fatal(err)
		}
		var rctx context.Context
		rctx, cancel = context.WithCancel(ctx)
		done = make(chan error, 1)
		go func() { done <- m.Run(rctx) }()
		waitFor(t, "the start", settled)
	}
	stop := func() {
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
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

	start()
	run(20 * time.Second)
	p.fail("api-health", "status 503, want 200")
	run(20 * time.Second)
	if got, want := outbox(), []string{"down mail", "down pager", "down slack"}; !slices.Equal(got, want) {
		t.Fatalf("outbox %v, want %v", got, want)
	}
	open, err := db.Alerts(ctx, status.AlertFilter{OpenOnly: true})
	if err != nil || len(open) != 1 || open[0].Subject != "api-health" {
		t.Fatalf("open alerts %+v (%v), want the check alert", open, err)
	}
	runs := p.count("api-health")
	stop()
	rs, err := db.Results(ctx, status.ResultFilter{CheckID: "api-health"})
	if err != nil || len(rs) != runs {
		t.Fatalf("%d results stored (%v), want all %d", len(rs), err, runs)
	}

	// Restart: the state is remembered, so no second down notification.
	start()
	run(20 * time.Second)
	clk.Advance(time.Hour) // let the claimed notifications' leases lapse
	if got := outbox(); len(got) != 3 {
		t.Fatalf("outbox after restart %v, want the same 3 notifications", got)
	}
	p.ok("api-health")
	run(10 * time.Second)
	stop()
	got := outbox()
	if n := len(got); n != 5 {
		t.Fatalf("outbox after recovery %v, want 3 down and 2 up", got)
	}
	if open, _ := db.Alerts(ctx, status.AlertFilter{OpenOnly: true}); len(open) != 0 {
		t.Errorf("alert still open after recovery: %+v", open)
	}
	changes, err := db.Changes(ctx, status.ChangeFilter{Component: "api"})
	if err != nil {
		t.Fatal(err)
	}
	var tos []status.Status
	for _, ch := range changes {
		tos = append(tos, ch.To)
	}
	if want := []status.Status{status.Operational, status.MajorOutage, status.Operational}; !slices.Equal(tos, want) {
		t.Errorf("status changes %v, want %v", tos, want)
	}
}
