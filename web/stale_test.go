package web

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// flakySource answers until told to fail, like a database that goes away.
type flakySource struct {
	mu  sync.Mutex
	err error
}

func (f *flakySource) Public(context.Context) (PublicState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return PublicState{Page: PageInfo{Name: "Demo"}}, f.err
}

func (f *flakySource) set(err error) {
	f.mu.Lock()
	f.err = err
	f.mu.Unlock()
}

type pingErr struct{ err error }

func (p *pingErr) Ping(context.Context) error { return p.err }

// TestStaleData: while reads of the public data fail, /readyz says the data
// is stale and since when, the page note names the last good read, and
// both go away when a read works again.
func TestStaleData(t *testing.T) {
	clock := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	src, ping := &flakySource{}, &pingErr{}
	s := New(Options{Public: src, Pinger: ping, Now: func() time.Time { return clock }})
	readyz := func() (int, string) {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
		return rec.Code, rec.Body.String()
	}
	if _, err := s.public.Public(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, stale := s.Stale(); stale {
		t.Fatal("stale after a good read")
	}

	clock = clock.Add(time.Minute)
	down := errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")
	src.set(down)
	ping.err = down
	if _, err := s.public.Public(t.Context()); !errors.Is(err, down) {
		t.Fatalf("read error = %v", err)
	}
	clock = clock.Add(time.Minute)
	st, stale := s.Stale()
	if !stale || !st.LastGood.Equal(clock.Add(-2*time.Minute)) || !st.Since.Equal(clock.Add(-time.Minute)) {
		t.Fatalf("Stale() = %+v, %v", st, stale)
	}
	code, body := readyz()
	for _, want := range []string{"not ready: store: dial tcp", "public data: stale, last read 2025-03-01T10:00:00Z (2m0s ago); failing since 2025-03-01T10:01:00Z"} {
		if code != 503 || !strings.Contains(body, want) {
			t.Errorf("GET /readyz = %d %q, want 503 with %q", code, body, want)
		}
	}

	page := []byte("<!doctype html><html><body class=\"x\">\n<header>h</header>\n<main id=\"m\">\n<h1>Demo</h1></main></body></html>")
	got := string(withStaleNote(page, st))
	wantNote := `<main id="m">` + "\n" + `<p class="stale-note" role="status">This page could not be updated since <time datetime="2025-03-01T10:00:00Z">1 Mar 2025 10:00 UTC</time>: the status shown may be out of date.</p>`
	if !strings.Contains(got, wantNote) || strings.Contains(got, "5432") || strings.Count(got, "stale-note") != 1 {
		t.Errorf("page with note:\n%s", got)
	}
	if bare := string(withStaleNote([]byte("<p>x</p>"), Staleness{})); !strings.HasPrefix(bare, `<p class="stale-note"`) || !strings.Contains(bare, "could not be updated:") {
		t.Errorf("note without <main> or a last read = %q", bare)
	}

	// The database is back: the store answers and a read works.
	ping.err = nil
	src.set(nil)
	if _, err := s.public.Public(t.Context()); err != nil {
		t.Fatal(err)
	}
	if code, body := readyz(); code != 200 || body != "ok\n" {
		t.Errorf("GET /readyz after recovery = %d %q", code, body)
	}
}

// A visitor who hangs up mid-read does not mark the data stale.
func TestStaleIgnoresCanceledReads(t *testing.T) {
	src := &flakySource{err: context.Canceled}
	s := New(Options{Public: src})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	s.public.Public(ctx)
	if st, stale := s.Stale(); stale {
		t.Errorf("stale after a canceled read: %+v", st)
	}
}
