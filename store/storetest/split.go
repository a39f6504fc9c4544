package storetest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// auditFeed is the store's list of changes to every object of a kind
// (store.DB.AuditSince), which the incident engine follows.
type auditFeed interface {
	AuditSince(ctx context.Context, entity string, since time.Time, limit int) ([]status.AuditEntry, error)
}

// alertLookup opens alerts and finds one by ID (store.DB.Alert), which
// the acknowledgement page uses.
type alertLookup interface {
	OpenAlert(ctx context.Context, a status.Alert) (status.Alert, bool, error)
	Alert(ctx context.Context, id int64) (status.Alert, error)
	AckAlert(ctx context.Context, id int64, by string, at time.Time) error
}

// runSplit checks splitting incidents (status.IncidentSplitter) and the
// audit feed, on stores that have them.
func runSplit(t *testing.T, open func(t *testing.T) status.IncidentStore) {
	t0 := time.Date(2026, 11, 26, 21, 2, 0, 0, time.UTC)
	newIncident := func(t *testing.T, s status.IncidentStore) status.Incident {
		t.Helper()
		inc, err := s.CreateIncident(t.Context(), status.Incident{Title: "Accounts and billing down", Status: status.Identified, Impact: status.ImpactMajor,
			Automatic: true, Public: true, StartedAt: t0, CreatedAt: t0.Add(time.Minute),
			Components: []status.AffectedComponent{{Component: "accounts", Status: status.MajorOutage}, {Component: "billing", Status: status.PartialOutage}},
			Customers:  []string{"acme", "globex", "initech"}},
			status.IncidentUpdate{Body: "A bad migration.", Author: "dana", Human: true, At: t0.Add(2 * time.Minute)}, "dana")
		if err != nil {
			t.Fatal(err)
		}
		return inc
	}

	t.Run("split moves components and customers and audits both", func(t *testing.T) {
		s := open(t)
		sr, ok := s.(status.IncidentSplitter)
		if !ok {
			t.Skip("the store does not split incidents")
		}
		ctx := t.Context()
		orig := newIncident(t, s)
		kept, split, err := sr.SplitIncident(ctx, orig.ID, status.IncidentSplit{Title: "Billing slow", Components: []string{"billing"}, Customers: []string{"globex"}}, "sam")
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Incident(ctx, split.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != split.ID || got.Title != "Billing slow" || got.Status != status.Identified || !got.Automatic || !got.Public || !got.StartedAt.Equal(t0) ||
			len(got.Components) != 1 || got.Components[0] != (status.AffectedComponent{Component: "billing", Status: status.PartialOutage}) ||
			strings.Join(got.Customers, ",") != "globex" || got.ResolvedAt != nil || got.MergedInto != 0 {
			t.Errorf("new incident = %+v", got)
		}
		if len(got.Updates) != 1 || got.Updates[0].Body != "A bad migration." || !got.Updates[0].Human || got.Updates[0].Status != status.Identified {
			t.Errorf("new incident's updates = %+v, want the original's explanation", got.Updates)
		}
		o, err := s.Incident(ctx, orig.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(o.Components) != 1 || o.Components[0].Component != "accounts" || strings.Join(o.Customers, ",") != "acme,initech" || len(o.Updates) != 1 {
			t.Errorf("original after split = %+v", o)
		}
		if len(kept.Components) != 1 || kept.ID != orig.ID {
			t.Errorf("kept = %+v", kept)
		}
		for id, other := range map[int64]int64{orig.ID: split.ID, split.ID: orig.ID} {
			audit, err := s.Audit(ctx, "incident", id)
			if err != nil {
				t.Fatal(err)
			}
			last := audit[len(audit)-1]
			var rec struct {
				From int64 `json:"split_from"`
				Into int64 `json:"split_into"`
			}
			if err := json.Unmarshal([]byte(last.After), &rec); err != nil || last.Action != "split" || last.Actor != "sam" {
				t.Fatalf("incident %d audit ends with %+v (%v)", id, last, err)
			}
			if rec.From != orig.ID || rec.Into != split.ID {
				t.Errorf("incident %d (split with %d) has record %+v, want from %d into %d", id, other, rec, orig.ID, split.ID)
			}
		}
	})

	t.Run("split refuses what is not a split", func(t *testing.T) {
		s := open(t)
		sr, ok := s.(status.IncidentSplitter)
		if !ok {
			t.Skip("the store does not split incidents")
		}
		ctx := t.Context()
		orig := newIncident(t, s)
		for _, sp := range []status.IncidentSplit{
			{Title: "x"},
			{Title: " ", Components: []string{"billing"}},
			{Title: "x", Components: []string{"accounts", "billing"}},
			{Title: "x", Components: []string{"search"}},
			{Title: "x", Customers: []string{"umbrella"}},
		} {
			if _, _, err := sr.SplitIncident(ctx, orig.ID, sp, "sam"); safetynet.ErrorCode(err) != safetynet.EINVALID {
				t.Errorf("split %+v: err = %v, want invalid", sp, err)
			}
		}
		if _, _, err := sr.SplitIncident(ctx, orig.ID+100, status.IncidentSplit{Title: "x", Components: []string{"billing"}}, "sam"); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Errorf("split of a missing incident: err = %v, want not found", err)
		}
		if all, err := s.Incidents(ctx, status.IncidentFilter{}); err != nil || len(all) != 1 || len(all[0].Components) != 2 {
			t.Errorf("refused splits changed the store: %+v, %v", all, err)
		}
	})

	t.Run("alert by ID", func(t *testing.T) {
		s := open(t)
		al, ok := s.(alertLookup)
		if !ok {
			t.Skip("the store has no alert lookup")
		}
		ctx := t.Context()
		a, _, err := al.OpenAlert(ctx, status.Alert{Kind: status.AlertCheck, Component: "accounts", Subject: "accounts-health", Summary: "accounts-health is down", Started: t0})
		if err != nil {
			t.Fatal(err)
		}
		if err := al.AckAlert(ctx, a.ID, "robin", t0.Add(3*time.Minute)); err != nil {
			t.Fatal(err)
		}
		got, err := al.Alert(ctx, a.ID)
		if err != nil || got.Summary != "accounts-health is down" || got.AckedBy != "robin" || got.AckedAt == nil || !got.AckedAt.Equal(t0.Add(3*time.Minute)) || !got.Started.Equal(t0) {
			t.Errorf("alert = %+v, %v", got, err)
		}
		if _, err := al.Alert(ctx, a.ID+1); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Errorf("missing alert: err = %v, want not found", err)
		}
	})

	t.Run("audit feed lists changes of a kind since a time", func(t *testing.T) {
		s := open(t)
		feed, ok := s.(auditFeed)
		if !ok {
			t.Skip("the store has no audit feed")
		}
		ctx := t.Context()
		a := newIncident(t, s)
		if _, err := s.AddUpdate(ctx, a.ID, status.IncidentUpdate{Status: status.Monitoring, Body: "Fixed.", Author: "dana", Human: true, At: t0.Add(time.Hour)}, "dana"); err != nil {
			t.Fatal(err)
		}
		all, err := feed.AuditSince(ctx, "incident", t0.Add(-time.Hour), 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 || all[0].Action != "create" || all[1].Action != "update" || !all[1].At.Equal(t0.Add(time.Hour)) {
			t.Fatalf("feed = %+v", all)
		}
		later, err := feed.AuditSince(ctx, "incident", t0.Add(30*time.Minute), 0)
		if err != nil || len(later) != 1 || later[0].ID != all[1].ID {
			t.Errorf("feed since 30 minutes = %+v, %v", later, err)
		}
		if one, err := feed.AuditSince(ctx, "incident", t0.Add(-time.Hour), 1); err != nil || len(one) != 1 || one[0].ID != all[0].ID {
			t.Errorf("feed limited to one = %+v, %v", one, err)
		}
		if none, err := feed.AuditSince(ctx, "postmortem", t0.Add(-time.Hour), 0); err != nil || len(none) != 0 {
			t.Errorf("feed of another kind = %+v, %v", none, err)
		}
	})
}
