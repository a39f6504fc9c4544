package status_test

import (
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

func TestNeedsIncident(t *testing.T) {
	web := status.Component{ID: "web", Name: "Web app", Customers: []string{"acme", "globex"}}
	single := status.Component{ID: "billing", Name: "Billing", Customers: []string{"acme"}}
	tests := []struct {
		name string
		a    status.Affected
		want bool
	}{
		{"one customer's failing check", status.Affected{Component: single, Status: status.PartialOutage, Customers: []string{"acme"}}, false},
		{"two customers through tags and reports", status.Affected{Component: single, Status: status.Degraded, Customers: []string{"acme", "initech", "acme"}}, true},
		{"outage of a component serving several", status.Affected{Component: web, Status: status.MajorOutage}, true},
		{"degraded component serving several is not enough", status.Affected{Component: web, Status: status.Degraded}, false},
		{"no customers known", status.Affected{Component: status.Component{ID: "x"}, Status: status.MajorOutage}, false},
	}
	for _, tt := range tests {
		got, customers := status.NeedsIncident(tt.a)
		if got != tt.want {
			t.Errorf("%s: %v (%v), want %v", tt.name, got, customers, tt.want)
		}
	}
	_, customers := status.NeedsIncident(status.Affected{Component: web, Status: status.MajorOutage, Customers: []string{"initech"}})
	if strings.Join(customers, ",") != "acme,globex,initech" {
		t.Errorf("customers = %v", customers)
	}
}

func TestDraftFirstUpdate(t *testing.T) {
	a := status.Affected{Component: status.Component{Name: "API"}, Status: status.MajorOutage,
		Since: time.Date(2026, 11, 26, 14, 2, 30, 0, time.UTC), Cause: "all checks failing (api-health)"}
	want := "We are investigating failures of API since 14:02 UTC. Our monitoring reports: all checks failing (api-health)."
	if got := status.DraftFirstUpdate(a); got != want {
		t.Errorf("got %q", got)
	}
}

func TestPageIndicator(t *testing.T) {
	ok := map[string]status.Status{"a": status.Operational, "b": status.Operational}
	if got := status.PageIndicator(ok, nil); got.Indicator != status.ImpactNone || got.Description != "All Systems Operational" {
		t.Errorf("all ok: %+v", got)
	}
	partial := map[string]status.Status{"a": status.PartialOutage, "b": status.UnderMaintenance}
	if got := status.PageIndicator(partial, nil); got.Indicator != status.ImpactMajor {
		t.Errorf("partial: %+v", got)
	}
	maint := map[string]status.Status{"a": status.UnderMaintenance}
	if got := status.PageIndicator(maint, nil); got.Description != "Service Under Maintenance" {
		t.Errorf("maintenance: %+v", got)
	}
	// A public incident counts even when components look fine; an internal
	// one does not.
	inc := []status.Incident{{Status: status.Identified, Impact: status.ImpactCritical, Public: true}, {Status: status.Investigating, Impact: status.ImpactCritical}}
	if got := status.PageIndicator(ok, inc[:1]); got.Indicator != status.ImpactCritical {
		t.Errorf("public incident: %+v", got)
	}
	if got := status.PageIndicator(ok, inc[1:]); got.Indicator != status.ImpactNone {
		t.Errorf("internal incident shown: %+v", got)
	}
}

func TestUptimeDays(t *testing.T) {
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	changes := []status.Change{
		{Component: "api", To: status.MajorOutage, At: day(25, 12)}, // out of order on purpose
		{Component: "api", To: status.Operational, At: day(24, 0)},
		{Component: "api", To: status.Operational, At: day(25, 18)},
		{Component: "api", To: status.Degraded, At: day(26, 6)},
	}
	days, total := status.UptimeDays(changes, 3, day(26, 12))
	if len(days) != 3 || !days[0].Date.Equal(day(24, 0)) {
		t.Fatalf("days = %+v", days)
	}
	if days[0].Worst != status.Operational || days[0].Uptime != 1 || !days[0].Known {
		t.Errorf("day 24 = %+v", days[0])
	}
	if days[1].Worst != status.MajorOutage || days[1].Uptime != 0.75 {
		t.Errorf("day 25 = %+v (6 hours down of 24)", days[1])
	}
	if days[2].Worst != status.Degraded || days[2].Uptime != 1 {
		t.Errorf("day 26 = %+v (degraded counts as up)", days[2])
	}
	// 6 hours down over 60 known hours.
	if want := 1 - 6.0/60; total < want-1e-9 || total > want+1e-9 {
		t.Errorf("total = %v, want %v", total, want)
	}
	days, total = status.UptimeDays(nil, 90, day(26, 12))
	if len(days) != 90 || days[89].Known || total != 1 {
		t.Errorf("no history: %d days, known=%v, total %v", len(days), days[89].Known, total)
	}
}

func TestTimeline(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2026, 11, 26, 21, m, 0, 0, time.UTC) }
	acked, resolved := at(20), at(50)
	inc := status.Incident{Title: "Users missing", CreatedAt: at(5), AckedAt: &acked, AckedBy: "dana", ResolvedAt: &resolved,
		Updates: []status.IncidentUpdate{{Status: status.Investigating, Body: "We are looking.\nMore.", At: at(6)}}}
	changes := []status.Change{{Component: "accounts", From: status.Operational, To: status.Degraded, At: at(2), Cause: "users fell"}}
	alerts := []status.Alert{{Summary: "users fell to 5%", Started: at(3)}}
	entries, detect, ack, resolve := status.Timeline(inc, changes, alerts)
	if detect != time.Minute || ack != 18*time.Minute || resolve != 48*time.Minute {
		t.Errorf("detect %v ack %v resolve %v", detect, ack, resolve)
	}
	var kinds []string
	for _, e := range entries {
		kinds = append(kinds, e.Kind)
	}
	if got := strings.Join(kinds, " "); got != "status alerted opened update acknowledged resolved" {
		t.Errorf("timeline = %s", got)
	}
	if entries[3].Text != "investigating: We are looking." {
		t.Errorf("update entry = %q", entries[3].Text)
	}
}
