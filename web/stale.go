package web

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"sync"
	"time"
)

// When the database cannot be read (PostgreSQL unreachable, a locked or
// broken file), the public cache keeps answering with the last answers it
// built. That is right for an outage, but a reader must be told that what
// they see may be old: a status page that silently shows "all good" from
// ten minutes ago is worse than none. trackedSource notes whether the
// latest read of the public data worked; the page shows a note, and
// /readyz a line, while it does not.

// freshness is what the latest reads of the public data did.
type freshness struct {
	mu        sync.Mutex
	lastGood  time.Time // the last read that worked; zero before the first
	failing   error     // the latest read's error; nil when it worked
	failSince time.Time // the first failure of the current run of failures
}

// Staleness describes public data that could not be refreshed.
type Staleness struct {
	// LastGood is when the data shown was last read; zero when it never was.
	LastGood time.Time `json:"last_good,omitzero"`
	// Since is when reading it began to fail.
	Since time.Time `json:"since"`
	// Err is the latest read's error, for operators (never shown on the
	// public page).
	Err error `json:"-"`
}

// trackedSource is a PublicSource that records the outcome of each read.
type trackedSource struct {
	src PublicSource
	now func() time.Time
	f   freshness
}

// trackPublic wraps src; nil stays nil so the routes still answer 503.
func trackPublic(src PublicSource, now func() time.Time) PublicSource {
	if src == nil {
		return nil
	}
	return &trackedSource{src: src, now: now}
}

func (t *trackedSource) Public(ctx context.Context) (PublicState, error) {
	st, err := t.src.Public(ctx)
	if ctx.Err() != nil && err != nil {
		// The visitor went away: that says nothing about the database.
		return st, err
	}
	now := t.now()
	t.f.mu.Lock()
	defer t.f.mu.Unlock()
	switch {
	case err == nil:
		t.f.lastGood, t.f.failing = now, nil
	case t.f.failing == nil:
		t.f.failing, t.f.failSince = err, now
	default:
		t.f.failing = err
	}
	return st, err
}

// stale reports whether the latest read of the public data failed, and
// since when.
func (s *Server) stale() (Staleness, bool) {
	t, ok := s.public.(*trackedSource)
	if !ok {
		return Staleness{}, false
	}
	t.f.mu.Lock()
	defer t.f.mu.Unlock()
	if t.f.failing == nil {
		return Staleness{}, false
	}
	return Staleness{LastGood: t.f.lastGood, Since: t.f.failSince, Err: t.f.failing}, true
}

// Stale reports whether the public data could not be refreshed on the
// latest try (the page then shows its last good copy with a note).
func (s *Server) Stale() (Staleness, bool) { return s.stale() }

// staleNoteHTML is the note put at the top of a page served from old
// data. It says when the data was last read, in UTC (the page's script
// turns <time> elements into local time), and nothing about the cause.
func staleNoteHTML(st Staleness) []byte {
	var b bytes.Buffer
	b.WriteString(`<p class="stale-note" role="status">`)
	if st.LastGood.IsZero() {
		b.WriteString("This page could not be updated: the status shown may be out of date.")
	} else {
		at := st.LastGood.UTC()
		fmt.Fprintf(&b, `This page could not be updated since <time datetime="%s">%s</time>: the status shown may be out of date.`,
			html.EscapeString(at.Format(time.RFC3339)), html.EscapeString(at.Format("2 Jan 2006 15:04 MST")))
	}
	b.WriteString("</p>\n")
	return b.Bytes()
}

// withStaleNote returns page with the stale note inserted at the top of
// its <main> (or, lacking one, of its <body>). The page is the cached one,
// rendered when the data was fresh, so the note cannot come from the
// template: it is added as the page is served. The cached bytes are not
// changed.
func withStaleNote(page []byte, st Staleness) []byte {
	at := -1
	for _, tag := range [][]byte{[]byte("<main"), []byte("<body")} {
		if i := bytes.Index(page, tag); i >= 0 {
			if j := bytes.IndexByte(page[i:], '>'); j >= 0 {
				at = i + j + 1
				break
			}
		}
	}
	note := staleNoteHTML(st)
	if at < 0 {
		return append(note, page...)
	}
	out := make([]byte, 0, len(page)+len(note)+1)
	out = append(out, page[:at]...)
	out = append(out, '\n')
	out = append(out, note...)
	return append(out, page[at:]...)
}

// staleLine is the /readyz line for stale public data.
func staleLine(st Staleness, now time.Time) string {
	if st.LastGood.IsZero() {
		return fmt.Sprintf("public data: stale, never read; failing since %s: %v\n", st.Since.UTC().Format(time.RFC3339), st.Err)
	}
	return fmt.Sprintf("public data: stale, last read %s (%s ago); failing since %s: %v\n",
		st.LastGood.UTC().Format(time.RFC3339), now.Sub(st.LastGood).Round(time.Second), st.Since.UTC().Format(time.RFC3339), st.Err)
}
