package web

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// The incident feeds, at the paths Statuspage uses so that feed readers
// and chat integrations pointed at a page keep working:
//
//	GET /history.atom   Atom 1.0
//	GET /history.rss    RSS 2.0
//
// Each entry is one public incident (merged ones are left out) with its
// stable URL /incidents/{id} under the page's URL, and its updates, newest
// first, as the entry's HTML content. All text goes through encoding/xml,
// which escapes markup and replaces characters XML cannot hold, so a
// hostile title cannot break the document or inject elements.
func init() {
	extraRoutes = append(extraRoutes, func(s *Server, mux *http.ServeMux) {
		mux.HandleFunc("GET /history.atom", s.handleFeed("history.atom"))
		mux.HandleFunc("GET /history.rss", s.handleFeed("history.rss"))
	})
}

// feedEntries is the most incidents a feed lists.
const feedEntries = 50

// feedCacheControl lets readers and proxies reuse a feed briefly; ETags
// make the next poll cheap.
const feedCacheControl = "public, max-age=30"

func (s *Server) handleFeed(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if s.public == nil {
			unavailable(w, "the incident feed")
			return
		}
		now := s.now()
		b, err := s.publicCache.serve(now, name, func() (map[string][]byte, error) {
			st, err := s.public.Public(r.Context())
			if err != nil {
				return nil, err
			}
			f := newFeed(st, now)
			atom, err := f.atom()
			if err != nil {
				return nil, fmt.Errorf("web: render history.atom: %w", err)
			}
			rss, err := f.rss()
			if err != nil {
				return nil, fmt.Errorf("web: render history.rss: %w", err)
			}
			return map[string][]byte{"history.atom": atom, "history.rss": rss}, nil
		})
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		ctype := "application/rss+xml; charset=utf-8"
		if name == "history.atom" {
			ctype = "application/atom+xml; charset=utf-8"
		}
		b.write(w, r, ctype, feedCacheControl)
	}
}

// feed holds what both formats share.
type feed struct {
	name, title, base string
	updated           time.Time
	incidents         []status.Incident
	names             map[string]string // component id → name
}

func newFeed(st PublicState, now time.Time) feed {
	name := st.Page.Name
	if strings.TrimSpace(name) == "" {
		name = "Status"
	}
	f := feed{name: name, title: name + " · Incident history", base: strings.TrimSuffix(st.Page.URL, "/"), names: map[string]string{}}
	for _, c := range st.Components {
		f.names[c.ID] = c.Name
	}
	for _, inc := range st.Incidents {
		if !inc.Public || inc.MergedInto != 0 {
			continue
		}
		f.incidents = append(f.incidents, inc)
		if inc.UpdatedAt.After(f.updated) {
			f.updated = inc.UpdatedAt
		}
		if len(f.incidents) == feedEntries {
			break
		}
	}
	if f.updated.IsZero() {
		// An empty feed changes when the page does; Page.UpdatedAt moves
		// with every status snapshot, so the clock is as good.
		f.updated = now
	}
	return f
}

// link is an absolute URL under the page when its URL is known, else a
// path, which readers resolve against the feed's own address.
func (f feed) link(path string) string { return f.base + path }

// entryID is an incident's permanent identifier: its stable URL when the
// page's URL is known (Atom ids must be absolute IRIs), else a URN.
func (f feed) entryID(inc status.Incident) string {
	if f.base != "" {
		return f.link("/incidents/" + strconv.FormatInt(inc.ID, 10))
	}
	return "urn:safetynet:incident:" + strconv.FormatInt(inc.ID, 10)
}

// content is an incident's updates, newest first, as HTML: the time, the
// step and the sanitised Markdown body, then the affected components. The
// caller's XML encoder escapes it as text.
func (f feed) content(inc status.Incident) string {
	var b strings.Builder
	for i := len(inc.Updates) - 1; i >= 0; i-- {
		u := inc.Updates[i]
		fmt.Fprintf(&b, "<p><small>%s</small><br><strong>%s</strong></p>\n%s",
			u.At.UTC().Format("Jan 2, 15:04 UTC"), xmlEscape(statusWordTitle(string(u.Status))), renderMarkdown(u.Body))
	}
	var comps []string
	for _, a := range inc.Components {
		if n, ok := f.names[a.Component]; ok {
			comps = append(comps, xmlEscape(n))
		}
	}
	if len(comps) > 0 {
		fmt.Fprintf(&b, "<p>This incident affected: %s.</p>\n", strings.Join(comps, ", "))
	}
	return b.String()
}

func statusWordTitle(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ReplaceAll(s[1:], "_", " ")
}

// xmlEscape escapes s for XML or HTML text and attributes, replacing
// characters XML cannot hold.
func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}

// Atom 1.0 (RFC 4287).
type (
	atomFeed struct {
		XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
		Lang    string      `xml:"xml:lang,attr"`
		ID      string      `xml:"id"`
		Title   string      `xml:"title"`
		Updated string      `xml:"updated"`
		Links   []atomLink  `xml:"link"`
		Author  atomAuthor  `xml:"author"`
		Entries []atomEntry `xml:"entry"`
	}
	atomLink struct {
		Rel  string `xml:"rel,attr"`
		Type string `xml:"type,attr,omitempty"`
		Href string `xml:"href,attr"`
	}
	atomAuthor struct {
		Name string `xml:"name"`
	}
	atomEntry struct {
		ID        string      `xml:"id"`
		Title     string      `xml:"title"`
		Link      atomLink    `xml:"link"`
		Published string      `xml:"published"`
		Updated   string      `xml:"updated"`
		Content   atomContent `xml:"content"`
	}
	atomContent struct {
		Type string `xml:"type,attr"`
		Body string `xml:",chardata"`
	}
)

func (f feed) atom() ([]byte, error) {
	out := atomFeed{Lang: "en", Title: f.title, Updated: rfc3339(f.updated), Author: atomAuthor{Name: f.name},
		Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: f.link("/")}, {Rel: "self", Type: "application/atom+xml", Href: f.link("/history.atom")}}}
	out.ID = "urn:safetynet:history"
	if f.base != "" {
		out.ID = f.link("/history.atom")
	}
	for _, inc := range f.incidents {
		out.Entries = append(out.Entries, atomEntry{ID: f.entryID(inc), Title: inc.Title,
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: f.link("/incidents/" + strconv.FormatInt(inc.ID, 10))},
			Published: rfc3339(inc.CreatedAt), Updated: rfc3339(inc.UpdatedAt), Content: atomContent{Type: "html", Body: f.content(inc)}})
	}
	return encodeXML(out)
}

// RSS 2.0, with an atom:link to itself as validators recommend.
type (
	rssDoc struct {
		XMLName xml.Name   `xml:"rss"`
		Version string     `xml:"version,attr"`
		Atom    string     `xml:"xmlns:atom,attr"`
		Channel rssChannel `xml:"channel"`
	}
	rssChannel struct {
		Title         string    `xml:"title"`
		Link          string    `xml:"link"`
		Description   string    `xml:"description"`
		Language      string    `xml:"language"`
		LastBuildDate string    `xml:"lastBuildDate"`
		Self          atomLink  `xml:"atom:link"`
		Items         []rssItem `xml:"item"`
	}
	rssItem struct {
		Title       string  `xml:"title"`
		Link        string  `xml:"link"`
		GUID        rssGUID `xml:"guid"`
		PubDate     string  `xml:"pubDate"`
		Description string  `xml:"description"`
	}
	rssGUID struct {
		IsPermaLink bool   `xml:"isPermaLink,attr"`
		Value       string `xml:",chardata"`
	}
)

func (f feed) rss() ([]byte, error) {
	ch := rssChannel{Title: f.title, Link: f.link("/"), Description: "Incidents and their updates on the " + f.name + " status page", Language: "en",
		LastBuildDate: f.updated.UTC().Format(time.RFC1123Z), Self: atomLink{Rel: "self", Type: "application/rss+xml", Href: f.link("/history.rss")}}
	for _, inc := range f.incidents {
		ch.Items = append(ch.Items, rssItem{Title: inc.Title, Link: f.link("/incidents/" + strconv.FormatInt(inc.ID, 10)),
			GUID:    rssGUID{IsPermaLink: f.base != "", Value: f.entryID(inc)},
			PubDate: inc.CreatedAt.UTC().Format(time.RFC1123Z), Description: f.content(inc)})
	}
	return encodeXML(rssDoc{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Channel: ch})
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func encodeXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
