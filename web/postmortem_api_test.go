package web_test

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/incident"
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
