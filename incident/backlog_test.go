package incident_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/status"
)

// A new owning team hears of an action item; an edit of its wording does
// not make news; each version is enqueued once per notifier.
func TestActionItemNoticesFollowTheAuditTrail(t *testing.T) {
	db, _, clk := setup(t)
	ctx := t.Context()
	plan := status.Plan{Teams: []status.Team{{Name: "platform", Notifiers: []string{"hook", "chat"}}, {Name: "identity", Notifiers: []string{"idhook"}}}}
	e := &incident.Engine{Store: db, Policy: status.DefaultIncidentPolicy, Now: clk.Now, Plan: func() status.Plan { return plan }, BaseURL: "https://status.example.com/"}
	inc, err := db.CreateIncident(ctx, status.Incident{Title: "Logins failing", Status: status.Resolved, Impact: status.ImpactMajor, StartedAt: clk.t.Add(-time.Hour)},
		status.IncidentUpdate{Body: "Fixed.", Author: "dana", Human: true}, "dana")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreatePostmortem(ctx, status.PostmortemRecord{Postmortem: status.Postmortem{IncidentID: inc.ID, Apology: "Sorry."}}, "dana"); err != nil {
		t.Fatal(err)
	}
	item := status.ActionItem{Title: "Page on login errors", Kind: status.ActionMonitoring, Team: "platform", Due: clk.t.Add(14 * 24 * time.Hour), Status: "open"}
	if item, err = db.SaveActionItem(ctx, inc.ID, item, "dana"); err != nil {
		t.Fatal(err)
	}
	sent := func() []status.Notification {
		t.Helper()
		if err := e.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		var out []status.Notification
		for _, n := range claimAll(t, db, clk.t.Add(time.Hour)) {
			if n.Message.Event == status.EventActionItem {
				out = append(out, n)
			}
			_ = db.MarkDelivered(ctx, n.ID, clk.t)
		}
		return out
	}
	got := sent()
	if len(got) != 2 || got[0].Message.Fields["change"] != "created" || got[0].Message.URL != "https://status.example.com/admin/incidents/"+strconv.FormatInt(inc.ID, 10) {
		t.Fatalf("after creation: %+v", got)
	}
	if got := sent(); len(got) != 0 {
		t.Fatalf("a second tick sent %+v", got)
	}

	clk.Advance(time.Minute)
	item.Title = "Page on the login error rate"
	if _, err := db.SaveActionItem(ctx, inc.ID, item, "dana"); err != nil {
		t.Fatal(err)
	}
	if got := sent(); len(got) != 0 {
		t.Fatalf("a wording edit sent %+v", got)
	}

	clk.Advance(time.Minute)
	item.Team = "identity"
	if _, err := db.SaveActionItem(ctx, inc.ID, item, "dana"); err != nil {
		t.Fatal(err)
	}
	got = sent()
	if len(got) != 1 || got[0].Notifier != "idhook" || got[0].Message.Fields["change"] != "team" ||
		!strings.Contains(got[0].Message.Title, "assigned to identity") || got[0].Message.Fields["title"] != "Page on the login error rate" {
		t.Fatalf("after the team changed: %+v", got)
	}
}
