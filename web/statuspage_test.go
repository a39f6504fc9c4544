package web_test

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/web"
)

type fakePublic struct {
	st    web.PublicState
	calls atomic.Int32
}

func (f *fakePublic) Public(context.Context) (web.PublicState, error) {
	f.calls.Add(1)
	return f.st, nil
}

func samplePublic() *fakePublic {
	t0 := now.Add(-2 * time.Hour)
	resolved := now.Add(-time.Hour)
	return &fakePublic{st: web.PublicState{
		Page: web.PageInfo{ID: "demo", Name: "Demo status", URL: "https://status.example.com", UpdatedAt: now},
		Components: []web.PublicComponent{
			{Component: status.Component{ID: "web", Name: "Web app", Group: "Product", Description: "The site"}, Status: status.Operational, CreatedAt: t0, UpdatedAt: t0},
			{Component: status.Component{ID: "api", Name: "API", Group: "Product"}, Status: status.PartialOutage, CreatedAt: t0, UpdatedAt: now},
			{Component: status.Component{ID: "docs", Name: "Docs"}, Status: status.Operational, CreatedAt: t0, UpdatedAt: t0},
		},
		Incidents: []status.Incident{
			{ID: 7, Title: "API errors", Status: status.Identified, Impact: status.ImpactMajor, Public: true, StartedAt: now.Add(-10 * time.Minute),
				CreatedAt: now.Add(-9 * time.Minute), UpdatedAt: now.Add(-2 * time.Minute),
				Components: []status.AffectedComponent{{Component: "api", Status: status.PartialOutage}},
				Updates: []status.IncidentUpdate{
					{ID: 70, Status: status.Investigating, Body: "We are investigating failures of API since 11:50 UTC.", At: now.Add(-9 * time.Minute)},
					{ID: 71, Status: status.Identified, Body: "A bad deploy; rolling back.", At: now.Add(-2 * time.Minute),
						Components: []status.ComponentChange{{Component: "api", Old: status.Operational, New: status.PartialOutage}}},
				}},
			{ID: 6, Title: "Internal blip", Status: status.Investigating, Impact: status.ImpactMinor, Public: false, StartedAt: now, CreatedAt: now, UpdatedAt: now},
			{ID: 5, Title: "Slow docs", Status: status.Resolved, Impact: status.ImpactMinor, Public: true, StartedAt: t0, CreatedAt: t0, UpdatedAt: resolved, ResolvedAt: &resolved},
		},
		Maintenances: []status.Maintenance{
			{ID: 1, Title: "Database upgrade", Components: []string{"api"}, Start: now.Add(24 * time.Hour), End: now.Add(25 * time.Hour)},
			{ID: 2, Title: "Cache flush", Components: []string{"web"}, Start: now.Add(-time.Minute), End: now.Add(time.Hour)},
		},
	}}
}

func getV2(t *testing.T, e *env, path string) map[string]json.RawMessage {
	t.Helper()
	rec := e.do(t, "GET", "/api/v2/"+path, "", "")
	if rec.Code != 200 {
		t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
	}
	if rec.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("%s: no CORS header", path)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

func keysOf(raw json.RawMessage) string {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(raw, &m)
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, " ")
}

func TestStatuspageSummary(t *testing.T) {
	pub := samplePublic()
	e := newEnv(t, func(o *web.Options) { o.Public = pub })
	m := getV2(t, e, "summary.json")
	if got := strings.Join(sortedKeys(m), " "); got != "components incidents page scheduled_maintenances status" {
		t.Errorf("summary keys = %s", got)
	}
	if got := keysOf(m["page"]); got != "id name time_zone updated_at url" {
		t.Errorf("page keys = %s", got)
	}
	var st struct{ Indicator, Description string }
	_ = json.Unmarshal(m["status"], &st)
	if st.Indicator != "major" || st.Description != "Partial System Outage" {
		t.Errorf("status = %+v", st)
	}
	var comps []map[string]any
	_ = json.Unmarshal(m["components"], &comps)
	var names []string
	for _, c := range comps {
		names = append(names, c["id"].(string)+":"+c["status"].(string))
	}
	if got := strings.Join(names, " "); got != "group-product:partial_outage web:operational api:partial_outage docs:operational" {
		t.Errorf("components = %s", got)
	}
	var comp0 json.RawMessage
	var list []json.RawMessage
	_ = json.Unmarshal(m["components"], &list)
	comp0 = list[1]
	if got := keysOf(comp0); got != "created_at description group group_id id name only_show_if_degraded page_id position showcase start_date status updated_at" {
		t.Errorf("component keys = %s", got)
	}
	var incs []map[string]json.RawMessage
	_ = json.Unmarshal(m["incidents"], &incs)
	if len(incs) != 1 || string(incs[0]["id"]) != `"7"` {
		t.Fatalf("unresolved public incidents = %d", len(incs))
	}
	if got := keysOf(mustRaw(incs[0])); got != "components created_at id impact incident_updates monitoring_at name page_id resolved_at shortlink started_at status updated_at" {
		t.Errorf("incident keys = %s", got)
	}
	var updates []map[string]json.RawMessage
	_ = json.Unmarshal(incs[0]["incident_updates"], &updates)
	if len(updates) != 2 || string(updates[0]["status"]) != `"identified"` {
		t.Fatalf("updates (newest first) = %v", updates)
	}
	if got := keysOf(mustRaw(updates[0])); got != "affected_components body created_at custom_tweet deliver_notifications display_at id incident_id status tweet_id updated_at" {
		t.Errorf("update keys = %s", got)
	}
	if string(updates[1]["affected_components"]) != "null" || !strings.Contains(string(updates[0]["affected_components"]), `"new_status": "partial_outage"`) {
		t.Errorf("affected components = %s / %s", updates[0]["affected_components"], updates[1]["affected_components"])
	}
	var maint []map[string]any
	_ = json.Unmarshal(m["scheduled_maintenances"], &maint)
	if len(maint) != 2 || maint[0]["status"] != "scheduled" || maint[1]["status"] != "in_progress" || maint[0]["impact"] != "maintenance" {
		t.Errorf("maintenances = %v", maint)
	}
}

func mustRaw(m map[string]json.RawMessage) json.RawMessage {
	b, _ := json.Marshal(m)
	return b
}

func sortedKeys(m map[string]json.RawMessage) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestStatuspageEndpoints(t *testing.T) {
	pub := samplePublic()
	e := newEnv(t, func(o *web.Options) { o.Public = pub })
	count := func(path, key string) int {
		var list []json.RawMessage
		_ = json.Unmarshal(getV2(t, e, path)[key], &list)
		return len(list)
	}
	for _, tt := range []struct {
		path, key string
		want      int
	}{
		{"incidents.json", "incidents", 2}, // public only: the internal blip stays off the page
		{"incidents/unresolved.json", "incidents", 1},
		{"components.json", "components", 4},
		{"scheduled-maintenances.json", "scheduled_maintenances", 2},
		{"scheduled-maintenances/upcoming.json", "scheduled_maintenances", 1},
		{"scheduled-maintenances/active.json", "scheduled_maintenances", 1},
	} {
		if got := count(tt.path, tt.key); got != tt.want {
			t.Errorf("%s: %d %s, want %d", tt.path, got, tt.key, tt.want)
		}
	}
	if got := keysOf(mustRaw(getV2(t, e, "status.json"))); got != "page status" {
		t.Errorf("status.json keys = %s", got)
	}
	// Widgets poll: answers within the cache time come from one read.
	if n := pub.calls.Load(); n != 1 {
		t.Errorf("source read %d times for 7 requests within the cache time", n)
	}
}

func TestStatuspageNotWired(t *testing.T) {
	e := newEnv(t, nil)
	if rec := e.do(t, "GET", "/api/v2/summary.json", "", ""); rec.Code != 503 {
		t.Errorf("code = %d", rec.Code)
	}
}

func TestPublicPage(t *testing.T) {
	pub := samplePublic()
	pub.st.Incidents[0].Updates[1].Body = "Rolling back. <script>alert(1)</script> [details](javascript:alert(2)) **now**"
	pub.st.Components[1].Days = []status.UptimeDay{{Date: now.AddDate(0, 0, -1), Worst: status.MajorOutage, Uptime: 0.75, Known: true}, {Date: now, Worst: status.PartialOutage, Uptime: 0.9, Known: true}}
	pub.st.Components[1].Uptime = 0.825
	pub.st.Components[1].Latency = []web.LatencyPoint{{At: now.Add(-time.Hour), P50: 40 * time.Millisecond, P95: 90 * time.Millisecond}, {At: now, P50: 60 * time.Millisecond, P95: 300 * time.Millisecond}}
	pub.st.KnownIssues = []status.KnownIssue{{Title: "Exports time out", Workaround: "export by month", Severity: status.ImpactMinor, Public: true}, {Title: "Internal only", Public: false}}
	e := newEnv(t, func(o *web.Options) { o.Public = pub })
	rec := e.do(t, "GET", "/", "", "")
	if rec.Code != 200 {
		t.Fatalf("GET / = %d\n%s\n%s", rec.Code, rec.Body, e.logs)
	}
	page := rec.Body.String()
	for _, want := range []string{"Partial System Outage", "API errors", "worst: Partial outage — API errors", "<strong>now</strong>", "Partial outage", "82.50% uptime", "Database upgrade",
		"Exports time out", "export by month", `class="latency"`, "Slow docs", `<time datetime=`} {
		if !strings.Contains(page, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script>alert", "javascript:alert", "Internal blip", "Internal only", "https://", "http://"} {
		if strings.Contains(page, bad) {
			t.Errorf("status page contains %q", bad)
		}
	}
	inc := e.do(t, "GET", "/incidents/7", "", "")
	if inc.Code != 200 || !strings.Contains(inc.Body.String(), "A bad deploy") && !strings.Contains(inc.Body.String(), "Rolling back") {
		t.Errorf("incident page = %d", inc.Code)
	}
	if rec := e.do(t, "GET", "/incidents/6", "", ""); rec.Code != 404 {
		t.Errorf("an internal incident's page = %d, want 404", rec.Code)
	}
}

type fakeReporter struct{ got []status.CustomerReport }

func (f *fakeReporter) AddReport(_ context.Context, r status.CustomerReport) (status.CustomerReport, error) {
	if err := r.Validate(); err != nil {
		return r, err
	}
	r.ID = int64(len(f.got) + 1)
	f.got = append(f.got, r)
	return r, nil
}

func TestCustomerReports(t *testing.T) {
	rep := &fakeReporter{}
	e := newEnv(t, func(o *web.Options) { o.Reporter = rep })
	if rec := e.do(t, "POST", "/api/v1/reports", "", `{"customer":"acme","component":"api","text":"500s"}`); rec.Code != 401 {
		t.Errorf("without a token = %d", rec.Code)
	}
	if rec := e.do(t, "POST", "/api/v1/reports", goodToken, `{"customer":"acme","component":"api","text":"500s on login"}`); rec.Code != 201 {
		t.Errorf("report = %d %s", rec.Code, rec.Body)
	}
	if rec := e.do(t, "POST", "/api/v1/reports", goodToken, `{"customer":"acme","component":"api"}`); rec.Code != 400 {
		t.Errorf("report without text = %d", rec.Code)
	}
	if rec := e.do(t, "POST", "/api/v1/reports", goodToken, `{"customer":"acme","component":"api","text":"x","severity":"high"}`); rec.Code != 400 {
		t.Errorf("report with an unknown field = %d", rec.Code)
	}
	if len(rep.got) != 1 || rep.got[0].Customer != "acme" || rep.got[0].At.IsZero() {
		t.Errorf("stored = %+v", rep.got)
	}
}
