package web

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPublicCacheServesStaleWhileOneReaderRebuilds(t *testing.T) {
	c := &publicCache{ttl: 2 * time.Second}
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	var builds atomic.Int32
	build := func(v string) func() (map[string][]byte, error) {
		return func() (map[string][]byte, error) {
			builds.Add(1)
			return map[string][]byte{"k": []byte(v)}, nil
		}
	}
	if b, err := c.serve(t0, "k", build("one")); err != nil || string(b.raw) != "one" {
		t.Fatalf("first serve = %v, %v", b, err)
	}
	// Expired: while one reader holds the build lock, the others get the
	// previous answer instead of waiting or building again.
	t1 := t0.Add(3 * time.Second)
	release := make(chan struct{})
	started := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		b, err := c.serve(t1, "k", func() (map[string][]byte, error) {
			close(started)
			<-release
			builds.Add(1)
			return map[string][]byte{"k": []byte("two")}, nil
		})
		if err != nil || string(b.raw) != "two" {
			t.Errorf("rebuilding reader got %v, %v", b, err)
		}
	}()
	<-started
	for range 50 {
		b, err := c.serve(t1, "k", build("never"))
		if err != nil || string(b.raw) != "one" {
			t.Fatalf("reader during rebuild got %q, %v; want the stale answer", b.raw, err)
		}
	}
	close(release)
	wg.Wait()
	if n := builds.Load(); n != 2 {
		t.Fatalf("%d builds, want 2 (readers must not stampede)", n)
	}
	if b, _ := c.serve(t1, "k", build("never")); string(b.raw) != "two" {
		t.Fatalf("after rebuild got %q", b.raw)
	}
}

func TestPublicCacheInvalidateDuringBuildStoresStale(t *testing.T) {
	c := &publicCache{ttl: time.Minute}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	// A change lands while a build that read the old data is running: that
	// build's answer must not count as fresh.
	_, err := c.serve(now, "k", func() (map[string][]byte, error) {
		c.invalidate()
		return map[string][]byte{"k": []byte("old")}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.serve(now, "k", func() (map[string][]byte, error) {
		return map[string][]byte{"k": []byte("new")}, nil
	})
	if err != nil || string(b.raw) != "new" {
		t.Fatalf("after invalidation got %q, %v; want a rebuild", b.raw, err)
	}
	c.invalidate()
	if _, fresh := c.lookup(now, "k"); fresh {
		t.Fatal("invalidate left the answer fresh")
	}
}

func TestPublicCacheFallsBackToStaleOnError(t *testing.T) {
	c := &publicCache{ttl: time.Second}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	if _, err := c.serve(now, "k", func() (map[string][]byte, error) {
		return nil, errors.New("database down")
	}); err == nil {
		t.Fatal("no answer yet and the build failed: want the error")
	}
	_, _ = c.serve(now, "k", func() (map[string][]byte, error) { return map[string][]byte{"k": []byte("good")}, nil })
	b, err := c.serve(now.Add(time.Hour), "k", func() (map[string][]byte, error) {
		return nil, errors.New("database down")
	})
	if err != nil || string(b.raw) != "good" {
		t.Fatalf("got %v, %v; want the last good answer during an outage", b, err)
	}
}

func TestCachedBodyCompressionAndConditionalRequests(t *testing.T) {
	raw := []byte(strings.Repeat("<p>All Systems Operational</p>\n", 200))
	b := newCachedBody(raw, time.Now(), 0)
	if b.gz == nil {
		t.Fatal("a large, repetitive body was not compressed")
	}

	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "br, gzip;q=0.8")
	rec := httptest.NewRecorder()
	b.write(rec, req, "text/html; charset=utf-8", "public, max-age=5")
	if rec.Header().Get("Content-Encoding") != "gzip" || rec.Header().Get("Vary") != "Accept-Encoding" {
		t.Fatalf("headers %v: want gzip with Vary", rec.Header())
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if !bytes.Equal(got, raw) {
		t.Fatal("gzip body does not decode to the page")
	}

	req = httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "gzip;q=0")
	rec = httptest.NewRecorder()
	b.write(rec, req, "text/html; charset=utf-8", "public, max-age=5")
	if rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), raw) {
		t.Fatal("gzip;q=0 must get the plain body")
	}

	req = httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("If-None-Match", `"other", `+rec.Header().Get("ETag"))
	rec = httptest.NewRecorder()
	b.write(rec, req, "text/html; charset=utf-8", "public, max-age=5")
	if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Fatalf("If-None-Match with the ETag: %d and %d bytes, want 304 and none", rec.Code, rec.Body.Len())
	}
}
