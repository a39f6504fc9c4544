package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/web"
)

// fakePostmortems is the slice of the store the postmortem page reads.
type fakePostmortems struct {
	pms  map[int64]status.PostmortemRecord
	incs map[int64]status.Incident
}

func (f *fakePostmortems) Postmortem(_ context.Context, id int64) (status.PostmortemRecord, error) {
	pm, ok := f.pms[id]
	if !ok {
		return pm, safetynet.Errorf(safetynet.ENOTFOUND, "incident %d has no postmortem", id)
	}
	return pm, nil
}

func (f *fakePostmortems) Incident(_ context.Context, id int64) (status.Incident, error) {
	inc, ok := f.incs[id]
	if !ok {
		return inc, safetynet.Errorf(safetynet.ENOTFOUND, "no incident %d", id)
	}
	return inc, nil
}

func samplePostmortems() *fakePostmortems {
	start := now.Add(-3 * time.Hour)
	resolved := start.Add(41 * time.Minute)
	published := now.Add(-time.Hour)
	pm := func(id int64, apology string, pub bool) status.PostmortemRecord {
		rec := status.PostmortemRecord{
			Postmortem: status.Postmortem{IncidentID: id, Published: pub,
				Apology: apology,
				Summary: "A bad deploy of the API. We **rolled back**.",
				Timeline: []status.TimelineEntry{
					{At: start, Kind: "status", Text: "api went from operational to major outage: <img src=x onerror=alert(1)>"},
					{At: start.Add(time.Minute), Kind: "alerted", Text: "alert: api-health is failing"},
					{At: resolved, Kind: "resolved", Text: "incident resolved"},
				},
				Actions: []status.ActionItem{
					{ID: 1, Title: "Canary deploys for the API <b>first</b>", Kind: status.ActionPlatform, Team: "platform", Due: time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC), Status: status.ActionInProgress},
					{ID: 2, Title: "Alert on error rate per deploy", Kind: status.ActionMonitoring, Team: "sre", Due: time.Date(2026, 12, 17, 0, 0, 0, 0, time.UTC), Status: status.ActionOpen},
				}},
			Times: status.Durations{Detect: time.Minute, Ack: 4 * time.Minute, Resolve: 41 * time.Minute},
		}
		if pub {
			rec.PublishedAt = &published
		}
		return rec
	}
	inc := func(id int64, public bool) status.Incident {
		return status.Incident{ID: id, Title: "API errors <script>", Status: status.Resolved, Impact: status.ImpactCritical, Public: public,
			Components: []status.AffectedComponent{{Component: "api", Status: status.MajorOutage}, {Component: "internal-db", Status: status.PartialOutage}},
			StartedAt:  start, CreatedAt: start, UpdatedAt: resolved, ResolvedAt: &resolved}
	}
	return &fakePostmortems{
		pms: map[int64]status.PostmortemRecord{
			7: pm(7, "We are sorry. <script>alert(1)</script> [details](javascript:alert(1))", true),
			8: pm(8, "An internal draft.", false),
			9: pm(9, "We are sorry about a blip.", true),
		},
		incs: map[int64]status.Incident{7: inc(7, true), 8: inc(8, true), 9: inc(9, false)},
	}
}

func TestPostmortemPageShowsTheThreeParts(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.Store = samplePostmortems(); o.Public = samplePublic() })
	rec := e.do(t, "GET", "/incidents/7/postmortem", "", "")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("GET published postmortem = %d %s\n%s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	body := rec.Body.String()
	for _, want := range []string{
		"<title>Postmortem: API errors &lt;script&gt; · Demo status</title>",
		`<h2 id="apology-h">Our apology</h2>`, "We are sorry.",
		`<h2 id="what-h">What happened</h2>`, "We <strong>rolled back</strong>.",
		"<dt>Time to detect</dt><dd>1 minute</dd>", "<dt>Time to acknowledge</dt><dd>4 minutes</dd>", "<dt>Time to resolve</dt><dd>41 minutes</dd>",
		"alert: api-health is failing",
		// Public components by name; others keep their ID.
		"<li>API: Major outage</li>", "<li>internal-db: Partial outage</li>",
		`<h2 id="plan-h">Remediation plan</h2>`, "<td>Alert on error rate per deploy</td><td>Monitoring</td><td>sre</td><td>Dec 17, 2026</td><td>open</td>",
		"<td>in progress</td>",
		`<a href="/incidents/7">`, `href="/static/public.`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Index(body, "apology-h") > strings.Index(body, "what-h") || strings.Index(body, "what-h") > strings.Index(body, "plan-h") {
		t.Error("the parts are not in the order apology, what happened, remediation plan")
	}
	if cc := rec.Header().Get("Cache-Control"); !strings.HasPrefix(cc, "public") {
		t.Errorf("Cache-Control = %q", cc)
	}
}

func TestPostmortemPageEscapes(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.Store = samplePostmortems() })
	body := e.do(t, "GET", "/incidents/7/postmortem", "", "").Body.String()
	for _, bad := range []string{"<script>", "<img", "javascript:", "<b>first</b>"} {
		if strings.Contains(body, bad) {
			t.Errorf("page contains %q unescaped", bad)
		}
	}
	for _, want := range []string{"&lt;img src=x onerror=alert(1)&gt;", "Canary deploys for the API &lt;b&gt;first&lt;/b&gt;", "API errors &lt;script&gt;"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks the escaped %q", want)
		}
	}
	// Without a public source the page still renders, with a plain name.
	if !strings.Contains(body, "· Status</title>") {
		t.Errorf("title without page info: %s", body[:min(len(body), 600)])
	}
}

func TestPostmortemPageOnlyWhenPublished(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.Store = samplePostmortems() })
	for _, path := range []string{"/incidents/8/postmortem", "/incidents/42/postmortem", "/incidents/x/postmortem", "/incidents/-1/postmortem"} {
		rec := e.do(t, "GET", path, "", "")
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, rec.Code)
		}
		if strings.Contains(rec.Body.String(), "internal draft") {
			t.Errorf("GET %s shows the internal draft", path)
		}
	}
	// A published postmortem of an incident that never went public is
	// shown (publishing was the choice), without a link to an incident
	// page that does not exist.
	rec := e.do(t, "GET", "/incidents/9/postmortem", "", "")
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `href="/incidents/9"`) {
		t.Errorf("GET postmortem of an internal incident = %d, links the incident: %v", rec.Code, strings.Contains(rec.Body.String(), `href="/incidents/9"`))
	}
}

func TestPostmortemPageWithoutStore(t *testing.T) {
	e := newEnv(t, nil)
	if rec := e.do(t, "GET", "/incidents/7/postmortem", "", ""); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("GET without a store = %d, want 503", rec.Code)
	}
}
