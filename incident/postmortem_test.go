package incident_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

// resolvedOutage runs an automatic incident from outage to resolution: the
// API fails at 14:02, an alert fires a minute later and is acknowledged at
// 14:06, a person explains at 14:12, the API recovers at 14:32 and the
// engine resolves the incident after its quiet period.
func resolvedOutage(t *testing.T) (*store.DB, *incident.Engine, *clock, status.Incident) {
	t.Helper()
	db, e, clk := setup(t)
	ctx := t.Context()
	if err := db.SyncComponents(ctx, e.Plan().Components); err != nil {
		t.Fatal(err)
	}
	start := clk.t
	change(t, db, "api", status.Operational, status.MajorOutage, start)
	tick(t, e)
	al, _, err := db.OpenAlert(ctx, status.Alert{Kind: status.AlertCheck, Component: "api", Subject: "api-health", Summary: "api-health is failing from 3 locations", Status: status.MajorOutage, Started: start.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AckAlert(ctx, al.ID, "dana", start.Add(4*time.Minute)); err != nil {
		t.Fatal(err)
	}
	clk.Advance(5 * time.Minute)
	tick(t, e)
	inc := incidents(t, db)[0]
	if _, err := db.AddUpdate(ctx, inc.ID, status.IncidentUpdate{Status: status.Identified, Body: "A bad deploy of the API.\nRolling back.", Author: "dana", Human: true, At: start.Add(10 * time.Minute)}, "dana"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(25 * time.Minute)
	change(t, db, "api", status.MajorOutage, status.Operational, clk.t)
	if err := db.ResolveAlert(ctx, al.ID, clk.t); err != nil {
		t.Fatal(err)
	}
	tick(t, e)
	clk.Advance(11 * time.Minute)
	tick(t, e)
	inc = incidents(t, db)[0]
	if inc.Status != status.Resolved {
		t.Fatalf("incident not resolved: %+v", inc)
	}
	return db, e, clk, inc
}

func TestDraftPostmortemFromTheRecords(t *testing.T) {
	db, _, clk, inc := resolvedOutage(t)
	start := inc.StartedAt
	pm, err := incident.DraftPostmortem(t.Context(), db, inc.ID, clk.t)
	if err != nil {
		t.Fatal(err)
	}
	if pm.Published || pm.PublishedAt != nil || len(pm.Actions) != 0 {
		t.Errorf("a draft is internal with an empty remediation plan: %+v", pm)
	}
	resolve := inc.ResolvedAt.Sub(start)
	want := status.Durations{Detect: time.Minute, Ack: 4 * time.Minute, Resolve: resolve}
	if pm.Times != want {
		t.Errorf("times = %+v, want %+v", pm.Times, want)
	}
	if want := "We are sorry. For 41 minutes, on 26 November 2026 from 14:02 to 14:43 UTC, API was unavailable for 2 of our customers."; !strings.HasPrefix(pm.Apology, want) {
		t.Errorf("apology = %q, want it to start %q", pm.Apology, want)
	}
	for _, s := range []string{"Affected components: API (major outage).", "It affected 2 customers.", "detected it after 1 minute", "acknowledged it after 4 minutes", "resolved it after 41 minutes"} {
		if !strings.Contains(pm.Summary, s) {
			t.Errorf("summary %q lacks %q", pm.Summary, s)
		}
	}
	// Customers are counted, never named: a published draft must not list
	// tenants.
	if strings.Contains(pm.Apology+pm.Summary, "acme") {
		t.Errorf("draft names a customer: %q %q", pm.Apology, pm.Summary)
	}
	var kinds []string
	for i, e := range pm.Timeline {
		kinds = append(kinds, e.Kind)
		if i > 0 && e.At.Before(pm.Timeline[i-1].At) {
			t.Errorf("timeline out of order at %d: %+v", i, pm.Timeline)
		}
	}
	if got := strings.Join(kinds, " "); got != "status opened update alerted acknowledged update status update update resolved" {
		t.Errorf("timeline kinds = %s\n%+v", got, pm.Timeline)
	}
	if got := pm.Timeline[len(pm.Timeline)-1].At; !got.Equal(*inc.ResolvedAt) {
		t.Errorf("last entry at %v, want the resolution %v", got, inc.ResolvedAt)
	}
}

func TestDraftPostmortemNeedsResolution(t *testing.T) {
	db, e, clk := setup(t)
	change(t, db, "api", status.Operational, status.MajorOutage, clk.t)
	tick(t, e)
	inc := incidents(t, db)[0]
	if _, err := incident.DraftPostmortem(t.Context(), db, inc.ID, clk.t); safetynet.ErrorCode(err) != safetynet.EINVALID {
		t.Errorf("draft of an open incident: err = %v, want %s", err, safetynet.EINVALID)
	}
	if _, err := incident.DraftPostmortem(t.Context(), db, 999, clk.t); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
		t.Errorf("draft of no incident: err = %v, want %s", err, safetynet.ENOTFOUND)
	}
	// The engine drafts nothing while the incident is open.
	if err := e.DraftPostmortems(t.Context()); err != nil {
		t.Fatal(err)
	}
	if pms, _ := db.Postmortems(t.Context(), false); len(pms) != 0 {
		t.Errorf("postmortem of an open incident: %+v", pms)
	}
}

// The engine stores one internal draft per resolved incident and never
// replaces what people wrote.
func TestEngineDraftsPostmortemsOnce(t *testing.T) {
	db, e, _, inc := resolvedOutage(t)
	ctx := t.Context()
	if err := e.DraftPostmortems(ctx); err != nil {
		t.Fatal(err)
	}
	pm, err := db.Postmortem(ctx, inc.ID)
	if err != nil {
		t.Fatalf("no draft stored: %v", err)
	}
	if pm.Published || len(pm.Timeline) == 0 || !strings.HasPrefix(pm.Apology, "We are sorry.") {
		t.Errorf("stored draft = %+v", pm)
	}
	pm.Apology = "We are sorry; written by hand."
	if _, err := db.SavePostmortem(ctx, pm, "dana"); err != nil {
		t.Fatal(err)
	}
	if err := e.DraftPostmortems(ctx); err != nil {
		t.Fatal(err)
	}
	again, err := db.Postmortem(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Apology != "We are sorry; written by hand." {
		t.Errorf("the engine replaced an edited postmortem: %q", again.Apology)
	}
	audit, _ := db.Audit(ctx, "postmortem", inc.ID)
	if len(audit) != 2 || audit[0].Actor != incident.Author {
		t.Errorf("audit = %+v, want the engine's create and dana's edit", audit)
	}
}

func sampleActions() []status.Action {
	due := time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)
	return []status.Action{
		{IncidentID: 7, ActionItem: status.ActionItem{ID: 1, Title: "Dry-run mode, for clean-up scripts", Kind: status.ActionProcess, Team: "platform", Due: due, Status: status.ActionOpen}},
		{IncidentID: 7, ActionItem: status.ActionItem{ID: 2, Title: `=HYPERLINK("http://evil","x")`, Kind: status.ActionMonitoring, Team: "@sre", Due: due.Add(23 * time.Hour), Status: status.ActionInProgress}},
	}
}

func TestActionItemsCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := incident.WriteActionItemsCSV(&buf, sampleActions()); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"incident_id", "id", "title", "kind", "team", "due", "status"},
		{"7", "1", "Dry-run mode, for clean-up scripts", "process", "platform", "2026-12-10", "open"},
		// Cells a spreadsheet would evaluate are defused with a quote.
		{"7", "2", `'=HYPERLINK("http://evil","x")`, "monitoring", "'@sre", "2026-12-10", "in_progress"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows = %q", rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
}

func TestActionItemsJSONAndWebhook(t *testing.T) {
	var buf bytes.Buffer
	if err := incident.WriteActionItemsJSON(&buf, sampleActions()); err != nil {
		t.Fatal(err)
	}
	var items []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &items); err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || items[0]["due"] != "2026-12-10" || items[0]["incident_id"] != float64(7) || items[1]["kind"] != "monitoring" {
		t.Errorf("JSON export = %s", buf.String())
	}
	for _, it := range items {
		for k := range it {
			if k == "owner" || k == "person" || k == "assignee" {
				t.Errorf("an action item names a person (%s): postmortems are blameless", k)
			}
		}
	}

	resolved := time.Date(2026, 11, 26, 14, 43, 0, 0, time.UTC)
	inc := status.Incident{ID: 7, Title: "API: outage", Impact: status.ImpactCritical, StartedAt: resolved.Add(-41 * time.Minute), ResolvedAt: &resolved}
	pm := status.PostmortemRecord{Postmortem: status.Postmortem{IncidentID: 7}, Times: status.Durations{Detect: time.Minute, Ack: 4 * time.Minute, Resolve: 41 * time.Minute}}
	for _, a := range sampleActions() {
		pm.Actions = append(pm.Actions, a.ActionItem)
	}
	ev := incident.NewActionItemsEvent(inc, pm, "https://status.example.com/")
	if ev.URL != "" {
		t.Errorf("an internal postmortem has a public URL: %q", ev.URL)
	}
	pm.Published = true
	ev = incident.NewActionItemsEvent(inc, pm, "https://status.example.com/")
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Event string `json:"event"`
		URL   string `json:"url"`
		Times struct {
			Detect  int `json:"time_to_detect_seconds"`
			Resolve int `json:"time_to_resolve_seconds"`
		} `json:"times"`
		Items []incident.ExportItem `json:"action_items"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Event != "postmortem.action_items" || got.URL != "https://status.example.com/incidents/7/postmortem" ||
		got.Times.Detect != 60 || got.Times.Resolve != 41*60 || len(got.Items) != 2 || got.Items[1].IncidentID != 7 || got.Items[1].Team != "@sre" {
		t.Errorf("webhook body = %s", b)
	}
}

// TestDraftPostmortemShowsDeployments: a deployment of an affected
// component shortly before the failure is in the timeline, in order; one
// of another component, or long before, is not.
func TestDraftPostmortemShowsDeployments(t *testing.T) {
	db, _, clk, inc := resolvedOutage(t)
	ctx := t.Context()
	for _, d := range []status.Deployment{
		{Service: "api", Version: "2.4.1", Environment: "production", Components: []string{"api"}, Source: "api", By: "ci", At: inc.StartedAt.Add(-2 * time.Minute)},
		{Service: "web", Version: "9.0.0", Environment: "production", Components: []string{"web"}, Source: "api", By: "ci", At: inc.StartedAt.Add(-time.Minute)},
		{Service: "api", Version: "2.3.0", Environment: "production", Components: []string{"api"}, Source: "api", By: "ci", At: inc.StartedAt.Add(-5 * time.Hour)},
	} {
		if _, err := db.RecordDeployment(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	pm, err := incident.DraftPostmortem(ctx, db, inc.ID, clk.t)
	if err != nil {
		t.Fatal(err)
	}
	first := pm.Timeline[0]
	if first.Kind != "deployed" || !strings.Contains(first.Text, "2.4.1") || !first.At.Equal(inc.StartedAt.Add(-2*time.Minute)) {
		t.Errorf("first timeline entry = %+v, want the api 2.4.1 deployment two minutes before the failure", first)
	}
	for _, e := range pm.Timeline {
		if strings.Contains(e.Text, "9.0.0") || strings.Contains(e.Text, "2.3.0") {
			t.Errorf("timeline holds an unrelated deployment: %+v", e)
		}
	}
}
