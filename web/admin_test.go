package web_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
	"github.com/safetynet-dev/safetynet/web"
)

// adminClock is the injectable clock of the admin tests.
type adminClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *adminClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *adminClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// adminEnv is a server on a real SQLite store with components api and web
// and one token per role.
type adminEnv struct {
	*env
	db    *store.DB
	clock *adminClock
	// secrets by token name: reader (read), writer (write), deployer
	// (deploy), revoked (write, revoked).
	secrets map[string]string
}

func newAdminEnv(t *testing.T, mod func(*web.Options)) *adminEnv {
	t.Helper()
	clock := &adminClock{t: time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC)}
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "safetynet.db"), store.Options{Now: clock.now, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.SyncComponents(t.Context(), []status.Component{{ID: "api", Name: "API", Public: true}, {ID: "web", Name: "Web", Public: true}}); err != nil {
		t.Fatal(err)
	}
	a := &adminEnv{db: db, clock: clock, secrets: map[string]string{}}
	for name, scope := range map[string]status.Scope{"reader": status.ScopeRead, "writer": status.ScopeWrite, "deployer": status.ScopeDeploy, "revoked": status.ScopeWrite} {
		secret, hash, err := status.NewTokenSecret()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateToken(t.Context(), status.Token{Name: name, Hash: hash, Scopes: []status.Scope{scope}}); err != nil {
			t.Fatal(err)
		}
		a.secrets[name] = secret
	}
	if err := db.RevokeToken(t.Context(), "revoked", clock.now()); err != nil {
		t.Fatal(err)
	}
	a.env = newEnv(t, func(o *web.Options) {
		o.Store = db
		o.Reporter = db
		o.Now = clock.now
		if mod != nil {
			mod(o)
		}
	})
	return a
}

// as serves a request with the named token's secret.
func (a *adminEnv) as(t *testing.T, name, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	return a.do(t, method, path, a.secrets[name], body)
}

// mustDecode checks the status code and decodes the JSON answer into v.
func mustDecode(t *testing.T, rec *httptest.ResponseRecorder, code int, v any) {
	t.Helper()
	if rec.Code != code {
		t.Fatalf("status = %d, want %d; body %s", rec.Code, code, rec.Body)
	}
	if v == nil {
		return
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("answer is not JSON: %v\n%s", err, rec.Body)
	}
}

func TestAdminAuth(t *testing.T) {
	a := newAdminEnv(t, nil)
	for _, tc := range []struct {
		name, token, method, path, body string
		code                            int
		errCode, message                string
	}{
		{"no token", "", "GET", "/api/v1/incidents", "", 401, "unauthorized", "missing token"},
		{"unknown token", "snt_not-a-token-anyone-made", "GET", "/api/v1/incidents", "", 401, "unauthorized", "invalid token"},
		{"config ingest token is not an admin token", goodToken, "GET", "/api/v1/incidents", "", 401, "unauthorized", "invalid token"},
		{"revoked", a.secrets["revoked"], "GET", "/api/v1/incidents", "", 401, "unauthorized", "revoked"},
		{"revoked cannot write", a.secrets["revoked"], "POST", "/api/v1/incidents/1/ack", "", 401, "unauthorized", "revoked"},
		{"deploy scope cannot read", a.secrets["deployer"], "GET", "/api/v1/incidents", "", 403, "forbidden", "lacks the read scope"},
		{"read scope cannot write", a.secrets["reader"], "POST", "/api/v1/maintenance", `{}`, 403, "forbidden", "lacks the write scope"},
		{"read scope cannot patch", a.secrets["reader"], "PATCH", "/api/v1/incidents/1", `{}`, 403, "forbidden", "lacks the write scope"},
		{"read scope cannot add known issues", a.secrets["reader"], "POST", "/api/v1/known-issues", `{}`, 403, "forbidden", "lacks the write scope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := a.do(t, tc.method, tc.path, tc.token, tc.body)
			if rec.Code != tc.code {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tc.code, rec.Body)
			}
			e := mustAPIError(t, rec)
			if e.Error.Code != tc.errCode || !strings.Contains(e.Error.Message, tc.message) {
				t.Fatalf("error = %+v, want code %s and a message with %q", e.Error, tc.errCode, tc.message)
			}
			if tc.code == 401 && rec.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}

	// Read scope reads; write scope reads too.
	for _, name := range []string{"reader", "writer"} {
		if rec := a.as(t, name, "GET", "/api/v1/incidents", ""); rec.Code != 200 {
			t.Errorf("%s: GET /api/v1/incidents = %d, want 200; %s", name, rec.Code, rec.Body)
		}
	}
	// Basic auth with the token as password works as for the read routes.
	req := httptest.NewRequest("GET", "/api/v1/known-issues", nil)
	req.SetBasicAuth("anyone", a.secrets["reader"])
	rec := httptest.NewRecorder()
	a.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("basic auth: %d, want 200; %s", rec.Code, rec.Body)
	}

	// Config ingest tokens keep doing what they did: a report is accepted.
	rec = a.do(t, "POST", "/api/v1/reports", goodToken, `{"customer":"acme","component":"api","text":"login fails"}`)
	if rec.Code != http.StatusCreated {
		t.Errorf("report with a config ingest token = %d, want 201; %s", rec.Code, rec.Body)
	}

	// The secret never reaches the log; the token's name does.
	if logs := a.logs.String(); strings.Contains(logs, a.secrets["reader"]) || !strings.Contains(logs, "token=reader") {
		t.Errorf("log must name the token and never hold its secret:\n%s", logs)
	}
}

func TestAdminTokenLastUse(t *testing.T) {
	a := newAdminEnv(t, nil)
	lastUse := func() *time.Time {
		t.Helper()
		ts, err := a.db.ListTokens(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range ts {
			if tok.Name == "reader" {
				return tok.LastUsedAt
			}
		}
		t.Fatal("no reader token")
		return nil
	}
	if lastUse() != nil {
		t.Fatal("unused token has a last use")
	}
	first := a.clock.now()
	a.as(t, "reader", "GET", "/api/v1/incidents", "")
	if got := lastUse(); got == nil || !got.Equal(first) {
		t.Fatalf("last use = %v, want %s", got, first)
	}
	// Within a minute the use is not written again.
	a.clock.add(30 * time.Second)
	a.as(t, "reader", "GET", "/api/v1/incidents", "")
	if got := lastUse(); !got.Equal(first) {
		t.Fatalf("last use = %v, want it kept at %s within a minute", got, first)
	}
	a.clock.add(31 * time.Second)
	a.as(t, "reader", "GET", "/api/v1/incidents", "")
	if got := lastUse(); !got.Equal(first.Add(61 * time.Second)) {
		t.Fatalf("last use = %v, want %s", got, first.Add(61*time.Second))
	}
}

func TestAdminIncidentLifecycle(t *testing.T) {
	a := newAdminEnv(t, nil)
	started := a.clock.now().Add(-5 * time.Minute)

	var created status.Incident
	rec := a.as(t, "writer", "POST", "/api/v1/incidents", fmt.Sprintf(`{
		"title": "Logins fail", "impact": "major", "public": true, "started_at": %q,
		"components": [{"component": "api", "status": "partial_outage"}],
		"body": "We are looking into failed logins."}`, started.Format(time.RFC3339)))
	mustDecode(t, rec, http.StatusCreated, &created)
	if rec.Header().Get("Location") != fmt.Sprintf("/api/v1/incidents/%d", created.ID) {
		t.Errorf("Location = %q", rec.Header().Get("Location"))
	}
	if created.ID == 0 || created.Status != status.Investigating || !created.Public || !created.StartedAt.Equal(started) ||
		len(created.Updates) != 1 || created.Updates[0].Author != "writer" || !created.Updates[0].Human || created.Updates[0].Body != "We are looking into failed logins." {
		t.Fatalf("created = %+v", created)
	}
	path := fmt.Sprintf("/api/v1/incidents/%d", created.ID)

	a.clock.add(2 * time.Minute)
	var u status.IncidentUpdate
	mustDecode(t, a.as(t, "writer", "POST", path+"/updates", `{"status": "identified", "body": "A certificate expired."}`), http.StatusCreated, &u)
	if u.ID == 0 || u.Status != status.Identified || u.Author != "writer" || !u.Human || !u.At.Equal(a.clock.now()) {
		t.Fatalf("update = %+v", u)
	}
	// Without a status the incident keeps its step.
	mustDecode(t, a.as(t, "writer", "POST", path+"/updates", `{"body": "Renewing it now."}`), http.StatusCreated, &u)
	if u.Status != status.Identified {
		t.Fatalf("update without status = %+v, want identified kept", u)
	}

	var edited status.Incident
	mustDecode(t, a.as(t, "writer", "PATCH", path, `{"title": "Logins fail for some users", "components": [{"component": "api", "status": "degraded_performance"}, {"component": "web", "status": "degraded_performance"}]}`), http.StatusOK, &edited)
	if edited.Title != "Logins fail for some users" || edited.Impact != status.ImpactMajor || !edited.Public || len(edited.Components) != 2 || len(edited.Updates) != 3 {
		t.Fatalf("edited = %+v: the fields not given must be kept", edited)
	}

	a.clock.add(time.Minute)
	ackAt := a.clock.now()
	var acked status.Incident
	mustDecode(t, a.as(t, "writer", "POST", path+"/ack", ""), http.StatusOK, &acked)
	a.clock.add(time.Minute)
	mustDecode(t, a.as(t, "writer", "POST", path+"/ack", ""), http.StatusOK, &acked)
	if acked.AckedAt == nil || !acked.AckedAt.Equal(ackAt) || acked.AckedBy != "writer" {
		t.Fatalf("acked = %+v, want the first acknowledgement at %s", acked, ackAt)
	}

	var detail struct {
		status.Incident
		Audit []struct {
			Action string          `json:"action"`
			Actor  string          `json:"actor"`
			Before json.RawMessage `json:"before"`
			After  json.RawMessage `json:"after"`
		} `json:"audit"`
	}
	mustDecode(t, a.as(t, "reader", "GET", path, ""), http.StatusOK, &detail)
	var trail []string
	for _, e := range detail.Audit {
		trail = append(trail, e.Action+"/"+e.Actor)
	}
	if detail.ID != created.ID || len(detail.Updates) != 3 || strings.Join(trail, " ") != "create/writer update/writer update/writer edit/writer ack/writer ack/writer" {
		t.Fatalf("detail = %+v, audit %v", detail.Incident, trail)
	}
	var before struct {
		Title string `json:"title"`
	}
	if err := json.Unmarshal(detail.Audit[3].Before, &before); err != nil || before.Title != "Logins fail" {
		t.Fatalf("edit audit before = %s (%v), want the old title as a JSON object", detail.Audit[3].Before, err)
	}

	// An internal incident, then the filters.
	var internal status.Incident
	mustDecode(t, a.as(t, "writer", "POST", "/api/v1/incidents", `{"title": "Slow exports", "impact": "minor", "body": "Exports are slow."}`), http.StatusCreated, &internal)
	mustDecode(t, a.as(t, "writer", "POST", path+"/updates", `{"status": "resolved", "body": "Fixed."}`), http.StatusCreated, nil)
	list := func(query string) []int64 {
		t.Helper()
		var l struct {
			Incidents []status.Incident `json:"incidents"`
		}
		mustDecode(t, a.as(t, "reader", "GET", "/api/v1/incidents"+query, ""), http.StatusOK, &l)
		var ids []int64
		for _, inc := range l.Incidents {
			ids = append(ids, inc.ID)
		}
		return ids
	}
	for query, want := range map[string][]int64{
		"":                    {internal.ID, created.ID},
		"?open=true":          {internal.ID},
		"?public=true":        {created.ID},
		"?limit=1":            {internal.ID},
		"?limit=1&offset=1":   {created.ID},
		"?open=1&public=true": nil,
	} {
		if got := list(query); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("GET /api/v1/incidents%s = %v, want %v", query, got, want)
		}
	}

	// Merge the internal incident into the first.
	var merged status.Incident
	mustDecode(t, a.as(t, "writer", "PATCH", fmt.Sprintf("/api/v1/incidents/%d", internal.ID), fmt.Sprintf(`{"merged_into": %d}`, created.ID)), http.StatusOK, &merged)
	if merged.MergedInto != created.ID {
		t.Fatalf("merged = %+v", merged)
	}
}

func TestAdminBadRequests(t *testing.T) {
	a := newAdminEnv(t, func(o *web.Options) { o.MaxBodyBytes = 4096 })
	var inc status.Incident
	mustDecode(t, a.as(t, "writer", "POST", "/api/v1/incidents", `{"title": "x", "impact": "minor", "body": "y"}`), http.StatusCreated, &inc)
	path := fmt.Sprintf("/api/v1/incidents/%d", inc.ID)
	for _, tc := range []struct {
		name, method, path, body string
		code                     int
		errCode, message         string
	}{
		{"unknown field", "POST", "/api/v1/incidents", `{"title": "x", "impact": "minor", "body": "y", "severity": "major"}`, 400, "invalid", "unknown field"},
		{"two values", "POST", "/api/v1/incidents", `{"title": "x", "impact": "minor", "body": "y"} {}`, 400, "invalid", "more than one value"},
		{"empty body", "POST", "/api/v1/incidents", ``, 400, "invalid", "empty body"},
		{"wrong type", "POST", "/api/v1/incidents", `{"title": 5}`, 400, "invalid", "title"},
		{"no body text", "POST", "/api/v1/incidents", `{"title": "x", "impact": "minor"}`, 400, "invalid", "text"},
		{"bad impact", "POST", "/api/v1/incidents", `{"title": "x", "impact": "huge", "body": "y"}`, 400, "invalid", "impact"},
		{"bad status", "POST", "/api/v1/incidents", `{"title": "x", "impact": "minor", "status": "fixed", "body": "y"}`, 400, "invalid", "status"},
		{"unknown component", "POST", "/api/v1/incidents", `{"title": "x", "impact": "minor", "body": "y", "components": [{"component": "dbb", "status": "major_outage"}]}`, 400, "invalid", `no component "dbb"`},
		{"bad component status", "POST", "/api/v1/incidents", `{"title": "x", "impact": "minor", "body": "y", "components": [{"component": "api", "status": "down"}]}`, 400, "invalid", "components[0]"},
		{"future start", "POST", "/api/v1/incidents", `{"title": "x", "impact": "minor", "body": "y", "started_at": "2030-01-01T00:00:00Z"}`, 400, "invalid", "future"},
		{"too large", "POST", "/api/v1/incidents", `{"title": "x", "impact": "minor", "body": "` + strings.Repeat("a", 5000) + `"}`, 413, "too_large", "4 KiB"},
		{"bad id", "GET", "/api/v1/incidents/abc", "", 400, "invalid", "positive number"},
		{"no such incident", "GET", "/api/v1/incidents/999", "", 404, "not_found", "999"},
		{"update to no incident", "POST", "/api/v1/incidents/999/updates", `{"status": "identified", "body": "x"}`, 404, "not_found", "999"},
		{"ack no incident", "POST", "/api/v1/incidents/999/ack", ``, 404, "not_found", "999"},
		{"empty patch", "PATCH", path, `{}`, 400, "invalid", "nothing to change"},
		{"merge into itself", "PATCH", path, fmt.Sprintf(`{"merged_into": %d}`, inc.ID), 400, "invalid", "itself"},
		{"merge into nothing", "PATCH", path, `{"merged_into": 999}`, 400, "invalid", "no incident 999"},
		{"patch empty title", "PATCH", path, `{"title": " "}`, 400, "invalid", "title"},
		{"limit too big", "GET", "/api/v1/incidents?limit=1000", "", 400, "invalid", "limit"},
		{"limit zero", "GET", "/api/v1/incidents?limit=0", "", 400, "invalid", "limit"},
		{"negative offset", "GET", "/api/v1/incidents?offset=-1", "", 400, "invalid", "offset"},
		{"open=false is not a filter", "GET", "/api/v1/incidents?open=false", "", 400, "invalid", "open=true"},
		{"maintenance ends before start", "POST", "/api/v1/maintenance", `{"title": "m", "components": ["api"], "start": "2026-11-27T10:00:00Z", "end": "2026-11-27T09:00:00Z"}`, 400, "invalid", "ends before"},
		{"maintenance unknown component", "POST", "/api/v1/maintenance", `{"title": "m", "components": ["db"], "start": "2026-11-27T10:00:00Z", "end": "2026-11-27T11:00:00Z"}`, 400, "invalid", `no component "db"`},
		{"maintenance bad time", "POST", "/api/v1/maintenance", `{"title": "m", "components": ["api"], "start": "tomorrow", "end": "2026-11-27T11:00:00Z"}`, 400, "invalid", "bad JSON"},
		{"maintenance bad query", "GET", "/api/v1/maintenance?from=yesterday", "", 400, "invalid", "RFC 3339"},
		{"known issue severity", "POST", "/api/v1/known-issues", `{"title": "k", "severity": "awful"}`, 400, "invalid", "severity"},
		{"known issue id is not settable", "POST", "/api/v1/known-issues", `{"id": 3, "title": "k", "severity": "minor"}`, 400, "invalid", "unknown field"},
		{"known issue unknown component", "POST", "/api/v1/known-issues", `{"title": "k", "severity": "minor", "components": ["dbb"]}`, 400, "invalid", `no component "dbb"`},
		{"method not allowed", "DELETE", path, "", 405, "method_not_allowed", "PATCH"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := a.as(t, "writer", tc.method, tc.path, tc.body)
			if rec.Code != tc.code {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tc.code, rec.Body)
			}
			e := mustAPIError(t, rec)
			if e.Error.Code != tc.errCode || !strings.Contains(e.Error.Message, tc.message) {
				t.Fatalf("error = %+v, want code %s and a message with %q", e.Error, tc.errCode, tc.message)
			}
		})
	}
	// Nothing refused was stored.
	incs, err := a.db.Incidents(t.Context(), status.IncidentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(incs) != 1 || incs[0].Title != "x" || incs[0].MergedInto != 0 {
		t.Fatalf("incidents after refused requests = %+v", incs)
	}
}

func TestAdminMaintenance(t *testing.T) {
	a := newAdminEnv(t, nil)
	start := a.clock.now().Add(24 * time.Hour)
	var m status.Maintenance
	mustDecode(t, a.as(t, "writer", "POST", "/api/v1/maintenance", fmt.Sprintf(`{"title": "Database upgrade", "components": ["api", "web"], "start": %q, "end": %q}`,
		start.In(time.FixedZone("CET", 3600)).Format(time.RFC3339), start.Add(2*time.Hour).Format(time.RFC3339))), http.StatusCreated, &m)
	if m.ID == 0 || !m.Start.Equal(start) || m.Start.Location() != time.UTC || len(m.Components) != 2 {
		t.Fatalf("created = %+v", m)
	}
	var l struct {
		Maintenance []status.Maintenance `json:"maintenance"`
	}
	mustDecode(t, a.as(t, "reader", "GET", "/api/v1/maintenance", ""), http.StatusOK, &l)
	if len(l.Maintenance) != 1 || l.Maintenance[0].ID != m.ID {
		t.Fatalf("upcoming = %+v, want the new window", l)
	}
	// A window that has passed is outside the default range but found by
	// asking for it.
	a.clock.add(72 * time.Hour)
	mustDecode(t, a.as(t, "reader", "GET", "/api/v1/maintenance", ""), http.StatusOK, &l)
	if len(l.Maintenance) != 0 {
		t.Fatalf("after the window = %+v, want none upcoming", l)
	}
	mustDecode(t, a.as(t, "reader", "GET", "/api/v1/maintenance?from="+start.Add(-time.Hour).Format(time.RFC3339)+"&to="+start.Add(time.Hour).Format(time.RFC3339), ""), http.StatusOK, &l)
	if len(l.Maintenance) != 1 {
		t.Fatalf("asked for the window's time = %+v, want it", l)
	}
}

func TestAdminKnownIssues(t *testing.T) {
	a := newAdminEnv(t, nil)
	var k status.KnownIssue
	mustDecode(t, a.as(t, "writer", "POST", "/api/v1/known-issues", `{"title": "CSV export drops accents", "description": "Non-ASCII letters are lost.",
		"workaround": "Export as XLSX.", "severity": "minor", "components": ["web"], "public": true, "fixed_in": "v2.4.0"}`), http.StatusCreated, &k)
	if k.ID == 0 || k.Title != "CSV export drops accents" || k.Workaround != "Export as XLSX." || !k.Public || k.FixedIn != "v2.4.0" || !k.CreatedAt.Equal(a.clock.now()) {
		t.Fatalf("created = %+v", k)
	}
	mustDecode(t, a.as(t, "writer", "POST", "/api/v1/known-issues", `{"title": "Old bug", "severity": "none", "resolved_at": "2026-11-01T00:00:00Z"}`), http.StatusCreated, nil)
	var l struct {
		KnownIssues []status.KnownIssue `json:"known_issues"`
	}
	mustDecode(t, a.as(t, "reader", "GET", "/api/v1/known-issues", ""), http.StatusOK, &l)
	if len(l.KnownIssues) != 1 || l.KnownIssues[0].ID != k.ID {
		t.Fatalf("open known issues = %+v", l)
	}
	mustDecode(t, a.as(t, "reader", "GET", "/api/v1/known-issues?resolved=true", ""), http.StatusOK, &l)
	if len(l.KnownIssues) != 2 {
		t.Fatalf("all known issues = %+v", l)
	}
}

func TestAdminWithoutStore(t *testing.T) {
	e := newEnv(t, nil)
	if rec := e.do(t, "GET", "/api/v1/incidents", "", ""); rec.Code != http.StatusUnauthorized {
		t.Fatalf("no token, no store: %d, want 401", rec.Code)
	}
	rec := e.do(t, "GET", "/api/v1/incidents", "snt_whatever", "")
	if rec.Code != http.StatusServiceUnavailable || mustAPIError(t, rec).Error.Code != "unavailable" {
		t.Fatalf("token, no store: %d %s, want 503", rec.Code, rec.Body)
	}
}

func TestAdminSplitIncident(t *testing.T) {
	a := newAdminEnv(t, nil)
	started := a.clock.now().Add(-20 * time.Minute)
	var orig status.Incident
	mustDecode(t, a.as(t, "writer", "POST", "/api/v1/incidents", fmt.Sprintf(`{
		"title": "API and Web failing", "impact": "major", "public": true, "started_at": %q,
		"components": [{"component": "api", "status": "major_outage"}, {"component": "web", "status": "partial_outage"}],
		"body": "A bad deploy broke both."}`, started.Format(time.RFC3339))), http.StatusCreated, &orig)
	path := fmt.Sprintf("/api/v1/incidents/%d/split", orig.ID)

	// Readers cannot split; nonsense is refused and changes nothing.
	if rec := a.as(t, "reader", "POST", path, `{"title": "Web", "components": ["web"]}`); rec.Code != http.StatusForbidden {
		t.Errorf("reader split = %d, want 403", rec.Code)
	}
	for body, want := range map[string]string{
		`{"title": "Web"}`:                                "name the components or customers",
		`{"title": "", "components": ["web"]}`:            "needs a title",
		`{"title": "Web", "components": ["db"]}`:          `component \"db\" is not part of`,
		`{"title": "Web", "components": ["api", "web"]}`:  "at least one component",
		`{"title": "Web", "customers": ["acme"]}`:         `customer \"acme\" is not part of`,
		`{"title": "Web", "components": ["web"], "x": 1}`: "unknown field",
	} {
		rec := a.as(t, "writer", "POST", path, body)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("split %s = %d %s, want 400 saying %q", body, rec.Code, rec.Body, want)
		}
	}
	if rec := a.as(t, "writer", "POST", "/api/v1/incidents/9999/split", `{"title": "Web", "components": ["web"]}`); rec.Code != http.StatusNotFound {
		t.Errorf("split of a missing incident = %d, want 404", rec.Code)
	}

	a.clock.add(time.Minute)
	var got struct {
		Original status.Incident `json:"original"`
		Incident status.Incident `json:"incident"`
	}
	mustDecode(t, a.as(t, "writer", "POST", path, `{"title": "Web pages slow", "components": ["web"]}`), http.StatusCreated, &got)
	n := got.Incident
	if n.ID == 0 || n.ID == orig.ID || n.Title != "Web pages slow" || !n.StartedAt.Equal(started) || !n.Public || n.Impact != status.ImpactMajor ||
		n.Status != status.Investigating || len(n.Components) != 1 || n.Components[0] != (status.AffectedComponent{Component: "web", Status: status.PartialOutage}) {
		t.Fatalf("new incident = %+v", n)
	}
	if len(n.Updates) != 1 || n.Updates[0].Body != "A bad deploy broke both." || !n.Updates[0].Human {
		t.Errorf("new incident's first update %+v, want the original's explanation", n.Updates)
	}
	if o := got.Original; len(o.Components) != 1 || o.Components[0].Component != "api" {
		t.Errorf("original keeps %+v, want api only", o.Components)
	}
	var stored status.Incident
	mustDecode(t, a.as(t, "reader", "GET", fmt.Sprintf("/api/v1/incidents/%d", orig.ID), ""), http.StatusOK, &stored)
	if len(stored.Components) != 1 || stored.Components[0].Component != "api" {
		t.Errorf("stored original components %+v", stored.Components)
	}

	// Both audit trails say "split" and name the other incident.
	for id, other := range map[int64]int64{orig.ID: n.ID, n.ID: orig.ID} {
		audit, err := a.db.Audit(t.Context(), "incident", id)
		if err != nil {
			t.Fatal(err)
		}
		last := audit[len(audit)-1]
		if last.Action != "split" || last.Actor != "writer" || !strings.Contains(last.After, fmt.Sprintf("%d", other)) {
			t.Errorf("incident %d audit ends with %+v, want a split naming %d", id, last, other)
		}
	}
}
