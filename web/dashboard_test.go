package web_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/web"
)

func TestDashboardShowsEveryStatus(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.OpenRead = true })
	statuses := []status.Status{status.Operational, status.Degraded, status.PartialOutage, status.MajorOutage, status.UnderMaintenance}
	snap := sampleSnapshot()
	snap.Components = nil
	for i, st := range statuses {
		snap.Components = append(snap.Components, web.ComponentView{
			Component: status.Component{ID: "c" + string(rune('a'+i)), Name: "Component " + string(st), Group: "All", Position: i},
			Status:    st,
			Cause:     "cause of " + string(st),
		})
	}
	e.dash.snap = snap
	rec := e.do(t, "GET", "/dashboard", "", "")
	if rec.Code != 200 {
		t.Fatalf("GET / = %d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	page := rec.Body.String()
	for _, st := range statuses {
		re := regexp.MustCompile(`(?s)<article class="component st-` + string(st) + `"[^>]*>.*?Component ` + string(st) + `.*?cause of ` + string(st))
		if !re.MatchString(page) {
			t.Errorf("no component card for %s with its class, name and cause", st)
		}
	}
	for _, words := range []string{"Operational", "Degraded performance", "Partial outage", "Major outage", "Under maintenance"} {
		if !strings.Contains(page, words) {
			t.Errorf("page does not say %q", words)
		}
	}
	if !strings.Contains(page, `<header class="banner st-major_outage">`) {
		t.Error("banner does not take the worst status")
	}
	if !strings.Contains(page, `<meta http-equiv="refresh" content="30">`) {
		t.Error("page does not refresh itself")
	}
	if strings.Contains(page, "<script") {
		t.Error("page carries a script; it must work without JavaScript")
	}
}

func TestDashboardShowsChecksAlertsAndNotifiers(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.OpenRead = true })
	page := e.do(t, "GET", "/dashboard", "", "").Body.String()
	for _, want := range []string{
		"Public API", "Database", "all checks failing (db-tcp)",
		"API health", "42 ms", // latency of the last result
		"DB port", "dial tcp 10.0.0.5:5432: i/o timeout", "3.00 s",
		"not run yet",                           // a check without results
		"users fell to 5% of their usual level", // open alert
		"team-slack", "status 500 from hooks",   // failing notifier
		"for 5m", "Owner: platform",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if strings.Contains(page, "hunter2") {
		t.Error("URL credentials of a check target are on the page")
	}
}

func TestDashboardEscapesUserText(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.OpenRead = true })
	snap := sampleSnapshot()
	snap.Components[0].Name = `<script>alert(1)</script>`
	snap.Components[0].Cause = `<img src=x onerror=alert(2)>`
	snap.Checks[0].LastResult.Error = `"><script>alert(3)</script>`
	snap.Alerts[0].Summary = `<b>bold</b>`
	e.dash.snap = snap
	page := e.do(t, "GET", "/dashboard", "", "").Body.String()
	for _, raw := range []string{"<script>", "<img", "<b>bold"} {
		if strings.Contains(page, raw) {
			t.Errorf("user text %q rendered unescaped", raw)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the component named <script> is not shown, escaped")
	}
}

func TestDashboardEmpty(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.OpenRead = true })
	e.dash.snap = web.Snapshot{}
	rec := e.do(t, "GET", "/dashboard", "", "")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "No components configured") {
		t.Errorf("empty dashboard = %d:\n%s", rec.Code, rec.Body)
	}
}

func TestDashboardStylesheetIsLocalAndCached(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.OpenRead = true })
	page := e.do(t, "GET", "/dashboard", "", "").Body.String()
	m := regexp.MustCompile(`<link rel="stylesheet" href="(/static/style\.[0-9a-f]{8}\.css)">`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no content-hashed stylesheet link in the page")
	}
	if regexp.MustCompile(`(src|href)="(https?:)?//`).MatchString(page) {
		t.Error("the page loads something from another host")
	}
	rec := e.do(t, "GET", m[1], "", "")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("GET %s = %d %q", m[1], rec.Code, rec.Header().Get("Content-Type"))
	}
	if !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("hashed asset Cache-Control = %q", rec.Header().Get("Cache-Control"))
	}
	if rec := e.do(t, "GET", "/static/style.css", "", ""); rec.Code != 404 {
		t.Errorf("unhashed asset name = %d, want 404", rec.Code)
	}
}

func TestMetricsEndpoint(t *testing.T) {
	e := newEnv(t, nil)
	e.do(t, "GET", "/healthz", "", "")
	e.do(t, "POST", "/api/v1/metrics", "", `{}`)
	e.do(t, "POST", "/api/v1/heartbeat/secret-token-abc", "", "")
	e.do(t, "GET", "/no/such/page", "", "")
	e.do(t, "POST", "/api/v1/metrics", goodToken, `{"samples":[{"name":"a","value":1},{"name":"b","value":2}]}`)
	e.do(t, "GET", "/api/v1/heartbeat/hb-nightly-backup", "", "")

	rec := e.do(t, "GET", "/metrics", "", "")
	if rec.Code != 200 {
		t.Fatalf("GET /metrics = %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`safetynet_http_requests_total{code="200",route="GET /healthz"} 1`,
		`safetynet_http_requests_total{code="401",route="POST /api/v1/metrics"} 1`,
		`safetynet_http_requests_total{code="404",route="POST /api/v1/heartbeat/{token}"} 1`,
		`safetynet_http_requests_total{code="404",route="unmatched"} 1`,
		`safetynet_http_request_duration_seconds_bucket{route="GET /healthz",le="0.001"}`,
		`safetynet_ingest_samples_total{token="ci-pipeline"} 2`,
		`safetynet_heartbeat_requests_total{result="ok"} 1`,
		`safetynet_heartbeat_requests_total{result="unknown"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, "secret-token-abc") {
		t.Error("a heartbeat token became a metric label")
	}
	for _, line := range strings.Split(body, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !strings.HasPrefix(line, "safetynet_") {
			t.Errorf("series without the safetynet_ prefix: %s", line)
		}
	}
}

func TestServerRebuiltOnSameRegistry(t *testing.T) {
	e := newEnv(t, nil)
	// A reload may build a new server on the same registry: no panic, and
	// the counters carry on.
	again := web.New(web.Options{Registry: e.reg})
	e.do(t, "GET", "/healthz", "", "")
	rec := httptest.NewRecorder()
	again.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	body := e.do(t, "GET", "/metrics", "", "").Body.String()
	if !strings.Contains(body, `safetynet_http_requests_total{code="200",route="GET /healthz"} 2`) {
		t.Errorf("counters not shared across rebuilt servers:\n%s", body)
	}
}

func TestNewHTTPServerHasTimeouts(t *testing.T) {
	s := web.NewHTTPServer("127.0.0.1:0", nil)
	if s.ReadHeaderTimeout <= 0 || s.ReadTimeout <= 0 || s.WriteTimeout <= 0 || s.IdleTimeout <= 0 {
		t.Errorf("timeouts not all set: %+v", s)
	}
	if s.ReadHeaderTimeout > 10*time.Second {
		t.Errorf("ReadHeaderTimeout %s lets slow clients hold connections", s.ReadHeaderTimeout)
	}
}

func TestServesOverLoopback(t *testing.T) {
	e := newEnv(t, nil)
	srv := web.NewHTTPServer("127.0.0.1:0", e.srv.Handler())
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	req, _ := http.NewRequest("POST", "http://"+ln.Addr().String()+"/api/v1/metrics", strings.NewReader(`{"name":"users","value":1000}`))
	req.Header.Set("Authorization", "Bearer "+goodToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("push over loopback = %d", resp.StatusCode)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("security headers missing on a real connection")
	}
}
