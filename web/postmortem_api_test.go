package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/notify/notifytest"
	"github.com/safetynet-dev/safetynet/notify/webhook"
	"github.com/safetynet-dev/safetynet/status"
)

// newPostmortemEnv is an adminEnv with one resolved incident and its
// drafted postmortem.
func newPostmortemEnv(t *testing.T) (*adminEnv, int64) {
	t.Helper()
	a := newAdminEnv(t, nil)
	ctx := t.Context()
	t0 := a.clock.now().Add(-time.Hour)
	inc, err := a.db.CreateIncident(ctx, status.Incident{Title: "Logins failing", Status: status.Investigating, Impact: status.ImpactMajor,
		StartedAt: t0, CreatedAt: t0}, status.IncidentUpdate{Body: "We are investigating.", Author: "safetynet"}, "safetynet")
	if err != nil {
		t.Fatal(err)
	}
	draft := status.PostmortemRecord{Postmortem: status.Postmortem{IncidentID: inc.ID, Apology: "We are sorry.",
		Timeline: []status.TimelineEntry{{At: t0, Kind: "first_failure", Text: "api-health failed"}}},
		Times: status.Durations{Detect: time.Minute, Resolve: 30 * time.Minute}}
	if _, err := a.db.CreatePostmortem(ctx, draft, "safetynet"); err != nil {
		t.Fatal(err)
	}
	return a, inc.ID
}

func TestPostmortemAPIEdit(t *testing.T) {
	a, id := newPostmortemEnv(t)
	path := "/api/v1/incidents/" + itoa(id) + "/postmortem"

	var pm status.PostmortemRecord
	mustDecode(t, a.as(t, "reader", http.MethodGet, path, ""), http.StatusOK, &pm)
	if pm.Apology != "We are sorry." || len(pm.Timeline) != 1 || pm.Published {
		t.Fatalf("GET = %+v", pm)
	}

	// Readers cannot edit; writers can, and what they leave out is kept.
	if rec := a.as(t, "reader", http.MethodPut, path, `{"summary": "x"}`); rec.Code != http.StatusForbidden {
		t.Errorf("reader PUT = %d, want 403", rec.Code)
	}
	mustDecode(t, a.as(t, "writer", http.MethodPut, path, `{"summary": "A config push broke logins."}`), http.StatusOK, &pm)
	if pm.Summary != "A config push broke logins." || pm.Apology != "We are sorry." || len(pm.Timeline) != 1 || pm.Times.Detect != time.Minute || pm.Published {
		t.Fatalf("after PUT summary: %+v", pm)
	}

	// Publishing stamps the time and shows on the public page.
	mustDecode(t, a.as(t, "writer", http.MethodPut, path, `{"published": true}`), http.StatusOK, &pm)
	if !pm.Published || pm.PublishedAt == nil || !pm.PublishedAt.Equal(a.clock.now()) {
		t.Fatalf("after publishing: published %v at %v, want at %v", pm.Published, pm.PublishedAt, a.clock.now())
	}
	if rec := a.do(t, http.MethodGet, "/incidents/"+itoa(id)+"/postmortem", "", ""); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "A config push broke logins.") {
		t.Errorf("public postmortem page = %d", rec.Code)
	}
	var unpub status.PostmortemRecord
	mustDecode(t, a.as(t, "writer", http.MethodPut, path, `{"published": false}`), http.StatusOK, &unpub)
	if unpub.Published || unpub.PublishedAt != nil || unpub.Summary != "A config push broke logins." {
		t.Errorf("after unpublishing: %v at %v", unpub.Published, unpub.PublishedAt)
	}

	// The edits are in the audit trail under the token's name.
	audit, err := a.db.Audit(t.Context(), "postmortem", id)
	if err != nil {
		t.Fatal(err)
	}
	var byWriter int
	for _, e := range audit {
		if e.Actor == "writer" {
			byWriter++
		}
	}
	if byWriter != 3 {
		t.Errorf("audit has %d entries by writer, want 3: %+v", byWriter, audit)
	}
}

func TestPostmortemAPICreatesMissing(t *testing.T) {
	a, id := newPostmortemEnv(t)
	inc, err := a.db.CreateIncident(t.Context(), status.Incident{Title: "Second", Status: status.Resolved, Impact: status.ImpactMinor,
		StartedAt: a.clock.now(), CreatedAt: a.clock.now()}, status.IncidentUpdate{Body: "Fixed.", Author: "dana", Human: true}, "dana")
	if err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/incidents/" + itoa(inc.ID) + "/postmortem"
	if rec := a.as(t, "reader", http.MethodGet, path, ""); rec.Code != http.StatusNotFound {
		t.Fatalf("GET before = %d, want 404", rec.Code)
	}
	var pm status.PostmortemRecord
	mustDecode(t, a.as(t, "writer", http.MethodPut, path, `{"apology": "Sorry."}`), http.StatusOK, &pm)
	if pm.IncidentID != inc.ID || pm.Apology != "Sorry." {
		t.Errorf("created %+v", pm)
	}
	for name, tc := range map[string]struct {
		path, body string
		code       int
	}{
		"no incident":   {"/api/v1/incidents/9999/postmortem", `{"apology": "x"}`, http.StatusNotFound},
		"bad id":        {"/api/v1/incidents/abc/postmortem", `{"apology": "x"}`, http.StatusBadRequest},
		"unknown field": {"/api/v1/incidents/" + itoa(id) + "/postmortem", `{"apologie": "x"}`, http.StatusBadRequest},
		"too long":      {"/api/v1/incidents/" + itoa(id) + "/postmortem", `{"apology": "` + strings.Repeat("a", 20001) + `"}`, http.StatusBadRequest},
	} {
		if rec := a.as(t, "writer", http.MethodPut, tc.path, tc.body); rec.Code != tc.code {
			t.Errorf("%s: %d, want %d: %s", name, rec.Code, tc.code, rec.Body)
		}
	}
}

func TestPostmortemAPIActionItems(t *testing.T) {
	a, id := newPostmortemEnv(t)
	path := "/api/v1/incidents/" + itoa(id) + "/postmortem/actions"
	var item status.ActionItem
	mustDecode(t, a.as(t, "writer", http.MethodPost, path,
		`{"title": "=cmd|' /C calc'!A0 alert on login errors", "kind": "monitoring", "team": "identity", "due": "2026-12-10"}`), http.StatusCreated, &item)
	if item.ID == 0 || item.Status != status.ActionOpen || !item.Due.Equal(time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("created %+v", item)
	}
	var staged status.ActionItem
	mustDecode(t, a.as(t, "writer", http.MethodPost, path,
		`{"title": "Stage config pushes", "kind": "process", "team": "platform", "due": "2026-12-01T09:00:00Z"}`), http.StatusCreated, &staged)
	// Closing an item is a PUT of the whole item.
	var closed status.ActionItem
	mustDecode(t, a.as(t, "writer", http.MethodPut, path+"/"+itoa(staged.ID),
		`{"title": "Stage config pushes", "kind": "process", "team": "platform", "due": "2026-12-01", "status": "done"}`), http.StatusOK, &closed)
	if closed.ID != staged.ID || closed.Status != status.ActionDone {
		t.Errorf("after PUT: %+v", closed)
	}
	for item, code := range map[string]int{"9999": http.StatusNotFound, "x": http.StatusBadRequest} {
		if rec := a.as(t, "writer", http.MethodPut, path+"/"+item, `{"title": "t", "kind": "tests", "team": "x", "due": "2026-12-01"}`); rec.Code != code {
			t.Errorf("PUT item %s: %d, want %d", item, rec.Code, code)
		}
	}

	for name, body := range map[string]string{
		"a person":   `{"title": "t", "kind": "process", "team": "x", "due": "2026-12-01", "owner": "bob"}`,
		"no team":    `{"title": "t", "kind": "process", "due": "2026-12-01"}`,
		"bad kind":   `{"title": "t", "kind": "people", "team": "x", "due": "2026-12-01"}`,
		"no due":     `{"title": "t", "kind": "tests", "team": "x"}`,
		"bad due":    `{"title": "t", "kind": "tests", "team": "x", "due": "next week"}`,
		"bad status": `{"title": "t", "kind": "tests", "team": "x", "due": "2026-12-01", "status": "blocked"}`,
	} {
		if rec := a.as(t, "writer", http.MethodPost, path, body); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400: %s", name, rec.Code, rec.Body)
		}
	}
	if rec := a.as(t, "reader", http.MethodPost, path, `{"title": "t", "kind": "tests", "team": "x", "due": "2026-12-01"}`); rec.Code != http.StatusForbidden {
		t.Errorf("reader POST = %d, want 403", rec.Code)
	}
	if rec := a.as(t, "writer", http.MethodPost, "/api/v1/incidents/9999/postmortem/actions", `{"title": "t", "kind": "tests", "team": "x", "due": "2026-12-01"}`); rec.Code != http.StatusNotFound {
		t.Errorf("no postmortem: %d, want 404", rec.Code)
	}

	// JSON: the backlog holds the open item only; ?incident= both.
	var backlog []incident.ExportItem
	mustDecode(t, a.as(t, "reader", http.MethodGet, "/api/v1/action-items", ""), http.StatusOK, &backlog)
	if len(backlog) != 1 || backlog[0].Team != "identity" || backlog[0].Due != "2026-12-10" || backlog[0].IncidentID != id {
		t.Errorf("backlog = %+v", backlog)
	}
	var all []incident.ExportItem
	mustDecode(t, a.as(t, "reader", http.MethodGet, "/api/v1/action-items?format=json&incident="+itoa(id), ""), http.StatusOK, &all)
	if len(all) != 2 {
		t.Errorf("incident's items = %+v", all)
	}

	// CSV, with the formula defused.
	rec := a.as(t, "reader", http.MethodGet, "/api/v1/action-items?format=csv&incident="+itoa(id), "")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV = %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "incident_id" || rows[1][2] != "'=cmd|' /C calc'!A0 alert on login errors" {
		t.Errorf("CSV rows = %q", rows)
	}

	for _, q := range []string{"?format=xml", "?incident=x", "?incident=-1"} {
		if rec := a.as(t, "reader", http.MethodGet, "/api/v1/action-items"+q, ""); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, rec.Code)
		}
	}
	if rec := a.do(t, http.MethodGet, "/api/v1/action-items", "", ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", rec.Code)
	}
	if rec := a.as(t, "revoked", http.MethodGet, "/api/v1/action-items", ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("revoked token: %d, want 401", rec.Code)
	}
}

func TestPostmortemAPIWithoutStore(t *testing.T) {
	e := newEnv(t, nil)
	if rec := e.do(t, http.MethodGet, "/api/v1/action-items", "snt_x", ""); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("no store: %d, want 503", rec.Code)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Action items reach the owning team's backlog by signed webhook: once
// when created, once per change of status, never twice for one version.
func TestActionItemsSentToTheTeamWebhook(t *testing.T) {
	a, id := newPostmortemEnv(t)
	ctx := t.Context()
	rcv := notifytest.NewReceiver(t, http.StatusOK, "")
	env := notify.Env{AllowPrivate: true, Getenv: func(k string) string {
		if k == "TRACKER_SECRET" {
			return "s3cret"
		}
		return ""
	}}
	hook, err := webhook.New("tracker", webhook.Settings{URL: rcv.URL + "/backlog", SecretEnv: "TRACKER_SECRET"}, env)
	if err != nil {
		t.Fatal(err)
	}
	plan := status.Plan{
		Components: []status.Component{{ID: "api", Name: "API", Owner: "platform"}},
		Teams:      []status.Team{{Name: "platform", Notifiers: []string{"tracker"}}, {Name: "identity", Notifiers: []string{"tracker"}}},
	}
	newEngine := func() *incident.Engine {
		return &incident.Engine{Store: a.db, Now: a.clock.now, Plan: func() status.Plan { return plan }, BaseURL: "https://status.example.com",
			Logger: slog.New(slog.DiscardHandler)}
	}
	engine := newEngine()
	disp := notify.NewDispatcher(a.db, map[string]notify.Notifier{"tracker": hook}, notify.DispatcherOptions{Now: a.clock.now, Logger: slog.New(slog.DiscardHandler)})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- disp.Run(runCtx) }()
	t.Cleanup(func() { cancel(); <-done })

	// deliveries waits until the receiver has n requests and returns them
	// decoded, checking each signature.
	deliveries := func(n int) []status.Message {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for len(rcv.Requests()) < n {
			if time.Now().After(deadline) {
				t.Fatalf("receiver got %d requests, want %d", len(rcv.Requests()), n)
			}
			disp.Poke()
			time.Sleep(10 * time.Millisecond)
		}
		var out []status.Message
		for _, r := range rcv.Requests() {
			if !webhook.Verify([]byte("s3cret"), r.Body, r.Header.Get(webhook.HeaderSignature)) {
				t.Errorf("delivery %s is not signed with the notifier's secret", r.Header.Get(webhook.HeaderDelivery))
			}
			var m status.Message
			if err := json.Unmarshal(r.Body, &m); err != nil {
				t.Fatalf("delivery is not a message: %v\n%s", err, r.Body)
			}
			out = append(out, m)
		}
		return out
	}
	tick := func() {
		t.Helper()
		if err := engine.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}

	actions := "/api/v1/incidents/" + itoa(id) + "/postmortem/actions"
	var item status.ActionItem
	mustDecode(t, a.as(t, "writer", http.MethodPost, actions,
		`{"title": "Alert on login error rate", "kind": "monitoring", "team": "platform", "due": "2026-12-15", "status": "open"}`), http.StatusCreated, &item)
	tick()
	got := deliveries(1)
	m := got[0]
	if m.Event != status.EventActionItem || m.Team != "platform" || !strings.Contains(m.Title, "Alert on login error rate") {
		t.Errorf("first delivery %+v", m)
	}
	for k, want := range map[string]string{"action_item_id": itoa(item.ID), "title": "Alert on login error rate", "kind": "monitoring",
		"team": "platform", "due": "2026-12-15", "status": "open", "change": "created", "incident_id": itoa(id),
		"postmortem_url": "https://status.example.com/admin/incidents/" + itoa(id)} {
		if m.Fields[k] != want {
			t.Errorf("fields[%s] = %q, want %q", k, m.Fields[k], want)
		}
	}
	if m.URL != "https://status.example.com/admin/incidents/"+itoa(id) {
		t.Errorf("URL %q, want the internal postmortem's admin page", m.URL)
	}

	// Ticks and a restarted engine send nothing more for the same version;
	// a new due date is not news for the backlog.
	tick()
	engine = newEngine()
	tick()
	mustDecode(t, a.as(t, "writer", http.MethodPut, actions+"/"+itoa(item.ID),
		`{"title": "Alert on login error rate", "kind": "monitoring", "team": "platform", "due": "2026-12-20", "status": "open"}`), http.StatusOK, nil)
	a.clock.add(time.Minute)
	tick()

	// Publishing the postmortem and closing the item sends the change,
	// linking the public postmortem.
	mustDecode(t, a.as(t, "writer", http.MethodPut, "/api/v1/incidents/"+itoa(id)+"/postmortem", `{"published": true}`), http.StatusOK, nil)
	mustDecode(t, a.as(t, "writer", http.MethodPut, actions+"/"+itoa(item.ID),
		`{"title": "Alert on login error rate", "kind": "monitoring", "team": "platform", "due": "2026-12-20", "status": "done"}`), http.StatusOK, nil)
	a.clock.add(time.Minute)
	tick()
	got = deliveries(2)
	if len(got) != 2 {
		t.Fatalf("%d deliveries, want 2 (created, done): %+v", len(got), got)
	}
	m = got[1]
	if m.Fields["change"] != "status" || m.Fields["status"] != "done" || m.Fields["previous_status"] != "open" || m.Fields["due"] != "2026-12-20" {
		t.Errorf("status change delivery fields %v", m.Fields)
	}
	if want := "https://status.example.com/incidents/" + itoa(id) + "/postmortem"; m.URL != want || m.Fields["postmortem_url"] != want {
		t.Errorf("URL %q, want the published postmortem %s", m.URL, want)
	}
	if got[0].ID == got[1].ID {
		t.Error("two versions share a delivery ID")
	}
	a.clock.add(time.Minute)
	tick()
	disp.Poke()
	if n := len(rcv.Requests()); n != 2 {
		t.Errorf("%d deliveries after another tick, want still 2", n)
	}
}
