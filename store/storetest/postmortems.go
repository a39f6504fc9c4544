package storetest

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// PostmortemBackend is a store that keeps incidents and their postmortems.
type PostmortemBackend interface {
	status.IncidentStore
	status.PostmortemStore
}

// RunPostmortems runs the contract of status.PostmortemStore against a
// fresh store from open for each subtest.
func RunPostmortems(t *testing.T, open func(t *testing.T) PostmortemBackend) {
	t0 := time.Date(2026, 11, 26, 21, 2, 0, 0, time.UTC)
	newIncident := func(t *testing.T, s PostmortemBackend) status.Incident {
		t.Helper()
		inc, err := s.CreateIncident(t.Context(), status.Incident{Title: "Users missing", Status: status.Resolved, Impact: status.ImpactMajor,
			Components: []status.AffectedComponent{{Component: "accounts", Status: status.PartialOutage}}, StartedAt: t0, CreatedAt: t0.Add(time.Minute)},
			status.IncidentUpdate{Body: "Resolved.", Author: "safetynet", At: t0.Add(time.Hour)}, "safetynet")
		must(t, err)
		return inc
	}
	draft := func(id int64) status.PostmortemRecord {
		return status.PostmortemRecord{
			Postmortem: status.Postmortem{IncidentID: id, Apology: "We are sorry.", Summary: "Accounts went missing.",
				Timeline: []status.TimelineEntry{
					{At: t0.In(elsewhere), Kind: "status", Text: "accounts went from operational to partial outage"},
					{At: t0.Add(time.Hour), Kind: "resolved", Text: "incident resolved"},
				}},
			Times: status.Durations{Detect: 90 * time.Second, Ack: 5 * time.Minute, Resolve: time.Hour},
		}
	}
	item := func(title string, kind status.ActionKind, due time.Time) status.ActionItem {
		return status.ActionItem{Title: title, Kind: kind, Team: "platform", Due: due}
	}

	t.Run("create round-trips and is internal", func(t *testing.T) {
		s := open(t)
		ctx := t.Context()
		inc := newIncident(t, s)
		created, err := s.CreatePostmortem(ctx, draft(inc.ID), "safetynet")
		must(t, err)
		if created.Published || created.PublishedAt != nil || created.CreatedAt.IsZero() {
			t.Fatalf("created = %+v, want an internal draft with a creation time", created)
		}
		got, err := s.Postmortem(ctx, inc.ID)
		must(t, err)
		if got.Apology != "We are sorry." || got.Summary != "Accounts went missing." || got.Times != (status.Durations{Detect: 90 * time.Second, Ack: 5 * time.Minute, Resolve: time.Hour}) {
			t.Errorf("postmortem = %+v", got)
		}
		if len(got.Timeline) != 2 || !got.Timeline[0].At.Equal(t0) || got.Timeline[0].At.Location() != time.UTC || got.Timeline[1].Kind != "resolved" {
			t.Errorf("timeline = %+v, want both entries in UTC", got.Timeline)
		}
		if got.Published || got.PublishedAt != nil || len(got.Actions) != 0 {
			t.Errorf("a new postmortem is internal and has no action items: %+v", got)
		}
		// A second draft never replaces the first.
		again := draft(inc.ID)
		again.Apology = "Another draft."
		if _, err := s.CreatePostmortem(ctx, again, "safetynet"); safetynet.ErrorCode(err) != safetynet.ECONFLICT {
			t.Fatalf("second create: err = %v, want %s", err, safetynet.ECONFLICT)
		}
		if got, _ := s.Postmortem(ctx, inc.ID); got.Apology != "We are sorry." {
			t.Errorf("a conflicting create changed the postmortem: %q", got.Apology)
		}
	})

	t.Run("concurrent drafts: one wins", func(t *testing.T) {
		s := open(t)
		inc := newIncident(t, s)
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			wg.Go(func() {
				_, err := s.CreatePostmortem(t.Context(), draft(inc.ID), "safetynet")
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		won := 0
		for err := range errs {
			switch {
			case err == nil:
				won++
			case safetynet.ErrorCode(err) != safetynet.ECONFLICT:
				t.Errorf("concurrent create: err = %v, want nil or %s", err, safetynet.ECONFLICT)
			}
		}
		if won != 1 {
			t.Errorf("%d concurrent creates succeeded, want 1", won)
		}
	})

	t.Run("missing incident or postmortem", func(t *testing.T) {
		s := open(t)
		ctx := t.Context()
		if _, err := s.Postmortem(ctx, 42); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Errorf("Postmortem(42): err = %v, want %s", err, safetynet.ENOTFOUND)
		}
		if _, err := s.CreatePostmortem(ctx, draft(42), "dana"); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Errorf("create for no incident: err = %v, want %s", err, safetynet.ENOTFOUND)
		}
		if _, err := s.SavePostmortem(ctx, draft(42), "dana"); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Errorf("save for no incident: err = %v, want %s", err, safetynet.ENOTFOUND)
		}
		inc := newIncident(t, s)
		if _, err := s.SaveActionItem(ctx, inc.ID, item("Alert on deletes", status.ActionMonitoring, t0), "dana"); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Errorf("action item without a postmortem: err = %v, want %s", err, safetynet.ENOTFOUND)
		}
		if _, err := s.SavePostmortem(ctx, draft(0), "dana"); safetynet.ErrorCode(err) != safetynet.EINVALID {
			t.Errorf("postmortem without an incident ID: err = %v, want %s", err, safetynet.EINVALID)
		}
	})

	t.Run("publish is deliberate and audited", func(t *testing.T) {
		s := open(t)
		ctx := t.Context()
		a, b := newIncident(t, s), newIncident(t, s)
		must(t, err2(s.CreatePostmortem(ctx, draft(a.ID), "safetynet")))
		// SavePostmortem also creates.
		must(t, err2(s.SavePostmortem(ctx, draft(b.ID), "lee")))

		pm := draft(a.ID)
		pm.Summary, pm.Published = "A clean-up script deleted accounts.", true
		saved, err := s.SavePostmortem(ctx, pm, "dana")
		must(t, err)
		if saved.PublishedAt == nil {
			t.Fatalf("publishing set no time: %+v", saved)
		}
		first := *saved.PublishedAt
		// Editing a published postmortem keeps its publication date.
		pm.Apology = "We are very sorry."
		saved, err = s.SavePostmortem(ctx, pm, "dana")
		must(t, err)
		if saved.PublishedAt == nil || !saved.PublishedAt.Equal(first) {
			t.Errorf("republished at %v, want the first date %v", saved.PublishedAt, first)
		}
		// An explicit date is kept as given.
		when := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC) // before the other
		bp := draft(b.ID)
		bp.Published, bp.PublishedAt = true, &when
		must(t, err2(s.SavePostmortem(ctx, bp, "lee")))

		got, err := s.Postmortem(ctx, a.ID)
		must(t, err)
		if !got.Published || got.Summary != "A clean-up script deleted accounts." || got.Apology != "We are very sorry." {
			t.Errorf("saved = %+v", got)
		}
		pub, err := s.Postmortems(ctx, true)
		must(t, err)
		if ids := pmIDs(pub); ids != fmt.Sprint([]int64{a.ID, b.ID}) {
			t.Fatalf("published = %v, want both, latest publication first", ids)
		}
		if !pub[1].PublishedAt.Equal(when) {
			t.Errorf("explicit publication date = %v, want %v", pub[1].PublishedAt, when)
		}
		// Unpublishing takes it off the list and clears the date.
		pm.Published = false
		must(t, err2(s.SavePostmortem(ctx, pm, "dana")))
		pub, err = s.Postmortems(ctx, true)
		must(t, err)
		if pmIDs(pub) != fmt.Sprint([]int64{b.ID}) {
			t.Errorf("published after unpublishing = %v, want only %d", pmIDs(pub), b.ID)
		}
		all, err := s.Postmortems(ctx, false)
		must(t, err)
		if len(all) != 2 {
			t.Errorf("all = %v, want both", pmIDs(all))
		}
		if got, _ := s.Postmortem(ctx, a.ID); got.PublishedAt != nil {
			t.Errorf("unpublished postmortem keeps a date: %v", got.PublishedAt)
		}
		audit, err := s.Audit(ctx, "postmortem", a.ID)
		must(t, err)
		var actions []string
		for _, e := range audit {
			actions = append(actions, e.Action+"/"+e.Actor)
		}
		if strings.Join(actions, " ") != "create/safetynet publish/dana edit/dana unpublish/dana" {
			t.Errorf("audit = %v", actions)
		}
	})

	t.Run("action items", func(t *testing.T) {
		s := open(t)
		ctx := t.Context()
		a, b := newIncident(t, s), newIncident(t, s)
		must(t, err2(s.CreatePostmortem(ctx, draft(a.ID), "safetynet")))
		must(t, err2(s.CreatePostmortem(ctx, draft(b.ID), "safetynet")))
		due := t0.Add(14 * 24 * time.Hour).In(elsewhere)
		x, err := s.SaveActionItem(ctx, a.ID, item("Dry-run mode for clean-up scripts", status.ActionProcess, due), "dana")
		must(t, err)
		if x.ID == 0 || x.Status != status.ActionOpen {
			t.Fatalf("saved item = %+v, want an ID and status open", x)
		}
		y, err := s.SaveActionItem(ctx, a.ID, item("Alert when accounts drop", status.ActionMonitoring, due.Add(-7*24*time.Hour)), "dana")
		must(t, err)
		z, err := s.SaveActionItem(ctx, b.ID, item("Restore test", status.ActionTests, due.Add(time.Hour)), "lee")
		must(t, err)

		items, err := s.ActionItems(ctx, a.ID)
		must(t, err)
		if len(items) != 2 || items[0].ID != x.ID || items[1].ID != y.ID || items[0].IncidentID != a.ID {
			t.Fatalf("items of %d = %+v, want x then y", a.ID, items)
		}
		if !items[0].Due.Equal(due) || items[0].Due.Location() != time.UTC || items[0].Team != "platform" || items[0].Kind != status.ActionProcess {
			t.Errorf("item did not round-trip: %+v", items[0])
		}
		got, err := s.Postmortem(ctx, a.ID)
		must(t, err)
		if len(got.Actions) != 2 || got.Actions[1].Title != "Alert when accounts drop" {
			t.Errorf("postmortem actions = %+v", got.Actions)
		}

		// Done items leave the backlog; the rest come soonest due first.
		y.Status = status.ActionDone
		must(t, err2(s.SaveActionItem(ctx, a.ID, y, "dana")))
		x.Status = status.ActionInProgress
		must(t, err2(s.SaveActionItem(ctx, a.ID, x, "dana")))
		open, err := s.ActionItems(ctx, 0)
		must(t, err)
		var got2 []string
		for _, it := range open {
			got2 = append(got2, fmt.Sprintf("%d/%d/%s", it.IncidentID, it.ID, it.Status))
		}
		want := []string{fmt.Sprintf("%d/%d/in_progress", a.ID, x.ID), fmt.Sprintf("%d/%d/open", b.ID, z.ID)}
		if fmt.Sprint(got2) != fmt.Sprint(want) {
			t.Errorf("open items = %v, want %v", got2, want)
		}

		// An item belongs to its postmortem: saving it under another fails.
		if _, err := s.SaveActionItem(ctx, b.ID, x, "lee"); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Errorf("item %d under incident %d: err = %v, want %s", x.ID, b.ID, err, safetynet.ENOTFOUND)
		}
		for _, bad := range []status.ActionItem{
			{Kind: status.ActionTests, Team: "platform", Due: due},
			{Title: "Fire Bob", Kind: "person", Team: "platform", Due: due},
			{Title: "x", Kind: status.ActionTests, Due: due},
			{Title: "x", Kind: status.ActionTests, Team: "platform"},
			{Title: "x", Kind: status.ActionTests, Team: "platform", Due: due, Status: "blocked"},
		} {
			if _, err := s.SaveActionItem(ctx, a.ID, bad, "dana"); safetynet.ErrorCode(err) != safetynet.EINVALID {
				t.Errorf("SaveActionItem(%+v): err = %v, want %s", bad, err, safetynet.EINVALID)
			}
		}
		audit, err := s.Audit(ctx, "action_item", x.ID)
		must(t, err)
		if len(audit) != 2 || audit[0].Action != "create" || audit[1].Action != "edit" || audit[1].Before == "" {
			t.Errorf("item audit = %+v", audit)
		}
		// The JSON of a listed item is flat, with the incident beside it.
		b2, _ := json.Marshal(open[0])
		if !strings.Contains(string(b2), `"incident_id":`) || !strings.Contains(string(b2), `"title":"Dry-run mode for clean-up scripts"`) {
			t.Errorf("item JSON = %s", b2)
		}
	})
}

func err2[T any](_ T, err error) error { return err }

func pmIDs(pms []status.PostmortemRecord) string {
	ids := make([]int64, len(pms))
	for i, pm := range pms {
		ids[i] = pm.IncidentID
	}
	return fmt.Sprint(ids)
}
