package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/web"
)

const (
	goodToken  = "s3cret-ingest-token"
	otherToken = "another-token"
)

var now = time.Date(2026, 3, 1, 21, 0, 0, 0, time.UTC)

type fakeIngester struct {
	mu  sync.Mutex
	got [][]status.Sample
	err error
}

func (f *fakeIngester) Ingest(ctx context.Context, ss []status.Sample) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	f.got = append(f.got, ss)
	return nil
}

type fakeHeartbeats struct {
	mu    sync.Mutex
	known map[string]bool
	beats []time.Time
}

func (f *fakeHeartbeats) Heartbeat(ctx context.Context, token string, at time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.known[token] {
		return safetynet.Errorf(safetynet.ENOTFOUND, "no heartbeat check has this token")
	}
	f.beats = append(f.beats, at)
	return nil
}

type fakeDashboard struct {
	snap web.Snapshot
	err  error
}

func (f *fakeDashboard) Snapshot(ctx context.Context) (web.Snapshot, error) { return f.snap, f.err }

type fakePinger struct{ err error }

func (f *fakePinger) Ping(ctx context.Context) error { return f.err }

// logBuffer collects log output so tests can check what is (not) logged.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type env struct {
	srv   *web.Server
	ing   *fakeIngester
	hb    *fakeHeartbeats
	dash  *fakeDashboard
	ping  *fakePinger
	reg   *prometheus.Registry
	logs  *logBuffer
	ready error
}

func newEnv(t testing.TB, mod func(*web.Options)) *env {
	t.Helper()
	e := &env{
		ing:  &fakeIngester{},
		hb:   &fakeHeartbeats{known: map[string]bool{"hb-nightly-backup": true}},
		dash: &fakeDashboard{snap: sampleSnapshot()},
		ping: &fakePinger{},
		reg:  prometheus.NewRegistry(),
		logs: &logBuffer{},
	}
	opts := web.Options{
		Ingester:     e.ing,
		Heartbeats:   e.hb,
		Dashboard:    e.dash,
		Pinger:       e.ping,
		Ready:        func(context.Context) error { return e.ready },
		Registry:     e.reg,
		Logger:       slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:          func() time.Time { return now },
		IngestTokens: map[string]string{status.HashToken(goodToken): "ci-pipeline", status.HashToken(otherToken): "cron"},
	}
	if mod != nil {
		mod(&opts)
	}
	e.srv = web.New(opts)
	return e
}

// do serves one request in-process and returns the recorded answer.
func (e *env) do(t *testing.T, method, path, token, body string) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func mustAPIError(t *testing.T, rec *httptest.ResponseRecorder) apiError {
	t.Helper()
	var e apiError
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("error Content-Type = %q, want JSON; body %s", ct, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatalf("error body is not JSON: %v\n%s", err, rec.Body)
	}
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("error body lacks code or message: %s", rec.Body)
	}
	return e
}

func sampleSnapshot() web.Snapshot {
	ok := &status.Result{CheckID: "api-health", Location: "local", At: now.Add(-20 * time.Second), Latency: 42 * time.Millisecond, OK: true}
	bad := &status.Result{CheckID: "db-tcp", Location: "local", At: now.Add(-10 * time.Second), Latency: 3 * time.Second, Error: "dial tcp 10.0.0.5:5432: i/o timeout"}
	return web.Snapshot{
		At: now,
		Components: []web.ComponentView{
			{Component: status.Component{ID: "api", Name: "Public API", Group: "Core", Owner: "platform"}, Status: status.Operational, Cause: "all checks passing"},
			{Component: status.Component{ID: "db", Name: "Database", Group: "Core"}, Status: status.MajorOutage, Cause: "all checks failing (db-tcp)", Since: now.Add(-5 * time.Minute)},
		},
		Checks: []web.CheckView{
			{ID: "api-health", Name: "API health", Component: "api", Kind: status.KindHTTP, Target: "https://user:hunter2@api.example.com/health", Location: "local", State: status.StateUp, Since: now.Add(-time.Hour), LastResult: ok},
			{ID: "db-tcp", Name: "DB port", Component: "db", Kind: status.KindTCP, Target: "10.0.0.5:5432", Location: "local", State: status.StateDown, Since: now.Add(-5 * time.Minute), LastResult: bad},
			{ID: "api-new", Name: "New check", Component: "api", Kind: status.KindHTTP, Target: "https://api.example.com/v2"},
		},
		Alerts: []status.Alert{
			{ID: 7, Kind: status.AlertAnomaly, Component: "api", Subject: "users", Summary: "users fell to 5% of their usual level", Started: now.Add(-3 * time.Minute)},
		},
		Notifiers: []web.NotifierView{{Name: "team-slack", Failing: 2, Pending: 3, LastError: "status 500 from hooks", LastAttempt: now.Add(-time.Minute)}},
		Outbox:    web.OutboxView{Pending: 3, Failing: 2},
	}
}

func TestHealthz(t *testing.T) {
	e := newEnv(t, nil)
	e.ping.err = errors.New("database is gone")
	rec := e.do(t, "GET", "/healthz", "", "")
	if rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != "ok" {
		t.Fatalf("GET /healthz = %d %q, want 200 ok even with the store down", rec.Code, rec.Body)
	}
}

func TestReadyz(t *testing.T) {
	tests := []struct {
		name     string
		ping     error
		ready    error
		noPinger bool
		want     int
		reason   string
	}{
		{name: "ready", want: 200},
		{name: "store down", ping: errors.New("connection refused"), want: 503, reason: "store: connection refused"},
		{name: "config not loaded", ready: errors.New("config not loaded"), want: 503, reason: "config not loaded"},
		{name: "no store wired", noPinger: true, want: 503, reason: "no store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(o *web.Options) {
				if tt.noPinger {
					o.Pinger = nil
				}
			})
			e.ping.err, e.ready = tt.ping, tt.ready
			rec := e.do(t, "GET", "/readyz", "", "")
			if rec.Code != tt.want {
				t.Fatalf("GET /readyz = %d %q, want %d", rec.Code, rec.Body, tt.want)
			}
			if tt.reason != "" && !strings.Contains(rec.Body.String(), tt.reason) {
				t.Errorf("body %q does not give the reason %q", rec.Body, tt.reason)
			}
		})
	}
}

func TestReadyzTimesOutOnHungStore(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.Pinger = hungPinger{} })
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the request's context is done: the ping must give up at once
	req := httptest.NewRequestWithContext(ctx, "GET", "/readyz", nil)
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != 503 {
		t.Fatalf("GET /readyz with a hung store = %d, want 503", rec.Code)
	}
}

type hungPinger struct{}

func (hungPinger) Ping(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }

func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.OpenRead = true })
	for _, tc := range []struct{ method, path, token string }{
		{"GET", "/healthz", ""},
		{"GET", "/dashboard", ""},
		{"GET", "/metrics", ""},
		{"POST", "/api/v1/metrics", ""}, // 401
		{"GET", "/api/v1/nope", ""},     // 404
		{"GET", "/nope", ""},            // mux 404
		{"DELETE", "/healthz", ""},      // 405
	} {
		rec := e.do(t, tc.method, tc.path, tc.token, "")
		h := rec.Header()
		for k, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "no-referrer",
			"X-Frame-Options":        "DENY",
		} {
			if got := h.Get(k); got != want {
				t.Errorf("%s %s: %s = %q, want %q", tc.method, tc.path, k, got, want)
			}
		}
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s %s: CSP = %q", tc.method, tc.path, csp)
		}
	}
}

func TestIngestBatch(t *testing.T) {
	e := newEnv(t, nil)
	body := `{"samples":[
		{"name":"users","value":1000,"time":"2026-03-01T20:59:00Z","tags":{"component":"api"}},
		{"name":"signups","value":3.5},
		{"name":"orders","value":7,"time":1772398740}
	]}`
	rec := e.do(t, "POST", "/api/v1/metrics", goodToken, body)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("POST /api/v1/metrics = %d %s, want 202", rec.Code, rec.Body)
	}
	if !strings.Contains(rec.Body.String(), `"accepted": 3`) {
		t.Errorf("answer %s does not count 3 samples", rec.Body)
	}
	if len(e.ing.got) != 1 || len(e.ing.got[0]) != 3 {
		t.Fatalf("ingester got %v, want one batch of 3", e.ing.got)
	}
	got := e.ing.got[0]
	if got[0].Name != "users" || got[0].Value != 1000 || got[0].Tags["component"] != "api" || !got[0].At.Equal(now.Add(-time.Minute)) {
		t.Errorf("sample 0 = %+v", got[0])
	}
	if !got[1].At.Equal(now) {
		t.Errorf("sample without time got %v, want the server's now %v", got[1].At, now)
	}
	if want := time.Unix(1772398740, 0); !got[2].At.Equal(want) {
		t.Errorf("sample with Unix time got %v, want %v", got[2].At, want)
	}
}

func TestIngestSingleSample(t *testing.T) {
	e := newEnv(t, nil)
	rec := e.do(t, "POST", "/api/v1/metrics", goodToken, `{"name":"users","value":950,"tags":{"customer":"acme"}}`)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("single sample = %d %s, want 202", rec.Code, rec.Body)
	}
	if len(e.ing.got) != 1 || len(e.ing.got[0]) != 1 || e.ing.got[0][0].Value != 950 || e.ing.got[0][0].Tags["customer"] != "acme" {
		t.Fatalf("ingester got %+v", e.ing.got)
	}
	if !strings.Contains(e.logs.String(), "token=ci-pipeline") {
		t.Errorf("request log does not name the token:\n%s", e.logs)
	}
}

func TestIngestAuth(t *testing.T) {
	e := newEnv(t, nil)
	body := `{"name":"users","value":1}`
	for _, tc := range []struct {
		name   string
		header string
	}{
		{"no token", ""},
		{"wrong token", "Bearer not-the-token"},
		{"empty bearer", "Bearer "},
		{"other scheme", "Token " + goodToken},
		{"the digest instead of the token", "Bearer " + status.HashToken(goodToken)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/api/v1/metrics", strings.NewReader(body))
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			rec := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized {
				t.Fatalf("status %d %s, want 401", rec.Code, rec.Body)
			}
			if ae := mustAPIError(t, rec); ae.Error.Code != safetynet.EUNAUTHORIZED {
				t.Errorf("code %q, want %q", ae.Error.Code, safetynet.EUNAUTHORIZED)
			}
			if rec.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	if len(e.ing.got) != 0 {
		t.Fatalf("unauthenticated pushes reached the ingester: %v", e.ing.got)
	}
	if logs := e.logs.String(); strings.Contains(logs, "not-the-token") || strings.Contains(logs, goodToken) {
		t.Errorf("a token appears in the logs:\n%s", logs)
	}
}

func TestIngestTokenReload(t *testing.T) {
	e := newEnv(t, nil)
	if err := e.srv.SetIngestTokens(map[string]string{status.HashToken("new-token"): "rotated"}); err != nil {
		t.Fatal(err)
	}
	if rec := e.do(t, "POST", "/api/v1/metrics", goodToken, `{"name":"a","value":1}`); rec.Code != 401 {
		t.Errorf("old token after rotation = %d, want 401", rec.Code)
	}
	if rec := e.do(t, "POST", "/api/v1/metrics", "new-token", `{"name":"a","value":1}`); rec.Code != 202 {
		t.Errorf("new token = %d %s, want 202", rec.Code, rec.Body)
	}
	if err := e.srv.SetIngestTokens(map[string]string{"not-hex": "bad"}); err == nil {
		t.Error("SetIngestTokens accepted a malformed digest")
	}
	if rec := e.do(t, "POST", "/api/v1/metrics", "new-token", `{"name":"a","value":1}`); rec.Code != 202 {
		t.Errorf("a bad reload dropped the working tokens: %d", rec.Code)
	}
}

func TestIngestBadInput(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct {
		name, body, want string
	}{
		{"empty body", "", "empty body"},
		{"not JSON", "users=5", "bad JSON"},
		{"truncated", `{"samples":[{"name":"a","value":1}`, "bad JSON"},
		{"value as string", `{"name":"a","value":"five"}`, "value must be a number"},
		{"typo field", `{"name":"a","valu":1}`, `unknown field "valu"`},
		{"missing value", `{"name":"a"}`, "sample: value is missing"},
		{"bad name at index 2", `{"samples":[{"name":"a","value":1},{"name":"b","value":2},{"name":"has space","value":3}]}`, "samples[2]: metric name"},
		{"missing value at index 1", `{"samples":[{"name":"a","value":1},{"name":"b"}]}`, "samples[1]: value is missing"},
		{"empty list", `{"samples":[]}`, `"samples" is empty`},
		{"both forms", `{"samples":[{"name":"a","value":1}],"name":"b","value":2}`, "not both"},
		{"bad time", `{"name":"a","value":1,"time":"yesterday"}`, "RFC 3339"},
		{"far future", `{"name":"a","value":1,"time":"2026-03-02T21:00:00Z"}`, "ahead of the server's clock"},
		{"two values", `{"name":"a","value":1} {"name":"b","value":2}`, "more than one value"},
		{"too many tags", `{"name":"a","value":1,"tags":{` + manyTags(21) + `}}`, "at most 20 tags"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.do(t, "POST", "/api/v1/metrics", goodToken, tc.body)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d %s, want 400", rec.Code, rec.Body)
			}
			ae := mustAPIError(t, rec)
			if ae.Error.Code != safetynet.EINVALID || !strings.Contains(ae.Error.Message, tc.want) {
				t.Errorf("error %+v, want code invalid and a message with %q", ae.Error, tc.want)
			}
		})
	}
	if len(e.ing.got) != 0 {
		t.Fatalf("bad pushes reached the ingester: %v", e.ing.got)
	}
}

func manyTags(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`"t%d":"v"`, i)
	}
	return strings.Join(parts, ",")
}

func TestIngestOversizeBody(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.MaxBodyBytes = 4 << 10 })
	var b strings.Builder
	b.WriteString(`{"samples":[`)
	for i := 0; b.Len() < 8<<10; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"name":"m%d","value":%d}`, i, i)
	}
	b.WriteString("]}")
	rec := e.do(t, "POST", "/api/v1/metrics", goodToken, b.String())
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("8 KiB body with a 4 KiB limit = %d %s, want 413", rec.Code, rec.Body)
	}
	if ae := mustAPIError(t, rec); !strings.Contains(ae.Error.Message, "4 KiB") {
		t.Errorf("message %q does not state the limit", ae.Error.Message)
	}
}

func TestIngestDefaultLimitIsOneMiB(t *testing.T) {
	e := newEnv(t, nil)
	body := `{"name":"a","value":1,"tags":{"pad":"` + strings.Repeat("x", 1<<20) + `"}}`
	rec := e.do(t, "POST", "/api/v1/metrics", goodToken, body)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("body over 1 MiB = %d, want 413", rec.Code)
	}
}

func TestErrorMapping(t *testing.T) {
	for _, tc := range []struct {
		err      error
		want     int
		code     string
		message  string
		loggedAs string
	}{
		{safetynet.Errorf(safetynet.EINVALID, "bad"), 400, "invalid", "bad", ""},
		{safetynet.Errorf(safetynet.ENOTFOUND, "gone"), 404, "not_found", "gone", ""},
		{safetynet.Errorf(safetynet.ECONFLICT, "twice"), 409, "conflict", "twice", ""},
		{safetynet.Errorf(safetynet.EUNAUTHORIZED, "who"), 401, "unauthorized", "who", ""},
		{safetynet.Errorf(safetynet.EFORBIDDEN, "no"), 403, "forbidden", "no", ""},
		{fmt.Errorf("store: save: %w", safetynet.Errorf(safetynet.ECONFLICT, "duplicate")), 409, "conflict", "duplicate", ""},
		{errors.New(`pq: relation "samples" does not exist`), 500, "internal", "internal error", `relation \"samples\" does not exist`},
	} {
		e := newEnv(t, nil)
		e.ing.err = tc.err
		rec := e.do(t, "POST", "/api/v1/metrics", goodToken, `{"name":"a","value":1}`)
		if rec.Code != tc.want {
			t.Errorf("%v: status %d, want %d", tc.err, rec.Code, tc.want)
			continue
		}
		ae := mustAPIError(t, rec)
		if ae.Error.Code != tc.code || ae.Error.Message != tc.message {
			t.Errorf("%v: error %+v, want %s %q", tc.err, ae.Error, tc.code, tc.message)
		}
		if tc.loggedAs != "" && !strings.Contains(e.logs.String(), tc.loggedAs) {
			t.Errorf("%v: internal error not logged in full:\n%s", tc.err, e.logs)
		}
	}
}

func TestHeartbeat(t *testing.T) {
	e := newEnv(t, nil)
	for _, method := range []string{"POST", "GET"} {
		rec := e.do(t, method, "/api/v1/heartbeat/hb-nightly-backup", "", "")
		if rec.Code != 200 {
			t.Fatalf("%s heartbeat = %d %s, want 200", method, rec.Code, rec.Body)
		}
		var got web.HeartbeatResult
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || !got.OK || !got.At.Equal(now) {
			t.Errorf("%s heartbeat answer %s (%v)", method, rec.Body, err)
		}
	}
	if len(e.hb.beats) != 2 {
		t.Errorf("recorded %d beats, want 2", len(e.hb.beats))
	}

	rec := e.do(t, "POST", "/api/v1/heartbeat/no-such-token-xyz", "", "job output\n")
	if rec.Code != 404 {
		t.Fatalf("unknown heartbeat = %d, want 404", rec.Code)
	}
	if ae := mustAPIError(t, rec); ae.Error.Code != safetynet.ENOTFOUND || strings.Contains(rec.Body.String(), "no-such-token-xyz") {
		t.Errorf("unknown heartbeat answer %s: want not_found without echoing the token", rec.Body)
	}
	if strings.Contains(e.logs.String(), "hb-nightly-backup") || strings.Contains(e.logs.String(), "no-such-token-xyz") {
		t.Errorf("a heartbeat token appears in the logs:\n%s", e.logs)
	}
	if !strings.Contains(e.logs.String(), "/api/v1/heartbeat/{token}") {
		t.Errorf("request log should name the route pattern:\n%s", e.logs)
	}
}

func TestReadAPI(t *testing.T) {
	e := newEnv(t, nil)

	rec := e.do(t, "GET", "/api/v1/components", goodToken, "")
	if rec.Code != 200 {
		t.Fatalf("components = %d %s", rec.Code, rec.Body)
	}
	var comps web.ComponentsResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &comps); err != nil {
		t.Fatal(err)
	}
	if len(comps.Components) != 2 || comps.Components[1].ID != "db" || comps.Components[1].Status != status.MajorOutage || comps.Components[1].Cause == "" {
		t.Errorf("components = %+v", comps.Components)
	}
	if !strings.Contains(rec.Body.String(), `"status": "major_outage"`) || !strings.Contains(rec.Body.String(), `"id": "db"`) {
		t.Errorf("component JSON lacks flat id/status fields:\n%s", rec.Body)
	}

	rec = e.do(t, "GET", "/api/v1/checks", goodToken, "")
	if rec.Code != 200 {
		t.Fatalf("checks = %d %s", rec.Code, rec.Body)
	}
	var checks web.ChecksResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &checks); err != nil {
		t.Fatal(err)
	}
	if len(checks.Checks) != 3 {
		t.Fatalf("checks = %+v", checks.Checks)
	}
	if c := checks.Checks[1]; c.State != status.StateDown || c.LastResult == nil || c.LastResult.Latency != 3*time.Second || c.LastResult.Error == "" {
		t.Errorf("db check = %+v", c)
	}
	if c := checks.Checks[2]; c.State != status.StateUnknown {
		t.Errorf("check never run has state %q, want unknown", c.State)
	}
	if strings.Contains(rec.Body.String(), "hunter2") {
		t.Errorf("URL credentials leak into the checks API:\n%s", rec.Body)
	}

	rec = e.do(t, "GET", "/api/v1/snapshot", goodToken, "")
	var snap web.Snapshot
	if err := json.Unmarshal(rec.Body.Bytes(), &snap); err != nil || rec.Code != 200 {
		t.Fatalf("snapshot = %d %s", rec.Code, rec.Body)
	}
	if len(snap.Alerts) != 1 || len(snap.Notifiers) != 1 || snap.Outbox.Failing != 2 {
		t.Errorf("snapshot = %+v", snap)
	}
}

func TestReadAPIAuth(t *testing.T) {
	e := newEnv(t, nil)
	for _, path := range []string{"/api/v1/components", "/api/v1/checks", "/api/v1/snapshot"} {
		if rec := e.do(t, "GET", path, "", ""); rec.Code != 401 {
			t.Errorf("GET %s without token = %d, want 401", path, rec.Code)
		}
		if rec := e.do(t, "GET", path, "wrong", ""); rec.Code != 401 {
			t.Errorf("GET %s with wrong token = %d, want 401", path, rec.Code)
		}
	}
	rec := e.do(t, "GET", "/dashboard", "", "")
	if rec.Code != 401 || !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Basic") {
		t.Errorf("dashboard without login = %d, WWW-Authenticate %q; want 401 asking for basic auth", rec.Code, rec.Header().Get("WWW-Authenticate"))
	}
	req := httptest.NewRequest("GET", "/dashboard", nil)
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("me:"+goodToken)))
	rr := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rr, req)
	if rr.Code != 200 {
		t.Errorf("dashboard with the token as basic auth password = %d, want 200", rr.Code)
	}

	open := newEnv(t, func(o *web.Options) { o.OpenRead = true })
	for _, path := range []string{"/dashboard", "/api/v1/components", "/api/v1/checks"} {
		if rec := open.do(t, "GET", path, "", ""); rec.Code != 200 {
			t.Errorf("GET %s with OpenRead = %d, want 200", path, rec.Code)
		}
	}
	if rec := open.do(t, "POST", "/api/v1/metrics", "", `{"name":"a","value":1}`); rec.Code != 401 {
		t.Errorf("OpenRead opened the ingest route too: %d", rec.Code)
	}
}

func TestUnwiredRoutesAnswer503(t *testing.T) {
	srv := web.New(web.Options{OpenRead: true, IngestTokens: map[string]string{status.HashToken(goodToken): "t"}})
	for _, tc := range []struct{ method, path string }{
		{"POST", "/api/v1/metrics"},
		{"POST", "/api/v1/heartbeat/x"},
		{"GET", "/api/v1/components"},
		{"GET", "/dashboard"},
		{"GET", "/"},
	} {
		req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(`{"name":"a","value":1}`))
		req.Header.Set("Authorization", "Bearer "+goodToken)
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		if rec.Code != 503 {
			t.Errorf("%s %s unwired = %d, want 503", tc.method, tc.path, rec.Code)
		}
	}
}

func TestDashboardErrorIsInternal(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.OpenRead = true })
	e.dash.err = errors.New("sql: database is closed")
	rec := e.do(t, "GET", "/api/v1/components", "", "")
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "sql:") {
		t.Errorf("snapshot failure = %d %s, want 500 internal error without details", rec.Code, rec.Body)
	}
}

func TestUnknownAPIRouteIsJSON404(t *testing.T) {
	e := newEnv(t, nil)
	rec := e.do(t, "GET", "/api/v1/nope", "", "")
	if rec.Code != 404 {
		t.Fatalf("status %d, want 404", rec.Code)
	}
	mustAPIError(t, rec)
}

func TestMethodNotAllowed(t *testing.T) {
	e := newEnv(t, nil)
	if rec := e.do(t, "PUT", "/api/v1/metrics", goodToken, "{}"); rec.Code != 405 {
		t.Errorf("PUT /api/v1/metrics = %d, want 405", rec.Code)
	}
}

func TestLoopbackOnly(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true,
		"127.1.2.3:80":   true,
		"[::1]:8080":     true,
		"localhost:8080": true,
		":8080":          false,
		"0.0.0.0:8080":   false,
		"[::]:8080":      false,
		"10.0.0.1:8080":  false,
		"example.com:80": false,
		"nonsense":       false,
	} {
		if got := web.LoopbackOnly(addr); got != want {
			t.Errorf("LoopbackOnly(%q) = %v, want %v", addr, got, want)
		}
	}
}
