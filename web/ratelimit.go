package web

import (
	"hash/maphash"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RateLimit bounds how fast one client may call the public routes: a token
// bucket per client address (an IPv4 address, or the /64 of an IPv6 one,
// which is what one customer of an ISP gets). The zero value is the
// default: 50 requests a second, bursts of 100, loopback clients exempt.
//
// Which routes: everything but the token-authenticated machine API under
// /api/v1/ (ingest, reports, heartbeats, the admin API: each has its own
// credential and batching clients would trip a per-address limit) and the
// operator's probes /healthz, /readyz and /metrics. Nothing a client sends
// (a header, a token) exempts a request: only its address does.
//
// Loopback is exempt because a client on the same machine can hurt the
// server in other ways anyway, because a reverse proxy on the same machine
// without Options.TrustedProxies would otherwise put every visitor in one
// bucket, and because load tests (wrk with 128 connections) run there.
type RateLimit struct {
	// PerSecond is the sustained rate per client; 0 means 50.
	PerSecond float64
	// Burst is how many requests a client may make at once; 0 means
	// twice PerSecond.
	Burst int
	// Disabled turns the limit off.
	Disabled bool
	// LimitLoopback applies the limit to loopback clients too.
	LimitLoopback bool
}

// The limit on failed authentication under /api/v1/, per client address:
// a client whose requests keep being refused for a bad token (a guesser,
// or a job with a revoked token in a tight loop) gets 429 for a while,
// without costing anything to clients whose tokens work. It follows
// RateLimit's Disabled and LimitLoopback.
const (
	authFailsPerSecond = 1
	authFailsBurst     = 30
)

// The defaults of RateLimit.
const (
	DefaultRatePerSecond = 50
	rateShards           = 64
	// maxKeysPerShard bounds the memory of the limiter: 64 × 4096 clients
	// of about 80 bytes each.
	maxKeysPerShard = 4096
	// sweepEvery is how often a shard drops the buckets of clients that
	// have been quiet long enough to be full again.
	sweepEvery = time.Minute
)

// ipLimiter is a token bucket per client, in shards so that concurrent
// requests from different clients rarely wait for the same lock. Time is a
// monotonic reading, so a clock step never empties or fills every bucket.
type ipLimiter struct {
	rate   float64 // tokens per nanosecond
	burst  float64
	seed   maphash.Seed
	now    func() time.Time
	epoch  time.Time
	shards [rateShards]rateShard
}

type rateShard struct {
	mu        sync.Mutex
	buckets   map[netip.Addr]*bucket
	nextSweep int64
	_         [40]byte // keep shards on separate cache lines
}

type bucket struct {
	tokens float64
	last   int64 // nanoseconds since epoch
}

func newIPLimiter(rl RateLimit, now func() time.Time) *ipLimiter {
	if rl.Disabled {
		return nil
	}
	perSec := rl.PerSecond
	if perSec <= 0 {
		perSec = DefaultRatePerSecond
	}
	burst := rl.Burst
	if burst <= 0 {
		burst = int(math.Ceil(2 * perSec))
	}
	if now == nil {
		now = time.Now
	}
	l := &ipLimiter{rate: perSec / float64(time.Second), burst: float64(burst), seed: maphash.MakeSeed(), now: now, epoch: now()}
	for i := range l.shards {
		l.shards[i].buckets = map[netip.Addr]*bucket{}
	}
	return l
}

// limitKey is the bucket of a client address: the address, or its /64.
func limitKey(ip netip.Addr) netip.Addr {
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.Addr()
	}
	return ip
}

// allow takes a token from ip's bucket. When the bucket is empty it
// reports how long until the next token.
func (l *ipLimiter) allow(ip netip.Addr) (bool, time.Duration) { return l.take(ip, 1) }

// peek reports whether ip's bucket has a token, without taking it.
func (l *ipLimiter) peek(ip netip.Addr) (bool, time.Duration) { return l.take(ip, 0) }

func (l *ipLimiter) take(ip netip.Addr, cost float64) (bool, time.Duration) {
	key := limitKey(ip)
	b16 := key.As16()
	sh := &l.shards[maphash.Bytes(l.seed, b16[:])%rateShards]
	t := int64(l.now().Sub(l.epoch))
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if t >= sh.nextSweep {
		sh.sweep(t, l.full())
		sh.nextSweep = t + int64(sweepEvery)
	}
	b := sh.buckets[key]
	if b == nil {
		if len(sh.buckets) >= maxKeysPerShard {
			// Full between sweeps: forget one client (map order is
			// random) rather than grow, refuse newcomers, or sweep the
			// whole shard on every new address of a flood.
			for k := range sh.buckets {
				delete(sh.buckets, k)
				break
			}
		}
		b = &bucket{tokens: l.burst, last: t}
		sh.buckets[key] = b
	}
	if el := t - b.last; el > 0 {
		b.tokens = math.Min(l.burst, b.tokens+float64(el)*l.rate)
		b.last = t
	}
	if b.tokens >= 1 {
		b.tokens -= cost
		return true, 0
	}
	return false, time.Duration(math.Ceil((1 - b.tokens) / l.rate))
}

// full is how long an empty bucket takes to fill.
func (l *ipLimiter) full() int64 { return int64(math.Ceil(l.burst / l.rate)) }

// sweep drops buckets that have filled up again: forgetting them changes
// nothing, since a new bucket starts full.
func (sh *rateShard) sweep(t, full int64) {
	for k, b := range sh.buckets {
		if t-b.last >= full {
			delete(sh.buckets, k)
		}
	}
}

// size is the number of clients tracked, for tests.
func (l *ipLimiter) size() int {
	n := 0
	for i := range l.shards {
		l.shards[i].mu.Lock()
		n += len(l.shards[i].buckets)
		l.shards[i].mu.Unlock()
	}
	return n
}

// rateLimited reports whether the request's route is under the public
// limit (see RateLimit).
func rateLimited(path string) bool {
	switch path {
	case "/healthz", "/readyz", "/metrics":
		return false
	}
	return !strings.HasPrefix(path, "/api/v1/")
}

// tooManyRequests answers a request over the limit: JSON under /api/, a
// short text elsewhere, with Retry-After in whole seconds.
func tooManyRequests(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	w.Header().Set("Cache-Control", "no-store")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, http.StatusTooManyRequests, errorBody{errorDetail{"rate_limited", "too many requests from your address; retry after the time in Retry-After"}})
		return
	}
	http.Error(w, "Too many requests from your address. Please wait a moment and reload.", http.StatusTooManyRequests)
}
