package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// RunIncidents runs the contract of status.IncidentStore against a fresh
// store from open for each subtest.
func RunIncidents(t *testing.T, open func(t *testing.T) status.IncidentStore) {
	t0 := time.Date(2026, 11, 26, 21, 2, 0, 0, time.UTC)
	newIncident := func() (status.Incident, status.IncidentUpdate) {
		return status.Incident{Title: "Users missing", Status: status.Investigating, Impact: status.ImpactMajor, Automatic: true,
				Components: []status.AffectedComponent{{Component: "accounts", Status: status.PartialOutage}}, Customers: []string{"acme", "globex"},
				StartedAt: t0, CreatedAt: t0.Add(time.Minute)},
			status.IncidentUpdate{Body: "We are investigating failures of User accounts since 21:02 UTC.", Author: "safetynet"}
	}

	t.Run("create, update, resolve and audit", func(t *testing.T) {
		s := open(t)
		ctx := t.Context()
		inc, first := newIncident()
		created, err := s.CreateIncident(ctx, inc, first, "safetynet")
		if err != nil {
			t.Fatal(err)
		}
		if created.ID == 0 || len(created.Updates) != 1 || created.Updates[0].Status != status.Investigating {
			t.Fatalf("created = %+v", created)
		}
		if _, err := s.AddUpdate(ctx, created.ID, status.IncidentUpdate{Status: status.Identified, Body: "A clean-up script deleted accounts.", Author: "dana", Human: true, At: t0.Add(20 * time.Minute)}, "dana"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddUpdate(ctx, created.ID, status.IncidentUpdate{Status: status.Resolved, Body: "Accounts restored from backup.", Author: "dana", Human: true, At: t0.Add(50 * time.Minute)}, "dana"); err != nil {
			t.Fatal(err)
		}
		got, err := s.Incident(ctx, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != status.Resolved || got.ResolvedAt == nil || !got.ResolvedAt.Equal(t0.Add(50*time.Minute)) || len(got.Updates) != 3 || !got.Explained() {
			t.Errorf("incident = %+v", got)
		}
		if !got.StartedAt.Equal(t0) || got.StartedAt.Location() != time.UTC || strings.Join(got.Customers, ",") != "acme,globex" || got.Components[0].Status != status.PartialOutage {
			t.Errorf("fields did not round-trip: %+v", got)
		}
		audit, err := s.Audit(ctx, "incident", created.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, a := range audit {
			actions = append(actions, a.Action+"/"+a.Actor)
		}
		if strings.Join(actions, " ") != "create/safetynet update/dana update/dana" || audit[1].Before == "" || audit[1].After == "" {
			t.Errorf("audit = %v", audit)
		}
	})

	t.Run("edit keeps the old state in the audit trail", func(t *testing.T) {
		s := open(t)
		ctx := t.Context()
		inc, first := newIncident()
		created, err := s.CreateIncident(ctx, inc, first, "safetynet")
		if err != nil {
			t.Fatal(err)
		}
		created.Title, created.Public, created.Impact = "Some accounts missing", true, status.ImpactCritical
		if err := s.EditIncident(ctx, created, "lee"); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Incident(ctx, created.ID)
		if got.Title != "Some accounts missing" || !got.Public || got.Impact != status.ImpactCritical || len(got.Updates) != 1 {
			t.Errorf("edited = %+v", got)
		}
		audit, _ := s.Audit(ctx, "incident", created.ID)
		if len(audit) != 2 || !strings.Contains(audit[1].Before, "Users missing") || !strings.Contains(audit[1].After, "Some accounts missing") {
			t.Errorf("audit = %+v", audit)
		}
		bad := got
		bad.Impact = "catastrophic"
		if err := s.EditIncident(ctx, bad, "lee"); safetynet.ErrorCode(err) != safetynet.EINVALID {
			t.Errorf("bad edit: %v", err)
		}
	})

	t.Run("first acknowledgement wins", func(t *testing.T) {
		s := open(t)
		ctx := t.Context()
		inc, first := newIncident()
		created, _ := s.CreateIncident(ctx, inc, first, "safetynet")
		if err := s.AckIncident(ctx, created.ID, "dana", t0.Add(5*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := s.AckIncident(ctx, created.ID, "lee", t0.Add(9*time.Minute)); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Incident(ctx, created.ID)
		if got.AckedBy != "dana" || !got.AckedAt.Equal(t0.Add(5*time.Minute)) {
			t.Errorf("ack = %v %v", got.AckedBy, got.AckedAt)
		}
		if err := s.AckIncident(ctx, 9999, "dana", t0); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Errorf("ack of a missing incident: %v", err)
		}
	})

	t.Run("filters", func(t *testing.T) {
		s := open(t)
		ctx := t.Context()
		for i, title := range []string{"old resolved", "open internal", "open public"} {
			inc, first := newIncident()
			inc.Title, inc.StartedAt, inc.CreatedAt = title, t0.Add(time.Duration(i)*time.Hour), t0.Add(time.Duration(i)*time.Hour)
			inc.Public = i == 2
			if i == 0 {
				inc.Status, first.Status = status.Resolved, status.Resolved
				inc.Components = []status.AffectedComponent{{Component: "billing", Status: status.MajorOutage}}
			}
			if _, err := s.CreateIncident(ctx, inc, first, "safetynet"); err != nil {
				t.Fatal(err)
			}
		}
		titles := func(f status.IncidentFilter) string {
			incs, err := s.Incidents(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, i := range incs {
				out = append(out, i.Title)
			}
			return strings.Join(out, ",")
		}
		for _, tt := range []struct {
			f    status.IncidentFilter
			want string
		}{
			{status.IncidentFilter{}, "open public,open internal,old resolved"},
			{status.IncidentFilter{OpenOnly: true}, "open public,open internal"},
			{status.IncidentFilter{PublicOnly: true}, "open public"},
			{status.IncidentFilter{Component: "billing"}, "old resolved"},
			{status.IncidentFilter{Component: "accounts", Limit: 1, Offset: 1}, "open internal"},
		} {
			if got := titles(tt.f); got != tt.want {
				t.Errorf("%+v: %s, want %s", tt.f, got, tt.want)
			}
		}
	})

	t.Run("invalid input is refused", func(t *testing.T) {
		s := open(t)
		ctx := t.Context()
		inc, first := newIncident()
		inc.Title = " "
		if _, err := s.CreateIncident(ctx, inc, first, "x"); safetynet.ErrorCode(err) != safetynet.EINVALID {
			t.Errorf("no title: %v", err)
		}
		if _, err := s.AddUpdate(ctx, 12345, status.IncidentUpdate{Status: status.Monitoring, Body: "x"}, "x"); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Errorf("update of a missing incident: %v", err)
		}
		var e *safetynet.Error
		if _, err := s.Incident(ctx, 12345); !errors.As(err, &e) || e.Code != safetynet.ENOTFOUND {
			t.Errorf("missing incident: %v", err)
		}
	})

	t.Run("reports and known issues", func(t *testing.T) {
		s := open(t)
		ctx := t.Context()
		for _, c := range []string{"acme", "globex"} {
			if _, err := s.AddReport(ctx, status.CustomerReport{Customer: c, Component: "accounts", Text: "cannot log in", At: t0}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.AddReport(ctx, status.CustomerReport{Customer: "acme", Component: "accounts"}); safetynet.ErrorCode(err) != safetynet.EINVALID {
			t.Errorf("empty report: %v", err)
		}
		rs, err := s.Reports(ctx, "accounts", t0.Add(-time.Minute))
		if err != nil || len(rs) != 2 || rs[0].Customer != "acme" {
			t.Errorf("reports = %+v, %v", rs, err)
		}
		k, err := s.SaveKnownIssue(ctx, status.KnownIssue{Title: "Exports time out over 10k rows", Workaround: "export by month", Severity: status.ImpactMinor, Components: []string{"api"}, Public: true})
		if err != nil {
			t.Fatal(err)
		}
		fixed := t0
		k.ResolvedAt, k.FixedIn = &fixed, "v2.4.1"
		if _, err := s.SaveKnownIssue(ctx, k); err != nil {
			t.Fatal(err)
		}
		open, _ := s.KnownIssues(ctx, false)
		all, _ := s.KnownIssues(ctx, true)
		if len(open) != 0 || len(all) != 1 || all[0].FixedIn != "v2.4.1" || all[0].Components[0] != "api" {
			t.Errorf("known issues: open %+v all %+v", open, all)
		}
	})
	runSplit(t, open)
}
