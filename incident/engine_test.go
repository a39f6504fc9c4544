package incident_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

type clock struct{ t time.Time }

func (c *clock) Now() time.Time          { return c.t }
func (c *clock) Advance(d time.Duration) { c.t = c.t.Add(d) }

func setup(t *testing.T) (*store.DB, *incident.Engine, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 26, 14, 2, 0, 0, time.UTC)}
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "s.db"), store.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	plan := status.Plan{
		Components: []status.Component{
			{ID: "api", Name: "API", Owner: "platform", Customers: []string{"acme", "globex"}},
			{ID: "billing", Name: "Billing", Owner: "platform", Customers: []string{"acme"}},
		},
		Teams: []status.Team{{Name: "platform", Notifiers: []string{"hook"}}},
	}
	e := &incident.Engine{Store: db, Policy: status.DefaultIncidentPolicy, Now: clk.Now, Plan: func() status.Plan { return plan }}
	return db, e, clk
}

func change(t *testing.T, db *store.DB, comp string, from, to status.Status, at time.Time) {
	t.Helper()
	if _, err := db.RecordChange(t.Context(), status.Change{Component: comp, From: from, To: to, At: at, Cause: "all checks failing (api-health)"}); err != nil {
		t.Fatal(err)
	}
}

func tick(t *testing.T, e *incident.Engine) {
	t.Helper()
	if err := e.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func incidents(t *testing.T, db *store.DB) []status.Incident {
	t.Helper()
	incs, err := db.Incidents(t.Context(), status.IncidentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return incs
}

func notifications(t *testing.T, db *store.DB, clk *clock) []string {
	t.Helper()
	ns, err := db.ClaimNotifications(t.Context(), "test", clk.t.Add(time.Hour), 100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range ns {
		out = append(out, string(n.Message.Event))
		_ = db.MarkDelivered(t.Context(), n.ID, clk.t)
	}
	return out
}

// An outage of a component that serves two customers opens an incident by
// itself, posts it after the minimum time, escalates while nobody explains,
// and resolves after recovery and a quiet period.
func TestAutomaticIncidentLifecycle(t *testing.T) {
	db, e, clk := setup(t)
	start := clk.t
	change(t, db, "api", status.Operational, status.MajorOutage, start)
	tick(t, e)
	incs := incidents(t, db)
	if len(incs) != 1 {
		t.Fatalf("incidents = %+v", incs)
	}
	inc := incs[0]
	if !inc.Automatic || inc.Public || inc.Impact != status.ImpactCritical || strings.Join(inc.Customers, ",") != "acme,globex" {
		t.Errorf("incident = %+v", inc)
	}
	if want := "We are investigating failures of API since 14:02 UTC. Our monitoring reports: all checks failing (api-health)."; inc.Updates[0].Body != want {
		t.Errorf("first update = %q", inc.Updates[0].Body)
	}

	// A blip stays internal: not posted before the minimum time.
	clk.Advance(2 * time.Minute)
	tick(t, e)
	if incidents(t, db)[0].Public {
		t.Fatal("posted before the minimum duration")
	}
	clk.Advance(90 * time.Second)
	tick(t, e)
	if !incidents(t, db)[0].Public {
		t.Fatal("not posted after the minimum duration")
	}
	if got := notifications(t, db, clk); strings.Join(got, ",") != "incident" {
		t.Errorf("notifications after posting = %v", got)
	}

	// Red for 10 minutes with no human-written update: the team is told once.
	clk.Advance(7 * time.Minute)
	tick(t, e)
	tick(t, e)
	if got := notifications(t, db, clk); strings.Join(got, ",") != "escalate" {
		t.Errorf("notifications after 10 minutes = %v", got)
	}

	// Recovery: a monitoring update, then resolution after the quiet period.
	change(t, db, "api", status.MajorOutage, status.Operational, clk.t)
	clk.Advance(time.Second)
	tick(t, e)
	if st := incidents(t, db)[0].Status; st != status.Monitoring {
		t.Fatalf("status after recovery = %s", st)
	}
	clk.Advance(5 * time.Minute)
	tick(t, e)
	if st := incidents(t, db)[0].Status; st != status.Monitoring {
		t.Fatalf("resolved before the quiet period: %s", st)
	}
	clk.Advance(6 * time.Minute)
	tick(t, e)
	inc = incidents(t, db)[0]
	if inc.Status != status.Resolved || len(inc.Updates) != 3 {
		t.Fatalf("incident after quiet period = %+v", inc)
	}
	// Nobody wrote about it: it waits for an explanation.
	need, err := incident.NeedsExplanation(t.Context(), db, start.Add(-time.Hour))
	if err != nil || len(need) != 1 {
		t.Errorf("needs explanation = %v, %v", need, err)
	}
}

func TestOneCustomerIsNotAnIncident(t *testing.T) {
	db, e, clk := setup(t)
	change(t, db, "billing", status.Operational, status.MajorOutage, clk.t)
	tick(t, e)
	if n := len(incidents(t, db)); n != 0 {
		t.Fatalf("%d incidents for a component serving one customer", n)
	}
}

func TestReportsFromTwoCustomers(t *testing.T) {
	db, e, clk := setup(t)
	for _, c := range []string{"acme", "initech"} {
		if _, err := db.AddReport(t.Context(), status.CustomerReport{Customer: c, Component: "billing", Text: "invoices fail", At: clk.t}); err != nil {
			t.Fatal(err)
		}
	}
	tick(t, e)
	incs := incidents(t, db)
	if len(incs) != 1 || strings.Join(incs[0].Customers, ",") != "acme,initech" || !strings.Contains(incs[0].Title, "Billing") {
		t.Fatalf("incidents = %+v", incs)
	}
}

func TestHumanUpdateStopsEscalation(t *testing.T) {
	db, e, clk := setup(t)
	change(t, db, "api", status.Operational, status.PartialOutage, clk.t)
	tick(t, e)
	inc := incidents(t, db)[0]
	if _, err := db.AddUpdate(t.Context(), inc.ID, status.IncidentUpdate{Status: status.Identified, Body: "A bad deploy; rolling back.", Author: "dana", Human: true, At: clk.t.Add(time.Minute)}, "dana"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(15 * time.Minute)
	tick(t, e)
	for _, ev := range notifications(t, db, clk) {
		if ev == "escalate" {
			t.Error("escalated although a person explained the incident")
		}
	}
}

// byID returns an incident from the store.
func byID(t *testing.T, db *store.DB, id int64) status.Incident {
	t.Helper()
	inc, err := db.Incident(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

// After people split an automatic incident, the engine handles both
// halves on their own: it opens no third incident, moves nothing back,
// and resolves each when its components recover.
func TestSplitIncidentsAreHandledSeparately(t *testing.T) {
	db, e, clk := setup(t)
	start := clk.t
	change(t, db, "api", status.Operational, status.MajorOutage, start)
	change(t, db, "billing", status.Operational, status.MajorOutage, start)
	tick(t, e)
	incs := incidents(t, db)
	if len(incs) != 1 {
		t.Fatalf("incidents = %+v", incs)
	}
	// People say the billing failure is part of it, then that it is not.
	orig := incs[0]
	orig.Components = append(orig.Components, status.AffectedComponent{Component: "billing", Status: status.MajorOutage})
	if err := db.EditIncident(t.Context(), orig, "dana"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	kept, split, err := db.SplitIncident(t.Context(), orig.ID, status.IncidentSplit{Title: "Billing: outage", Components: []string{"billing"}}, "dana")
	if err != nil {
		t.Fatal(err)
	}
	if !split.Automatic || !split.StartedAt.Equal(start) || len(kept.Components) != 1 {
		t.Fatalf("split = %+v, kept = %+v", split, kept)
	}

	clk.Advance(3 * time.Minute)
	tick(t, e)
	tick(t, e)
	if n := len(incidents(t, db)); n != 2 {
		t.Fatalf("%d incidents after the split, want 2", n)
	}
	if a, b := byID(t, db, orig.ID), byID(t, db, split.ID); len(a.Components) != 1 || a.Components[0].Component != "api" ||
		len(b.Components) != 1 || b.Components[0].Component != "billing" || !a.Public || !b.Public {
		t.Fatalf("after ticks: original %+v, split %+v; want each posted with its own component", a, b)
	}

	// Billing recovers: only its incident moves on.
	change(t, db, "billing", status.MajorOutage, status.Operational, clk.t)
	clk.Advance(time.Second)
	tick(t, e)
	if a, b := byID(t, db, orig.ID), byID(t, db, split.ID); a.Status != status.Investigating || b.Status != status.Monitoring {
		t.Fatalf("after billing recovered: original %s, split %s", a.Status, b.Status)
	}
	clk.Advance(11 * time.Minute)
	tick(t, e)
	if a, b := byID(t, db, orig.ID), byID(t, db, split.ID); a.Status != status.Investigating || b.Status != status.Resolved {
		t.Fatalf("after the quiet period: original %s, split %s", a.Status, b.Status)
	}

	// API recovers: the original resolves too, and nothing new opened.
	change(t, db, "api", status.MajorOutage, status.Operational, clk.t)
	clk.Advance(time.Second)
	tick(t, e)
	clk.Advance(11 * time.Minute)
	tick(t, e)
	if a := byID(t, db, orig.ID); a.Status != status.Resolved {
		t.Fatalf("original after API recovered: %s", a.Status)
	}
	if n := len(incidents(t, db)); n != 2 {
		t.Errorf("%d incidents at the end, want 2", n)
	}
}

// Split by customers, both incidents cover the same component; each is
// still resolved when it recovers.
func TestSplitByCustomersResolvesBoth(t *testing.T) {
	db, e, clk := setup(t)
	change(t, db, "api", status.Operational, status.MajorOutage, clk.t)
	tick(t, e)
	orig := incidents(t, db)[0]
	_, split, err := db.SplitIncident(t.Context(), orig.ID, status.IncidentSplit{Title: "API: outage for Globex", Customers: []string{"globex"}}, "dana")
	if err != nil {
		t.Fatal(err)
	}
	if len(split.Components) != 1 || split.Components[0].Component != "api" || strings.Join(split.Customers, ",") != "globex" {
		t.Fatalf("split = %+v", split)
	}
	clk.Advance(4 * time.Minute)
	tick(t, e)
	change(t, db, "api", status.MajorOutage, status.Operational, clk.t)
	clk.Advance(time.Second)
	tick(t, e)
	clk.Advance(11 * time.Minute)
	tick(t, e)
	for _, id := range []int64{orig.ID, split.ID} {
		if inc := byID(t, db, id); inc.Status != status.Resolved {
			t.Errorf("incident %d is %s after recovery, want resolved", id, inc.Status)
		}
	}
	if n := len(incidents(t, db)); n != 2 {
		t.Errorf("%d incidents, want 2", n)
	}
}
