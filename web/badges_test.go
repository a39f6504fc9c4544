package web_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/web"
)

// badge is what a test reads back from a badge SVG.
type badge struct {
	XMLName xml.Name `xml:"http://www.w3.org/2000/svg svg"`
	Width   int      `xml:"width,attr"`
	Label   string   `xml:"aria-label,attr"`
	Title   string   `xml:"title"`
	Rects   []struct {
		Fill string `xml:"fill,attr"`
	} `xml:"g>rect"`
	Texts []string `xml:"g>text"`
}

func getBadge(t *testing.T, e *env, path string) badge {
	t.Helper()
	rec := e.do(t, "GET", path, "", "")
	if rec.Code != 200 {
		t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	h := rec.Header()
	if h.Get("Content-Type") != "image/svg+xml; charset=utf-8" || h.Get("Cache-Control") != "public, max-age=5" || h.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("%s headers = %v", path, h)
	}
	var b badge
	if err := xml.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatalf("%s is not well-formed SVG: %v\n%s", path, err, rec.Body)
	}
	if len(b.Rects) != 3 || len(b.Texts) != 4 || b.Width <= 0 {
		t.Fatalf("%s: unexpected shape %+v", path, b)
	}
	return b
}

func TestBadges(t *testing.T) {
	pub := samplePublic()
	e := newEnv(t, func(o *web.Options) { o.Public = pub })
	tests := []struct {
		path, label, colour string
	}{
		// An open major incident and a partial outage: orange, as the banner.
		{"/badge.svg", "status: Partial System Outage", "#bc4c00"},
		{"/badge/api.svg", "API: partial outage", "#bc4c00"},
		{"/badge/web.svg", "Web app: operational", "#1a7f37"},
	}
	for _, tt := range tests {
		b := getBadge(t, e, tt.path)
		if b.Label != tt.label || b.Title != tt.label {
			t.Errorf("%s: label %q title %q, want %q", tt.path, b.Label, b.Title, tt.label)
		}
		if b.Rects[0].Fill != "#555" || b.Rects[1].Fill != tt.colour {
			t.Errorf("%s: colours %s %s, want %s", tt.path, b.Rects[0].Fill, b.Rects[1].Fill, tt.colour)
		}
	}
	if n := pub.calls.Load(); n != 1 {
		t.Errorf("the source was read %d times for three badges within the cache time", n)
	}
}

func TestBadgeColours(t *testing.T) {
	for st, colour := range map[status.Status]string{
		status.Operational: "#1a7f37", status.Degraded: "#9a6700", status.PartialOutage: "#bc4c00",
		status.MajorOutage: "#cf222e", status.UnderMaintenance: "#0969da",
	} {
		pub := &fakePublic{st: web.PublicState{Components: []web.PublicComponent{{Component: status.Component{ID: "db", Name: "Database"}, Status: st}}}}
		e := newEnv(t, func(o *web.Options) { o.Public = pub })
		if b := getBadge(t, e, "/badge/db.svg"); b.Rects[1].Fill != colour {
			t.Errorf("%s: colour %s, want %s", st, b.Rects[1].Fill, colour)
		}
		page := getBadge(t, e, "/badge.svg")
		if st == status.UnderMaintenance && (page.Rects[1].Fill != "#0969da" || page.Title != "status: Service Under Maintenance") {
			t.Errorf("maintenance page badge = %+v", page)
		}
	}
}

func TestBadgeEscapesText(t *testing.T) {
	name := `<script>alert(1)</script> & "x" ` + "\x00"
	pub := &fakePublic{st: web.PublicState{Components: []web.PublicComponent{{Component: status.Component{ID: "evil", Name: name}, Status: status.Operational}}}}
	e := newEnv(t, func(o *web.Options) { o.Public = pub })
	rec := e.do(t, "GET", "/badge/evil.svg", "", "")
	if strings.Contains(rec.Body.String(), "<script") {
		t.Fatalf("markup injected:\n%s", rec.Body)
	}
	b := getBadge(t, e, "/badge/evil.svg")
	if want := `<script>alert(1)</script> & "x" ` + "\uFFFD"; b.Texts[1] != want {
		t.Errorf("text = %q, want %q", b.Texts[1], want)
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP = %q", csp)
	}
}

func TestBadgeLongNameIsBounded(t *testing.T) {
	pub := &fakePublic{st: web.PublicState{Components: []web.PublicComponent{{Component: status.Component{ID: "long", Name: strings.Repeat("W", 500)}, Status: status.Operational}}}}
	e := newEnv(t, func(o *web.Options) { o.Public = pub })
	b := getBadge(t, e, "/badge/long.svg")
	if b.Width > 800 || !strings.HasSuffix(b.Texts[1], "…") {
		t.Errorf("width %d, text %q", b.Width, b.Texts[1])
	}
}

func TestBadgeNotFound(t *testing.T) {
	pub := samplePublic()
	e := newEnv(t, func(o *web.Options) { o.Public = pub })
	// "internal" stands for a private component: PublicState never holds it.
	for _, path := range []string{"/badge/internal.svg", "/badge/nope.svg", "/badge/api.png", "/badge/.svg"} {
		if rec := e.do(t, "GET", path, "", ""); rec.Code != 404 {
			t.Errorf("GET %s: %d", path, rec.Code)
		}
	}
	// Unknown names are answered from the drawn set, not by asking the
	// store again.
	if n := pub.calls.Load(); n != 1 {
		t.Errorf("the source was read %d times", n)
	}
	if rec := newEnv(t, nil).do(t, "GET", "/badge.svg", "", ""); rec.Code != 503 {
		t.Errorf("without a public source: %d", rec.Code)
	}
}
