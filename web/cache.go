package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// publicCache keeps the encoded public answers (page, v2 JSON, feeds,
// badges) for a short time: a status page is read far more often than it
// changes, and widgets poll it.
//
// It is built for an outage, when readers arrive by the thousand at the
// moment the data is slowest to read. Readers never wait for one another:
// when an answer expires, the one reader that wins the build lock rebuilds
// it while the others keep getting the previous answer (at most one build
// behind). Only an answer never built before makes readers wait, and then
// for a single build. A change made through the API invalidates the cache;
// a build that was already running when the change came is stored as stale,
// so it cannot hide the change for a whole TTL.
type publicCache struct {
	ttl     time.Duration
	bodies  atomic.Pointer[map[string]*cachedBody] // copy-on-write: readers take no lock
	version atomic.Uint64                          // bumped by invalidate
	build   sync.Mutex
}

// cachedBody is one answer with what conditional and compressed requests
// need, computed once per build rather than per request, and the time and
// cache version of the data it was built from.
type cachedBody struct {
	raw     []byte
	gz      []byte // nil when compression would not pay
	etag    string
	at      time.Time
	version uint64
}

// minGzip is the size below which an answer is sent as it is.
const minGzip = 1024

func newCachedBody(raw []byte, at time.Time, version uint64) *cachedBody {
	b := &cachedBody{raw: raw, at: at, version: version}
	if raw == nil {
		return b // a marker (see badges): present, with no body
	}
	sum := sha256.Sum256(raw)
	b.etag = `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	if len(raw) >= minGzip {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(raw)
		if zw.Close() == nil && buf.Len() < len(raw) {
			b.gz = buf.Bytes()
		}
	}
	return b
}

// lookup returns the answer for key (nil when never built) and whether it
// is fresh.
func (c *publicCache) lookup(now time.Time, key string) (b *cachedBody, fresh bool) {
	m := c.bodies.Load()
	if m == nil {
		return nil, false
	}
	b = (*m)[key]
	if b == nil {
		return nil, false
	}
	return b, b.version == c.version.Load() && now.Sub(b.at) < c.ttl && !now.Before(b.at)
}

// add stores answers built at now from data read while the cache was at
// version (see serve), next to the answers already there.
func (c *publicCache) add(now time.Time, version uint64, bodies map[string][]byte) {
	built := make(map[string]*cachedBody, len(bodies))
	for k, v := range bodies {
		built[k] = newCachedBody(v, now, version)
	}
	for {
		old := c.bodies.Load()
		next := make(map[string]*cachedBody, len(built)+8)
		if old != nil {
			for k, v := range *old {
				next[k] = v
			}
		}
		for k, v := range built {
			next[k] = v
		}
		if c.bodies.CompareAndSwap(old, &next) {
			return
		}
	}
}

// invalidate makes every answer stale, so the next reader rebuilds. A
// build already running keeps the version it started with, so its answers
// are stored stale rather than hiding the change for a whole TTL.
func (c *publicCache) invalidate() { c.version.Add(1) }

// serve answers key from the cache, calling build when it is missing or
// stale. build returns every answer one read of the data produces (the v2
// endpoints come from one snapshot), keyed like key.
func (c *publicCache) serve(now time.Time, key string, build func() (map[string][]byte, error)) (*cachedBody, error) {
	b, fresh := c.lookup(now, key)
	if fresh {
		return b, nil
	}
	if b != nil {
		// Stale: one reader rebuilds, the others use the old answer.
		if !c.build.TryLock() {
			return b, nil
		}
	} else {
		c.build.Lock()
	}
	defer c.build.Unlock()
	if b, fresh := c.lookup(now, key); fresh {
		return b, nil
	}
	version := c.version.Load()
	bodies, err := build()
	if err != nil {
		if b != nil {
			return b, nil // a stale answer beats an error page during an outage
		}
		return nil, err
	}
	c.add(now, version, bodies)
	if nb, _ := c.lookup(now, key); nb != nil {
		return nb, nil
	}
	return nil, nil
}

// write sends a cached answer, compressed when the client accepts gzip and
// as 304 when it already has it.
func (b *cachedBody) write(w http.ResponseWriter, r *http.Request, contentType, cacheControl string) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", cacheControl)
	h.Set("Vary", "Accept-Encoding")
	if b.etag != "" {
		h.Set("ETag", b.etag)
		if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, b.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	body := b.raw
	if b.gz != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = b.gz
	}
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip
// (listed, and not with q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q, ok := strings.CutPrefix(strings.TrimSpace(params), "q=")
		if !ok {
			return true
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(q), 64)
		return err != nil || v > 0
	}
	return false
}
