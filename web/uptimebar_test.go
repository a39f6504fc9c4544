package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

func TestBarRunsKeepEveryNotableDay(t *testing.T) {
	day0 := time.Date(2026, 8, 29, 0, 0, 0, 0, time.UTC)
	var cells []dayCell
	for i := range 90 {
		c := dayCell{UptimeDay: status.UptimeDay{Date: day0.AddDate(0, 0, i), Worst: status.Operational, Uptime: 1, Known: i >= 10}}
		switch i {
		case 40:
			c.Worst, c.Uptime = status.MajorOutage, 0.93
		case 41:
			c.Incidents = `Login <script>alert(1)</script> errors`
		}
		cells = append(cells, c)
	}
	runs := barRuns(cells)
	want := []struct{ start, n int }{{0, 10}, {10, 30}, {40, 1}, {41, 1}, {42, 48}}
	if len(runs) != len(want) {
		t.Fatalf("runs = %+v", runs)
	}
	for i, w := range want {
		if runs[i].Start != w.start || runs[i].Len != w.n {
			t.Errorf("run %d = %d+%d, want %d+%d", i, runs[i].Start, runs[i].Len, w.start, w.n)
		}
	}
	if runs[0].Title != "Aug 29 – Sep 7, 2026: no data" || runs[0].Class != "unknown" {
		t.Errorf("no-data run = %+v", runs[0])
	}
	if runs[2].Title != "Oct 8, 2026: 93.00% up, worst: Major outage" || runs[2].Class != "w-major_outage" {
		t.Errorf("outage day = %+v", runs[2])
	}

	svg := string(uptimeBar(cells, `Uptime "90 days"`))
	if strings.Contains(svg, "<script>") || !strings.Contains(svg, "&lt;script&gt;") || !strings.Contains(svg, `aria-label="Uptime &#34;90 days&#34;"`) {
		t.Errorf("titles and label must be escaped: %s", svg)
	}
	if n := strings.Count(svg, "<rect"); n != 5 {
		t.Errorf("%d rectangles, want 5", n)
	}
	days := notableDays(cells)
	if len(days) != 2 || !strings.HasPrefix(days[0], "Oct 9, 2026") || !strings.HasPrefix(days[1], "Oct 8, 2026") {
		t.Errorf("notable days = %q, want the incident day then the outage day", days)
	}
}

// TestStatusPageSizeFor30Components checks the size budget: a page
// of 30 components, each with 90 days of history, a latency chart, some
// bad days and incidents, under 100 KB gzip-compressed.
func TestStatusPageSizeFor30Components(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(1, 2))
	st := PublicState{Page: PageInfo{Name: "Example status", URL: "https://status.example.com"}}
	for i := range 30 {
		c := PublicComponent{Component: status.Component{ID: fmt.Sprintf("svc-%d", i), Name: fmt.Sprintf("Service %d", i),
			Group: fmt.Sprintf("Group %d", i/10), Description: "What customers use this for, in a sentence.", Public: true},
			Status: status.Operational, Uptime: 0.9995}
		for d := range 90 {
			day := status.UptimeDay{Date: now.Truncate(24*time.Hour).AddDate(0, 0, d-89), Worst: status.Operational, Uptime: 1, Known: true}
			if rng.IntN(12) == 0 { // about one bad day in twelve, more than most services have
				day.Worst, day.Uptime = status.PartialOutage, 0.98+rng.Float64()/100
			}
			c.Days = append(c.Days, day)
		}
		for p := range 120 {
			c.Latency = append(c.Latency, LatencyPoint{At: now.Add(time.Duration(p-120) * 12 * time.Minute),
				P50: time.Duration(20+rng.IntN(30)) * time.Millisecond, P95: time.Duration(80+rng.IntN(200)) * time.Millisecond})
		}
		st.Components = append(st.Components, c)
	}
	for i := range 12 {
		at := now.Add(-time.Duration(i*7+1) * 24 * time.Hour)
		end := at.Add(time.Hour)
		st.Incidents = append(st.Incidents, status.Incident{ID: int64(i + 1), Title: fmt.Sprintf("Elevated errors on Service %d", i), Status: status.Resolved,
			Impact: status.ImpactMinor, Public: true, StartedAt: at, ResolvedAt: &end,
			Components: []status.AffectedComponent{{Component: fmt.Sprintf("svc-%d", i)}}})
	}
	var page bytes.Buffer
	if err := publicTmpl.ExecuteTemplate(&page, "public.html", buildPublicPage(st, now, 1)); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	_, _ = zw.Write(page.Bytes())
	_ = zw.Close()
	t.Logf("30 components: %d bytes, %d gzip-compressed", page.Len(), gz.Len())
	if gz.Len() > 100_000 {
		t.Errorf("page is %d bytes gzip-compressed, over the 100 KB budget", gz.Len())
	}
	if n := strings.Count(page.String(), `class="bar"`); n != 30 {
		t.Errorf("%d uptime bars, want 30", n)
	}
}

func TestLatencyChartMarksDeployments(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	points := []LatencyPoint{{At: t0, P50: 20 * time.Millisecond, P95: 90 * time.Millisecond}, {At: t0.Add(10 * time.Hour), P50: 25 * time.Millisecond, P95: 120 * time.Millisecond}}
	svg := string(latencySVG(points, []time.Time{t0.Add(5 * time.Hour), t0.Add(-time.Hour)}))
	if n := strings.Count(svg, `class="deploy"`); n != 1 {
		t.Fatalf("%d deployment marks, want the one inside the chart's window:\n%s", n, svg)
	}
	if !strings.Contains(svg, `x1="150.0"`) || !strings.Contains(svg, "Deployment at Nov 26, 05:00 UTC") || !strings.Contains(svg, "1 deployment marked") {
		t.Errorf("mark misplaced or unnamed:\n%s", svg)
	}
}

func TestPublicPageCountsLocations(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	st := PublicState{Page: PageInfo{Name: "S"}, Components: []PublicComponent{
		{Component: status.Component{ID: "api", Name: "API", Public: true}, Status: status.Operational, Locations: &status.LocationCount{Down: 1, Reporting: 3, Total: 3}},
		{Component: status.Component{ID: "web", Name: "Web", Public: true}, Status: status.Operational},
	}}
	var page bytes.Buffer
	if err := publicTmpl.ExecuteTemplate(&page, "public.html", buildPublicPage(st, now, 1)); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(page.String(), `class="locations"`); got != 1 || !strings.Contains(page.String(), "Checked from 3 of 3 locations; 1 sees it failing") {
		t.Errorf("want one location line for the API:\n%s", page.String())
	}
}
