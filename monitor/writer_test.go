package monitor_test

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/safetynet-dev/safetynet/monitor"
)

// TestWriteBacklogBound: while the store refuses writes the probes keep
// running and the writer keeps the newest results up to its bound,
// dropping the oldest with a count in safetynet_monitor_dropped_total;
// when writes work again what was kept is stored.
func TestWriteBacklogBound(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := newHarness(t, func(o *monitor.Options) { o.Registry = reg })
	monitor.SetWriteBacklog(h.m, 5)
	h.st.mu.Lock()
	h.st.failSaves = true
	h.st.mu.Unlock()
	h.setPlan(plan(check("a", time.Second)))
	h.start()
	h.run(30 * time.Second)
	if n := h.p.count("a"); n < 25 {
		t.Fatalf("the check ran %d times in 30s of failing writes, want it to keep running", n)
	}
	h.st.mu.Lock()
	h.st.failSaves = false
	h.st.mu.Unlock()
	start := h.clk.Now()
	waitFor(t, "the kept results to be stored", func() bool {
		h.clk.Advance(time.Second)
		return len(h.st.resultsOf("a")) >= 5
	})
	got := h.st.resultsOf("a")
	if len(got) > 5+int(h.clk.Now().Sub(start)/time.Second)+1 {
		t.Errorf("%d results stored, want at most the 5 kept plus those run since", len(got))
	}
	// The kept ones are the newest: none from the first ten seconds.
	for _, r := range got {
		if r.At.Before(start.Add(-10 * time.Second)) {
			t.Errorf("an old result (%s) was kept over newer ones", r.At)
		}
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	dropped := 0.0
	for _, mf := range mfs {
		if mf.GetName() == "safetynet_monitor_dropped_total" {
			for _, m := range mf.GetMetric() {
				dropped += m.GetCounter().GetValue()
			}
		}
	}
	if dropped < 20 {
		t.Errorf("safetynet_monitor_dropped_total = %v, want the dropped results counted (at least 20)", dropped)
	}
}
