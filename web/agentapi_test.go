package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/web"
)

// fakeAgents is the monitor as the agent API sees it: checks by location,
// and every result posted, in order.
type fakeAgents struct {
	mu      sync.Mutex
	checks  []status.Check
	posted  []status.Result
	locAt   []string
	refused string // a location whose checks are refused
}

func (f *fakeAgents) Heartbeat(context.Context, string, time.Time) error { return nil }

func (f *fakeAgents) AgentChecks(loc string) ([]status.Check, error) {
	if loc == f.refused {
		return nil, safetynet.Errorf(safetynet.EINVALID, "location %q is the server's own", loc)
	}
	var out []status.Check
	for _, c := range f.checks {
		if c.RunsAt(loc) {
			out = append(out, c)
		}
	}
	return out, nil
}

func (f *fakeAgents) AgentResults(_ context.Context, loc string, rs []status.Result) (status.AgentReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.posted = append(f.posted, rs...)
	for range rs {
		f.locAt = append(f.locAt, loc)
	}
	return status.AgentReport{Accepted: len(rs)}, nil
}

func newAgentEnv(t *testing.T) (*adminEnv, *fakeAgents) {
	t.Helper()
	f := &fakeAgents{refused: "local", checks: []status.Check{{
		ID: "edge", Name: "Edge", Component: "api", Kind: status.KindHTTP, Target: "https://api.example.com/health",
		Interval: 30 * time.Second, Timeout: 5 * time.Second, FailuresToDown: 2, SuccessesToUp: 1,
		Customer: "acme", Peers: "edge-group", Locations: []string{"eu-west", "us-east"}, Quorum: 2,
		Spec: json.RawMessage(`{"method":"GET","headers":{"Authorization":"Bearer probe-secret"}}`), Hash: "abc",
	}}}
	a := newAdminEnv(t, func(o *web.Options) { o.Heartbeats = f })
	for _, tok := range []struct {
		name  string
		scope status.Scope
	}{{"agents", status.ScopeAgent}, {"agent.eu-west", status.ScopeAgent}, {"pusher", status.ScopeIngest}} {
		secret, hash, err := status.NewTokenSecret()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.db.CreateToken(t.Context(), status.Token{Name: tok.name, Hash: hash, Scopes: []status.Scope{tok.scope}}); err != nil {
			t.Fatal(err)
		}
		a.secrets[tok.name] = secret
	}
	return a, f
}

func batchBody(id, loc string, at time.Time) string {
	b, _ := json.Marshal(status.AgentBatch{ID: id, Location: loc, Results: []status.Result{
		{CheckID: "edge", At: at, OK: false, Latency: 120 * time.Millisecond, Error: "status 503, want 200"},
		{CheckID: "edge", At: at.Add(30 * time.Second), OK: true, Latency: 80 * time.Millisecond},
	}})
	return string(b)
}

func TestAgentAPIChecks(t *testing.T) {
	a, _ := newAgentEnv(t)
	var got status.AgentChecks
	mustDecode(t, a.as(t, "agents", "GET", "/api/v1/agent/checks?location=us-east", ""), http.StatusOK, &got)
	if got.Location != "us-east" || len(got.Checks) != 1 {
		t.Fatalf("answer %+v", got)
	}
	c := got.Checks[0]
	if c.ID != "edge" || c.Kind != status.KindHTTP || c.Target == "" || c.Interval != 30*time.Second || c.Timeout != 5*time.Second || c.Hash != "abc" || !strings.Contains(string(c.Spec), "probe-secret") {
		t.Errorf("check lacks what its probe needs: %+v", c)
	}
	if c.Customer != "" || c.Peers != "" || len(c.Locations) != 0 || c.Quorum != 0 {
		t.Errorf("check carries more than the probe needs: %+v", c)
	}
	var raw map[string]json.RawMessage
	mustDecode(t, a.as(t, "agents", "GET", "/api/v1/agent/checks?location=ap-south", ""), http.StatusOK, &raw)
	if string(raw["checks"]) != "[]" {
		t.Errorf("a location without checks gets %s, want an empty list", raw["checks"])
	}
}

func TestAgentAPIAuth(t *testing.T) {
	a, f := newAgentEnv(t)
	at := time.Date(2026, 11, 26, 13, 59, 0, 0, time.UTC)
	tests := []struct {
		token, method, path, body string
		want                      int
	}{
		{"", "GET", "/api/v1/agent/checks?location=eu-west", "", http.StatusUnauthorized},
		{"revoked", "GET", "/api/v1/agent/checks?location=eu-west", "", http.StatusUnauthorized},
		// Other scopes may not read probe settings (they may hold secrets).
		{"writer", "GET", "/api/v1/agent/checks?location=eu-west", "", http.StatusForbidden},
		{"pusher", "POST", "/api/v1/agent/results", batchBody("batch-0001", "eu-west", at), http.StatusForbidden},
		// A token bound to eu-west acts for eu-west alone.
		{"agent.eu-west", "GET", "/api/v1/agent/checks?location=us-east", "", http.StatusForbidden},
		{"agent.eu-west", "POST", "/api/v1/agent/results", batchBody("batch-0002", "us-east", at), http.StatusForbidden},
		{"agent.eu-west", "GET", "/api/v1/agent/checks?location=eu-west", "", http.StatusOK},
		{"agents", "GET", "/api/v1/agent/checks?location=local", "", http.StatusBadRequest},
		{"agents", "GET", "/api/v1/agent/checks?location=EU%20west", "", http.StatusBadRequest},
		{"agents", "GET", "/api/v1/agent/checks", "", http.StatusBadRequest},
	}
	for _, tt := range tests {
		rec := a.do(t, tt.method, tt.path, a.secrets[tt.token], tt.body)
		if rec.Code != tt.want {
			t.Errorf("%s %s as %q = %d, want %d: %s", tt.method, tt.path, tt.token, rec.Code, tt.want, rec.Body)
		}
	}
	if len(f.posted) != 0 {
		t.Errorf("refused requests recorded %d results", len(f.posted))
	}
}

func TestAgentAPIResultsIdempotent(t *testing.T) {
	a, f := newAgentEnv(t)
	at := time.Date(2026, 11, 26, 13, 59, 0, 0, time.UTC)
	body := batchBody("batch-0001", "eu-west", at)
	var rep status.AgentReport
	mustDecode(t, a.as(t, "agent.eu-west", "POST", "/api/v1/agent/results", body), http.StatusOK, &rep)
	if rep.Accepted != 2 || rep.Replayed {
		t.Fatalf("first post = %+v", rep)
	}
	// The same batch again: the first answer, nothing recorded twice.
	mustDecode(t, a.as(t, "agent.eu-west", "POST", "/api/v1/agent/results", body), http.StatusOK, &rep)
	if rep.Accepted != 2 || !rep.Replayed {
		t.Fatalf("second post = %+v, want the first answer replayed", rep)
	}
	// Concurrent retries of one batch count once too.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { a.as(t, "agents", "POST", "/api/v1/agent/results", batchBody("batch-0003", "us-east", at)) })
	}
	wg.Wait()
	if len(f.posted) != 4 {
		t.Fatalf("%d results recorded, want 4 (two batches of two)", len(f.posted))
	}
	if f.locAt[0] != "eu-west" || f.locAt[2] != "us-east" || f.posted[0].Error != "status 503, want 200" || !f.posted[1].OK {
		t.Errorf("recorded %v at %v", f.posted, f.locAt)
	}
}

func TestAgentAPIBadBatches(t *testing.T) {
	a, f := newAgentEnv(t)
	at := time.Date(2026, 11, 26, 13, 59, 0, 0, time.UTC).Format(time.RFC3339)
	many := make([]string, 1001)
	for i := range many {
		many[i] = fmt.Sprintf(`{"check":"edge","at":%q,"ok":true}`, at)
	}
	tests := []struct{ name, body, want string }{
		{"short id", `{"id":"x","location":"eu-west","results":[]}`, "batch id"},
		{"no check", fmt.Sprintf(`{"id":"batch-0001","location":"eu-west","results":[{"at":%q}]}`, at), "needs a check"},
		{"other location inside", fmt.Sprintf(`{"id":"batch-0001","location":"eu-west","results":[{"check":"edge","location":"us-east","at":%q}]}`, at), "not the batch's location"},
		{"unknown field", `{"id":"batch-0001","location":"eu-west","results":[],"token":"x"}`, "unknown field"},
		{"too many", `{"id":"batch-0001","location":"eu-west","results":[` + strings.Join(many, ",") + `]}`, "at most 1000"},
	}
	for _, tt := range tests {
		rec := a.as(t, "agents", "POST", "/api/v1/agent/results", tt.body)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), tt.want) {
			t.Errorf("%s: %d %s, want 400 saying %q", tt.name, rec.Code, rec.Body, tt.want)
		}
	}
	if len(f.posted) != 0 {
		t.Errorf("bad batches recorded %d results", len(f.posted))
	}
	// A long error text is clipped, not refused.
	long := fmt.Sprintf(`{"id":"batch-0009","location":"eu-west","results":[{"check":"edge","at":%q,"error":%q}]}`, at, strings.Repeat("é", 3000))
	mustDecode(t, a.as(t, "agents", "POST", "/api/v1/agent/results", long), http.StatusOK, nil)
	if n := len(f.posted[0].Error); n > 2100 {
		t.Errorf("error text kept at %d bytes", n)
	}
}
