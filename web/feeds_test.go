package web_test

import (
	"encoding/xml"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/web"
)

// hostileTitle tries to close the element, open a CDATA section, inject a
// script and smuggle characters XML cannot hold.
const hostileTitle = "</title><script>alert(1)</script> ]]> & \"q\" 'a' \x00\x1b end"

func feedPublic() *fakePublic {
	pub := samplePublic()
	pub.st.Incidents = append(pub.st.Incidents,
		status.Incident{ID: 9, Title: hostileTitle, Status: status.Monitoring, Impact: status.ImpactMinor, Public: true,
			StartedAt: now.Add(-3 * time.Hour), CreatedAt: now.Add(-3 * time.Hour), UpdatedAt: now.Add(-time.Minute),
			Updates: []status.IncidentUpdate{{ID: 90, Status: status.Monitoring, Body: "Fixed <script>alert(2)</script> **mostly** ]]> & done", At: now.Add(-time.Minute)}}},
		status.Incident{ID: 4, Title: "Merged away", Status: status.Resolved, Impact: status.ImpactMinor, Public: true, MergedInto: 7,
			StartedAt: now.Add(-4 * time.Hour), CreatedAt: now.Add(-4 * time.Hour), UpdatedAt: now.Add(-4 * time.Hour)},
	)
	return pub
}

type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID    string `xml:"id"`
		Title string `xml:"title"`
		Link  struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Updated string `xml:"updated"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

type rssDoc struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title string `xml:"title"`
		Links []struct {
			XMLName xml.Name
			Href    string `xml:"href,attr"`
			Text    string `xml:",chardata"`
		} `xml:"link"`
		Items []struct {
			Title       string `xml:"title"`
			Link        string `xml:"link"`
			GUID        string `xml:"guid"`
			PubDate     string `xml:"pubDate"`
			Description string `xml:"description"`
		} `xml:"item"`
	} `xml:"channel"`
}

// wellFormed parses the whole document token by token, which fails on any
// markup error, and returns the number of elements named name.
func wellFormed(t *testing.T, body, name string) int {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(body))
	n := 0
	for {
		tok, err := d.Token()
		if err != nil {
			if err.Error() == "EOF" {
				return n
			}
			t.Fatalf("not well-formed: %v\n%s", err, body)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local == "script" {
				t.Fatalf("a <script> element was injected:\n%s", body)
			}
			if se.Name.Local == name {
				n++
			}
		}
	}
}

func TestAtomFeed(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.Public = feedPublic() })
	rec := e.do(t, "GET", "/history.atom", "", "")
	if rec.Code != 200 {
		t.Fatalf("GET /history.atom: %d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if rec.Header().Get("Access-Control-Allow-Origin") != "*" || rec.Header().Get("ETag") == "" {
		t.Errorf("headers = %v", rec.Header())
	}
	body := rec.Body.String()
	if n := wellFormed(t, body, "entry"); n != 3 {
		t.Errorf("%d entries, want 3 (public, unmerged)", n)
	}
	var f atomDoc
	if err := xml.Unmarshal(rec.Body.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	if f.ID != "https://status.example.com/history.atom" || f.Title != "Demo status · Incident history" {
		t.Errorf("feed id/title = %q / %q", f.ID, f.Title)
	}
	if f.Updated != "2026-03-01T20:59:00Z" {
		t.Errorf("feed updated = %s, want the latest incident change", f.Updated)
	}
	var ids, titles []string
	for _, en := range f.Entries {
		ids = append(ids, en.ID)
		titles = append(titles, en.Title)
		if en.Link.Href != en.ID || en.Content.Type != "html" {
			t.Errorf("entry %s: link %s, content type %s", en.ID, en.Link.Href, en.Content.Type)
		}
	}
	if got := strings.Join(ids, " "); got != "https://status.example.com/incidents/7 https://status.example.com/incidents/5 https://status.example.com/incidents/9" {
		t.Errorf("entry ids = %s", got)
	}
	// The hostile title comes back as the same text, with the characters
	// XML cannot hold replaced.
	if want := strings.NewReplacer("\x00", "\uFFFD", "\x1b", "\uFFFD").Replace(hostileTitle); titles[2] != want {
		t.Errorf("title = %q, want %q", titles[2], want)
	}
	// Updates, newest first, as HTML with the Markdown rendered and raw
	// HTML dropped.
	api := f.Entries[0].Content.Body
	if i, j := strings.Index(api, "A bad deploy"), strings.Index(api, "We are investigating"); i < 0 || j < 0 || i > j {
		t.Errorf("updates not newest first:\n%s", api)
	}
	if !strings.Contains(api, "<strong>Identified</strong>") || !strings.Contains(api, "This incident affected: API.") {
		t.Errorf("content = %s", api)
	}
	hostile := f.Entries[2].Content.Body
	if strings.Contains(hostile, "<script>") || !strings.Contains(hostile, "<strong>mostly</strong>") {
		t.Errorf("content not sanitised: %s", hostile)
	}
	if strings.Contains(body, "Internal blip") || strings.Contains(body, "Merged away") {
		t.Error("the feed lists a private or merged incident")
	}
}

func TestRSSFeed(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.Public = feedPublic() })
	rec := e.do(t, "GET", "/history.rss", "", "")
	if rec.Code != 200 {
		t.Fatalf("GET /history.rss: %d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/rss+xml; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	body := rec.Body.String()
	if n := wellFormed(t, body, "item"); n != 3 {
		t.Errorf("%d items, want 3", n)
	}
	var f rssDoc
	if err := xml.Unmarshal(rec.Body.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	c := f.Channel
	if len(c.Links) != 2 || f.Version != "2.0" || c.Links[0].Text != "https://status.example.com/" ||
		c.Links[1].XMLName.Space != "http://www.w3.org/2005/Atom" || c.Links[1].Href != "https://status.example.com/history.rss" {
		t.Errorf("channel = %+v", c)
	}
	it := c.Items[0]
	if it.Link != "https://status.example.com/incidents/7" || it.GUID != it.Link {
		t.Errorf("item = %+v", it)
	}
	if _, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil {
		t.Errorf("pubDate %q: %v", it.PubDate, err)
	}
	if !strings.Contains(it.Description, "A bad deploy; rolling back.") {
		t.Errorf("description = %s", it.Description)
	}
	if strings.Contains(c.Items[2].Description, "<script>") || !strings.HasPrefix(c.Items[2].Title, "</title><script>") {
		t.Errorf("hostile item = %+v", c.Items[2])
	}
}

func TestFeedWithoutPageURL(t *testing.T) {
	pub := feedPublic()
	pub.st.Page.URL = ""
	e := newEnv(t, func(o *web.Options) { o.Public = pub })
	var f atomDoc
	rec := e.do(t, "GET", "/history.atom", "", "")
	if err := xml.Unmarshal(rec.Body.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	// Atom ids must be absolute, links may be relative to the feed.
	if f.ID != "urn:safetynet:history" || f.Entries[0].ID != "urn:safetynet:incident:7" || f.Entries[0].Link.Href != "/incidents/7" {
		t.Errorf("id %s, entry %s → %s", f.ID, f.Entries[0].ID, f.Entries[0].Link.Href)
	}
}

func TestFeedConditionalGet(t *testing.T) {
	pub := feedPublic()
	e := newEnv(t, func(o *web.Options) { o.Public = pub })
	first := e.do(t, "GET", "/history.rss", "", "")
	req := httptest.NewRequest("GET", "/history.rss", nil)
	req.Header.Set("If-None-Match", first.Header().Get("ETag"))
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != 304 || rec.Body.Len() != 0 {
		t.Errorf("conditional GET: %d, %d bytes", rec.Code, rec.Body.Len())
	}
	if n := pub.calls.Load(); n != 1 {
		t.Errorf("the source was read %d times; the second answer should come from the cache", n)
	}
}

func TestFeedUnavailable(t *testing.T) {
	e := newEnv(t, nil)
	if rec := e.do(t, "GET", "/history.atom", "", ""); rec.Code != 503 {
		t.Errorf("without a public source: %d", rec.Code)
	}
}

func TestEmptyFeeds(t *testing.T) {
	pub := &fakePublic{st: web.PublicState{Page: web.PageInfo{Name: "Quiet", URL: "https://status.example.com/"}}}
	e := newEnv(t, func(o *web.Options) { o.Public = pub })
	for path, el := range map[string]string{"/history.atom": "entry", "/history.rss": "item"} {
		rec := e.do(t, "GET", path, "", "")
		if rec.Code != 200 {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		if n := wellFormed(t, rec.Body.String(), el); n != 0 {
			t.Errorf("%s: %d entries", path, n)
		}
		// The trailing slash of the page URL is not doubled.
		if strings.Contains(rec.Body.String(), "example.com//") {
			t.Errorf("%s: doubled slash:\n%s", path, rec.Body)
		}
	}
	var f atomDoc
	if err := xml.Unmarshal(e.do(t, "GET", "/history.atom", "", "").Body.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	if f.Updated != now.Format(time.RFC3339) {
		t.Errorf("updated = %s, want the clock's time", f.Updated)
	}
}
