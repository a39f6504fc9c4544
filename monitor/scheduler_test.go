package monitor_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/safetynet-dev/safetynet/monitor"
	"github.com/safetynet-dev/safetynet/status"
)

func TestChecksStaySpreadOverTheirInterval(t *testing.T) {
	h := newHarness(t, nil)
	var cs []status.Check
	for i := range 60 {
		cs = append(cs, check(fmt.Sprintf("c%02d", i), time.Minute))
	}
	h.setPlan(plan(cs...))
	start := h.clk.Now()
	h.start()
	h.run(3 * time.Minute)

	perSecond := map[int]int{}
	for _, c := range cs {
		rs := h.st.resultsOf(c.ID)
		if len(rs) != 3 {
			t.Fatalf("%s ran %d times in 3 minutes, want 3", c.ID, len(rs))
		}
		for i, r := range rs {
			if i > 0 && r.At.Sub(rs[i-1].At) != time.Minute {
				t.Errorf("%s: runs %s apart, want exactly the interval", c.ID, r.At.Sub(rs[i-1].At))
			}
			if r.Location != status.LocalLocation {
				t.Errorf("%s: location %q, want local", c.ID, r.Location)
			}
		}
		perSecond[int(rs[0].At.Sub(start)/time.Second)]++
	}
	// 60 checks hashed over 60 seconds: a burst would put most in one second.
	for sec, n := range perSecond {
		if n > 6 {
			t.Errorf("%d checks started in second %d of the interval; want them spread", n, sec)
		}
	}
	if len(perSecond) < 20 {
		t.Errorf("checks started in only %d distinct seconds of the interval", len(perSecond))
	}
}

func TestFarBehindSkipsAheadKeepingPhase(t *testing.T) {
	h := newHarness(t, nil)
	h.setPlan(plan(check("a", time.Minute)))
	h.start()
	h.run(time.Minute)
	first := h.st.resultsOf("a")
	if len(first) != 1 {
		t.Fatalf("ran %d times in the first minute, want 1", len(first))
	}
	h.stop()

	// The server was down for ten minutes: on restart the check runs once,
	// not ten times, and keeps its second within the minute.
	h.clk.Advance(10 * time.Minute)
	restart := h.clk.Now()
	h.restart(plan(check("a", time.Minute)))
	h.run(2 * time.Minute)
	rs := h.st.resultsOf("a")
	if len(rs) != 4 {
		t.Fatalf("runs %v; want the first, one overdue run at the restart, then two on schedule", times(rs))
	}
	if !rs[1].At.Equal(restart) {
		t.Errorf("overdue run at %s, want at the restart %s", rs[1].At.Format(time.TimeOnly), restart.Format(time.TimeOnly))
	}
	phase := first[0].At.Sub(first[0].At.Truncate(time.Minute))
	for _, r := range rs[2:] {
		if got := r.At.Sub(r.At.Truncate(time.Minute)); got != phase {
			t.Errorf("run at %s is off phase: %s into the minute, want %s", r.At.Format(time.TimeOnly), got, phase)
		}
	}
	if d := rs[2].At.Sub(rs[1].At); d <= 0 || d > time.Minute {
		t.Errorf("after the overdue run the next came %s later; want the next slot of its phase", d)
	}
}

func times(rs []status.Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.At.Format(time.TimeOnly))
	}
	return out
}

func TestConcurrencyIsBounded(t *testing.T) {
	release := make(chan struct{})
	h := newHarness(t, func(o *monitor.Options) { o.Concurrency = 3 })
	var cs []status.Check
	for i := range 10 {
		c := check(fmt.Sprintf("c%d", i), time.Minute)
		c.Timeout = time.Minute
		cs = append(cs, c)
		h.p.set(c.ID, func(context.Context) status.Result {
			<-release
			return status.Result{OK: true}
		})
	}
	h.setPlan(plan(cs...))
	h.start()
	h.clk.Advance(time.Minute) // all ten are due
	waitFor(t, "three probes running", func() bool {
		h.p.mu.Lock()
		defer h.p.mu.Unlock()
		return h.p.running == 3
	})
	close(release)
	now := h.clk.Now()
	waitFor(t, "all checks to run", func() bool { return h.st.settled(now) })
	for _, c := range cs {
		if n := h.p.count(c.ID); n != 1 {
			t.Errorf("%s ran %d times, want 1", c.ID, n)
		}
	}
	if h.p.maxRunning != 3 {
		t.Errorf("at most %d probes ran at once, want 3", h.p.maxRunning)
	}
}

func TestPerCheckTimeout(t *testing.T) {
	h := newHarness(t, nil)
	polite := check("polite", time.Minute)
	polite.Timeout = 50 * time.Millisecond
	stubborn := check("stubborn", time.Minute)
	stubborn.Timeout = 50 * time.Millisecond
	hang := make(chan struct{})
	defer close(hang)
	h.p.set("polite", func(ctx context.Context) status.Result {
		<-ctx.Done()
		return status.Result{Error: "timed out after 50ms (prober)"}
	})
	h.p.set("stubborn", func(context.Context) status.Result {
		<-hang // ignores its context
		return status.Result{OK: true}
	})
	h.setPlan(plan(polite, stubborn))
	h.start()
	h.step(time.Minute)
	waitFor(t, "results", func() bool { return len(h.st.resultsOf("polite")) == 1 && len(h.st.resultsOf("stubborn")) == 1 })
	if r := h.st.resultsOf("polite")[0]; r.OK || r.Error != "timed out after 50ms (prober)" {
		t.Errorf("polite prober: %+v, want its own timeout result", r)
	}
	if r := h.st.resultsOf("stubborn")[0]; r.OK || r.Error != "timed out after 50ms" {
		t.Errorf("prober ignoring its deadline: %+v, want the monitor's timeout", r)
	}
}

func TestRetriesBeforeFailing(t *testing.T) {
	h := newHarness(t, nil)
	flaky := check("flaky", time.Minute)
	flaky.Retries = 2
	dead := check("dead", time.Minute)
	dead.Retries = 1
	attempts := 0
	h.p.set("flaky", func(context.Context) status.Result {
		attempts++ // guarded: one probe of a check runs at a time
		if attempts <= 2 {
			return status.Result{Error: "connection reset"}
		}
		return status.Result{OK: true}
	})
	h.p.fail("dead", "connection refused")
	h.setPlan(plan(flaky, dead))
	h.start()
	h.step(time.Minute)
	waitFor(t, "results", func() bool { return len(h.st.resultsOf("flaky")) == 1 && len(h.st.resultsOf("dead")) == 1 })
	if r := h.st.resultsOf("flaky")[0]; !r.OK {
		t.Errorf("flaky check failed after its retries: %+v", r)
	}
	if n := h.p.count("flaky"); n != 3 {
		t.Errorf("flaky check probed %d times, want 3 (1 + 2 retries)", n)
	}
	if r := h.st.resultsOf("dead")[0]; r.OK || r.Error != "connection refused" {
		t.Errorf("dead check: %+v", r)
	}
	if n := h.p.count("dead"); n != 2 {
		t.Errorf("dead check probed %d times, want 2 (1 + 1 retry)", n)
	}
	if n := len(h.notes("check/flaky/")); n != 0 {
		t.Errorf("a check that passed on retry notified %d times", n)
	}
}

func TestSetPlanReschedulesOnlyTheChangedCheck(t *testing.T) {
	h := newHarness(t, nil)
	cs := []status.Check{check("a", time.Minute), check("b", time.Minute), check("c", time.Minute)}
	h.setPlan(plan(cs...))
	h.start()
	h.run(90 * time.Second)
	nextA, nextB := h.st.next("a"), h.st.next("b")

	changed := append([]status.Check(nil), cs...)
	changed[2].Target = "http://127.0.0.1/c-moved"
	runsC := h.p.count("c")
	h.setPlan(plan(changed...))
	if h.st.next("a") != nextA || h.st.next("b") != nextB {
		t.Errorf("unchanged checks were rescheduled")
	}
	// The changed check is due at once. The running scheduler may already
	// have taken it when the test looks (then it ran now and is due one
	// interval later); either way it runs at the current time.
	now := h.clk.Now()
	if got := h.st.next("c"); !got.Equal(now) && !(got.Equal(now.Add(time.Minute)) && h.p.count("c") == runsC+1) {
		t.Errorf("changed check next run %s after %d new runs, want now %s", got, h.p.count("c")-runsC, now)
	}
	h.step(time.Second)
	if n := h.p.count("c"); n != runsC+1 {
		t.Errorf("changed check ran %d times since the change, want once, at once", n-runsC)
	}
	for _, id := range []string{"a", "b"} {
		if n := h.p.builds(id); n != 1 {
			t.Errorf("prober of unchanged check %s built %d times, want 1", id, n)
		}
	}
	if n := h.p.builds("c"); n != 2 {
		t.Errorf("prober of changed check built %d times, want 2", n)
	}

	// A plan with a broken check is refused whole; the old one keeps running.
	bad := append([]status.Check(nil), changed...)
	bad[0].Spec = []byte(`{"broken": true}`)
	bad[1].Target = "http://127.0.0.1/b-moved"
	if err := h.m.SetPlan(context.Background(), plan(bad...)); err == nil || !strings.Contains(err.Error(), "check a") {
		t.Fatalf("SetPlan with a broken check: %v, want an error naming it", err)
	}
	if h.st.next("b") != nextB {
		t.Errorf("a refused plan changed check b")
	}
}

func TestRestartResumesFromStoredSchedule(t *testing.T) {
	h := newHarness(t, nil)
	p := plan(check("a", time.Minute))
	h.p.fail("a", "status 503, want 200")
	h.setPlan(p)
	h.start()
	h.run(time.Minute)
	down := len(h.notes("check/a/"))
	if down != 3 {
		t.Fatalf("%d down notifications, want 3 (slack, mail, pager)", down)
	}
	next := h.st.next("a")
	runs := h.p.count("a")
	h.stop()

	h.clk.Advance(10 * time.Second) // back before the next run
	h.restart(p)
	if n := h.p.count("a"); n != runs {
		t.Errorf("restart ran the check at once (%d runs, was %d)", n, runs)
	}
	if h.st.next("a") != next {
		t.Errorf("restart moved the next run from %s to %s", next, h.st.next("a"))
	}
	h.run(time.Minute)
	if n := h.p.count("a"); n != runs+1 {
		t.Errorf("%d runs after a minute, want %d", n, runs+1)
	}
	if n := len(h.notes("check/a/")); n != down {
		t.Errorf("restart repeated the down notification: %d entries, want %d", n, down)
	}
	h.p.ok("a")
	h.run(time.Minute)
	up := h.notes("check/a/local/up/")
	if len(up) != 2 {
		t.Fatalf("%d up notifications after the restart, want 2", len(up))
	}
	if !strings.Contains(up[0].Message.Text, "recovered after 2m0s down") {
		t.Errorf("recovery text %q does not say how long it was down", up[0].Message.Text)
	}
}

func TestShutdownFlushesResults(t *testing.T) {
	h := newHarness(t, func(o *monitor.Options) {
		o.FlushSize = 10_000
		o.FlushEvery = time.Hour
	})
	var cs []status.Check
	for i := range 20 {
		cs = append(cs, check(fmt.Sprintf("c%02d", i), time.Minute))
	}
	h.setPlan(plan(cs...))
	h.start()
	h.run(time.Minute)
	if n := len(h.st.resultsOf("")); n != 0 {
		t.Fatalf("%d results stored before the batch was due", n)
	}
	h.stop()
	if n := len(h.st.resultsOf("")); n != 20 {
		t.Errorf("%d results stored at shutdown, want 20", n)
	}
	if h.st.saveResultCalls != 1 {
		t.Errorf("results stored in %d batches, want 1", h.st.saveResultCalls)
	}
}

func TestBatchesAreWrittenOnTime(t *testing.T) {
	h := newHarness(t, func(o *monitor.Options) {
		o.FlushSize = 10_000
		o.FlushEvery = time.Second
	})
	h.setPlan(plan(check("a", time.Minute), check("b", time.Minute)))
	h.start()
	h.step(time.Minute)
	h.clk.Advance(time.Second)
	waitFor(t, "a timed flush", func() bool { return len(h.st.resultsOf("")) == 2 })
}

func TestShutdownWaitsForRunningProbes(t *testing.T) {
	h := newHarness(t, nil)
	c := check("slow", time.Minute)
	c.Timeout = time.Minute
	started, release := make(chan struct{}), make(chan struct{})
	h.p.set("slow", func(context.Context) status.Result {
		close(started)
		<-release
		return status.Result{OK: true}
	})
	h.setPlan(plan(c))
	h.start()
	h.clk.Advance(time.Minute)
	<-started
	h.cancel()
	select {
	case <-h.done:
		t.Fatal("Run returned while a probe was running")
	default:
	}
	close(release)
	if err := <-h.done; err != nil {
		t.Fatal(err)
	}
	h.cancel = nil
	if n := len(h.st.resultsOf("slow")); n != 1 {
		t.Errorf("the probe finishing during shutdown stored %d results, want 1", n)
	}
}

func TestFailedWritesAreRetried(t *testing.T) {
	h := newHarness(t, nil)
	h.st.mu.Lock()
	h.st.failSaves = true
	h.st.mu.Unlock()
	h.setPlan(plan(check("a", 10*time.Second)))
	h.start()
	h.run(30 * time.Second)
	if n := len(h.st.resultsOf("a")); n != 0 {
		t.Fatalf("%d results stored while the store refused writes", n)
	}
	h.st.mu.Lock()
	h.st.failSaves = false
	h.st.mu.Unlock()
	// The writer retries at its next flush; step the clock until it does.
	waitFor(t, "the kept results to be stored", func() bool {
		h.clk.Advance(time.Second)
		return len(h.st.resultsOf("a")) >= 3
	})
}

func TestPrometheusMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := newHarness(t, func(o *monitor.Options) { o.Registry = reg })
	h.p.fail("b", "connection refused")
	h.setPlan(plan(check("a", 10*time.Second), check("b", 10*time.Second)))
	h.start()
	h.run(20 * time.Second)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			name := mf.GetName()
			for _, l := range m.GetLabel() {
				name += "," + l.GetName() + "=" + l.GetValue()
			}
			switch {
			case m.Counter != nil:
				got[name] = m.Counter.GetValue()
			case m.Histogram != nil:
				got[name] = float64(m.Histogram.GetSampleCount())
			}
		}
	}
	for name, want := range map[string]float64{
		"safetynet_check_results_total,kind=http,outcome=ok":     2,
		"safetynet_check_results_total,kind=http,outcome=failed": 2,
		"safetynet_check_latency_seconds,kind=http":              4,
		"safetynet_scheduler_lag_seconds":                        4,
		"safetynet_notifications_enqueued_total":                 3,
	} {
		if got[name] != want {
			t.Errorf("%s = %v, want %v", name, got[name], want)
		}
	}
}
