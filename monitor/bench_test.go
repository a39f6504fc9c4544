package monitor_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/monitor"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

// BenchmarkScheduler10k runs 10,000 checks at a 60 s interval on the real
// clock with instant fake probers and the in-memory store, for one whole
// interval, and reports the scheduler's CPU per check run and how late runs
// start after their due time, on the in-memory store (the scheduler alone)
// and on SQLite (the scheduler with its real store). CPU is measured over a steady interval,
// after a first one that holds every check's first transition (unknown to
// up) and the status decisions that follow; that one is logged. It takes about four minutes, so it runs only when
// asked: go test ./monitor -run '^$' -bench Scheduler10k -benchtime 1x
func BenchmarkScheduler10k(b *testing.B) {
	b.Run("memory", func(b *testing.B) {
		benchScheduler(b, func(testing.TB) status.Store { return newFakeStore() })
	})
	b.Run("sqlite", func(b *testing.B) {
		benchScheduler(b, func(tb testing.TB) status.Store {
			db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), store.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(func() { db.Close() })
			return db
		})
	})
}

// dueRecorder remembers the due time of each claimed check, so probers can
// tell how late they started.
type dueRecorder struct {
	status.Store
	mu  sync.Mutex
	due map[string]time.Time
}

func (d *dueRecorder) ClaimDue(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]status.Due, error) {
	ds, err := d.Store.ClaimDue(ctx, owner, now, limit, lease)
	d.mu.Lock()
	for _, x := range ds {
		d.due[x.CheckID] = x.DueAt
	}
	d.mu.Unlock()
	return ds, err
}

func benchScheduler(b *testing.B, open func(testing.TB) status.Store) {
	const n, interval = 10_000, time.Minute
	for range b.N {
		st := &dueRecorder{Store: open(b), due: map[string]time.Time{}}
		var mu sync.Mutex
		late := make([]time.Duration, 0, n+n/10)
		newProber := func(c *status.Check) (monitor.Prober, error) {
			id := c.ID
			return proberFunc(func(context.Context) status.Result {
				now := time.Now()
				st.mu.Lock()
				due := st.due[id]
				st.mu.Unlock()
				mu.Lock()
				late = append(late, now.Sub(due))
				mu.Unlock()
				return status.Result{OK: true, Latency: time.Millisecond}
			}), nil
		}
		m := monitor.New(monitor.Options{
			Store: st, NewProber: newProber, Owner: "bench",
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		})
		// 100 components of 100 checks each, as a large installation has.
		p := plan()
		for i := range n {
			c := check(fmt.Sprintf("c%05d", i), interval)
			c.Component = fmt.Sprintf("svc-%02d", i%100)
			p.Checks = append(p.Checks, c)
		}
		for i := range 100 {
			p.Components = append(p.Components, status.Component{ID: fmt.Sprintf("svc-%02d", i), Name: fmt.Sprintf("Service %d", i), Owner: "core"})
		}
		ctx, cancel := context.WithCancel(context.Background())
		if err := m.SetPlan(ctx, p); err != nil {
			b.Fatal(err)
		}
		cpu0 := cpuTime()
		start := time.Now()
		done := make(chan error, 1)
		go func() { done <- m.Run(ctx) }()
		// The benchmark's whole point is real time passing: a first interval
		// (every check's first run and transition), then a steady one.
		time.Sleep(interval + time.Second)
		mu.Lock()
		firstRuns := len(late)
		mu.Unlock()
		cpu1, wall1 := cpuTime()-cpu0, time.Since(start)
		time.Sleep(interval)
		cancel()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		cpu := cpuTime() - cpu0 - cpu1
		wall := time.Since(start) - wall1

		mu.Lock()
		runs := len(late) - firstRuns
		slices.Sort(late)
		all := len(late)
		p50, p99, worst := late[all/2], late[all*99/100], late[all-1]
		mu.Unlock()
		b.Logf("first interval: %d runs, cpu %s in %s (%.1f%% of a core, %.0f µs/run)",
			firstRuns, cpu1, wall1, 100*cpu1.Seconds()/wall1.Seconds(), float64(cpu1.Microseconds())/float64(firstRuns))
		b.Logf("steady interval: %d runs, cpu %s in %s; lateness over both: p50 %s p99 %s max %s", runs, cpu, wall, p50, p99, worst)
		if firstRuns < n {
			b.Errorf("%d runs in the first interval, want every one of the %d checks", firstRuns, n)
		}
		b.ReportMetric(float64(runs), "runs")
		b.ReportMetric(float64(cpu.Microseconds())/float64(runs), "cpu-µs/run")
		b.ReportMetric(100*cpu.Seconds()/wall.Seconds(), "%cpu")
		b.ReportMetric(float64(p50.Microseconds())/1000, "p50-late-ms")
		b.ReportMetric(float64(p99.Microseconds())/1000, "p99-late-ms")
		b.ReportMetric(float64(worst.Microseconds())/1000, "max-late-ms")
	}
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
