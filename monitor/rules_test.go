package monitor_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// The outage this team remembers (PRODUCT.md 11): during a maintenance
// window a script deletes users at 21:00 while the health checks stay
// green. The anomaly alert goes out; the failure of a check of another
// component under the same window is silenced.
func TestMaintenanceSilencesProbeAlertsButNeverAnomalies(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	start := h.clk.Now() // 20:00
	webHealth := check("web-health", time.Minute)
	webHealth.Component = "web"
	p := plan(check("api-health", time.Minute), webHealth)
	p.MetricRules = []status.MetricRule{{
		ID: "users-drop", Component: "api", Metric: "users", Kind: "anomaly", Direction: "drop", Baseline: 2 * time.Hour,
	}}
	p.Maintenances = []status.Maintenance{{Title: "user cleanup", Components: []string{"api", "web"}, Start: start.Add(55 * time.Minute), End: start.Add(2 * time.Hour)}}
	h.setPlan(p)

	// Two hours of history around 1,000 users.
	var hist []status.Sample
	for i := 120; i > 0; i-- {
		hist = append(hist, status.Sample{Name: "users", Value: float64(1000 + i%7 - 3), At: start.Add(-time.Duration(i) * time.Minute)})
	}
	if err := h.m.Ingest(ctx, hist); err != nil {
		t.Fatal(err)
	}
	h.start()
	users := 1000.0
	minute := func() {
		h.step(time.Minute)
		now := h.clk.Now()
		if err := h.m.Ingest(ctx, []status.Sample{{Name: "users", Value: users + float64(now.Minute()%7-3), At: now}}); err != nil {
			t.Fatal(err)
		}
		h.m.Evaluate(ctx)
	}
	for range 60 { // 20:00 to 21:00: noise only
		minute()
	}
	if a := h.st.allAlerts(); len(a) != 0 {
		t.Fatalf("alerts before the drop: %+v", a)
	}
	if cs := h.changes("api"); len(cs) == 0 || cs[len(cs)-1].To != status.UnderMaintenance {
		t.Fatalf("component changes %+v, want under_maintenance once the window opened", cs)
	}

	// 21:00: the script deletes users; web's check fails too.
	users = 50
	h.p.fail("web-health", "status 500")
	for range 6 {
		minute()
	}
	var anomaly, checkAlert *status.Alert
	for _, a := range h.st.allAlerts() {
		switch a.Kind {
		case status.AlertAnomaly:
			anomaly = &a
		case status.AlertCheck:
			checkAlert = &a
		}
	}
	if checkAlert == nil || !checkAlert.Silenced {
		t.Errorf("check alert during maintenance: %+v, want silenced", checkAlert)
	}
	if anomaly == nil {
		t.Fatal("no anomaly alert for users falling to 5% during maintenance")
	}
	if anomaly.Silenced || anomaly.Subject != "users-drop users" || !strings.Contains(anomaly.Summary, "fell to 5%") {
		t.Errorf("anomaly alert %+v", anomaly)
	}
	notes := h.notes("anomaly/users-drop/users/")
	if got := notifiers(notes); !slices.Equal(got, []string{"mail", "slack"}) {
		t.Errorf("anomaly notified %v, want the team's mail and slack", got)
	}
	if len(notes) > 0 && notes[0].Message.Event != status.EventAnomaly {
		t.Errorf("anomaly notification event %s", notes[0].Message.Event)
	}
	if n := len(h.notes("check/")); n != 0 {
		t.Errorf("%d check notifications during maintenance, want none", n)
	}
	cs := h.changes("api")
	if last := cs[len(cs)-1]; last.To != status.Degraded || last.Cause != anomaly.Summary {
		t.Errorf("api's last change %+v, want degraded_performance caused by the anomaly", last)
	}

	// Evaluated again, the open alert is not notified again.
	minute()
	if n := len(h.notes("anomaly/")); n != 2 {
		t.Errorf("%d anomaly notifications after another evaluation, want still 2", n)
	}
}

func TestAnomalyAlertSetsComponentStatus(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	start := h.clk.Now()
	p := plan()
	p.MetricRules = []status.MetricRule{{
		ID: "signups", Component: "web", Metric: "signups", Kind: "threshold", Below: ptr(10), Status: status.PartialOutage,
	}}
	h.setPlan(p)
	if err := h.m.Ingest(ctx, []status.Sample{{Name: "signups", Value: 3, At: start, Tags: map[string]string{"customer": "acme"}}}); err != nil {
		t.Fatal(err)
	}
	h.m.Evaluate(ctx)
	open, _ := h.st.Alerts(ctx, status.AlertFilter{OpenOnly: true})
	if len(open) != 1 || open[0].Kind != status.AlertThreshold || open[0].Customer != "acme" || open[0].Status != status.PartialOutage {
		t.Fatalf("open alerts %+v, want one threshold alert for customer acme", open)
	}
	cs := h.changes("web")
	if len(cs) != 1 || cs[0].To != status.PartialOutage || cs[0].Cause != open[0].Summary {
		t.Errorf("web changes %+v, want partial_outage caused by the alert", cs)
	}
}

func ptr(f float64) *float64 { return &f }

func TestOutlierGroupNamesTheSlowMember(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	var cs []status.Check
	var slow atomic.Bool
	slow.Store(true)
	for i := range 5 {
		c := check(fmt.Sprintf("eu-%d", i), 30*time.Second)
		cs = append(cs, c)
		var n atomic.Int64
		h.p.set(c.ID, func(context.Context) status.Result {
			lat := time.Duration(40+n.Add(1)%5) * time.Millisecond
			if i == 3 && slow.Load() {
				lat *= 10
			}
			return status.Result{OK: true, Latency: lat}
		})
	}
	p := plan(cs...)
	p.OutlierGroups = []status.OutlierGroup{{ID: "eu-health", Component: "api", Checks: []string{"eu-0", "eu-1", "eu-2", "eu-3", "eu-4"}, Algorithm: "mad", Tolerance: 3, Pct: 50, Window: 10 * time.Minute}}
	h.setPlan(p)
	h.start()
	for range 20 {
		h.step(30 * time.Second)
	}
	waitFor(t, "results stored", func() bool { return len(h.st.resultsOf("eu-4")) >= 19 })
	h.m.Evaluate(ctx)
	open, _ := h.st.Alerts(ctx, status.AlertFilter{OpenOnly: true})
	if len(open) != 1 || open[0].Kind != status.AlertOutlier || open[0].Subject != "eu-health/eu-3" || !strings.Contains(open[0].Summary, "eu-3") {
		t.Fatalf("open alerts %+v, want one outlier alert naming eu-3", open)
	}
	if got := notifiers(h.notes("outlier/eu-health/eu-3/")); !slices.Equal(got, []string{"mail", "slack"}) {
		t.Errorf("outlier notified %v", got)
	}
	if s, _ := h.m.Snapshot(ctx); s.Components[0].Status != status.Degraded {
		t.Errorf("component status %s with an outlier, want degraded", s.Components[0].Status)
	}

	slow.Store(false)
	for range 22 {
		h.step(30 * time.Second)
	}
	waitFor(t, "results stored", func() bool { return len(h.st.resultsOf("eu-4")) >= 41 })
	h.m.Evaluate(ctx)
	if open, _ := h.st.Alerts(ctx, status.AlertFilter{OpenOnly: true}); len(open) != 0 {
		t.Errorf("outlier alert still open after the member recovered: %+v", open)
	}
}
