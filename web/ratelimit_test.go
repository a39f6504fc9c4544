package web

import (
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for the limiter.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestIPLimiterTokenBucket(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	l := newIPLimiter(RateLimit{PerSecond: 10, Burst: 20}, clk.now)
	a := netip.MustParseAddr("198.51.100.1")
	for i := range 20 {
		if ok, _ := l.allow(a); !ok {
			t.Fatalf("request %d of a burst of 20 refused", i+1)
		}
	}
	ok, wait := l.allow(a)
	if ok || wait <= 0 || wait > 100*time.Millisecond {
		t.Fatalf("21st request = %v, wait %v; want refused with a wait of at most 100ms", ok, wait)
	}
	// Another client is not affected.
	if ok, _ := l.allow(netip.MustParseAddr("198.51.100.2")); !ok {
		t.Fatal("a second client was refused because of the first")
	}
	// 10 per second: after 300ms, three more.
	clk.add(300 * time.Millisecond)
	for i := range 3 {
		if ok, _ := l.allow(a); !ok {
			t.Fatalf("refill request %d refused", i+1)
		}
	}
	if ok, _ := l.allow(a); ok {
		t.Fatal("a fourth request after 300ms at 10/s was allowed")
	}
	// A clock that steps back neither fills nor empties the bucket.
	clk.add(-time.Hour)
	if ok, _ := l.allow(a); ok {
		t.Fatal("a clock step back refilled the bucket")
	}
}

func TestIPLimiterIPv6SharesA64(t *testing.T) {
	l := newIPLimiter(RateLimit{PerSecond: 1, Burst: 2}, (&fakeClock{t: time.Unix(0, 0)}).now)
	for _, s := range []string{"2001:db8:1:2::1", "2001:db8:1:2::ffff"} {
		if ok, _ := l.allow(netip.MustParseAddr(s)); !ok {
			t.Fatalf("%s refused", s)
		}
	}
	if ok, _ := l.allow(netip.MustParseAddr("2001:db8:1:2:aaaa::1")); ok {
		t.Fatal("a third address of the same /64 was allowed past a burst of 2")
	}
	if ok, _ := l.allow(netip.MustParseAddr("2001:db8:1:3::1")); !ok {
		t.Fatal("another /64 was refused")
	}
	// An IPv4-mapped address is the IPv4 client.
	v4 := netip.MustParseAddr("192.0.2.9")
	l.allow(v4)
	l.allow(v4)
	if ok, _ := l.allow(netip.MustParseAddr("::ffff:192.0.2.9")); ok {
		t.Fatal("the IPv4-mapped form escaped the IPv4 client's bucket")
	}
}

func TestIPLimiterForgetsQuietClientsAndStaysBounded(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1000, 0)}
	l := newIPLimiter(RateLimit{PerSecond: 50, Burst: 100}, clk.now)
	for i := range 1000 {
		l.allow(netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}))
	}
	if n := l.size(); n != 1000 {
		t.Fatalf("tracking %d clients, want 1000", n)
	}
	// Two seconds fill every bucket; after the sweep interval each shard
	// forgets its clients on its next request.
	clk.add(sweepEvery)
	for i := range 5000 {
		l.allow(netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}))
	}
	if n := l.size(); n > 5000 {
		t.Fatalf("tracking %d clients after the quiet ones were due to go, want at most the 5000 new ones", n)
	}
	// A flood of distinct addresses never grows the table past its bound.
	for i := range rateShards*maxKeysPerShard + 5000 {
		l.allow(netip.AddrFrom4([4]byte{172, byte(16 + i>>16), byte(i >> 8), byte(i)}))
	}
	if n := l.size(); n > rateShards*maxKeysPerShard {
		t.Fatalf("tracking %d clients, bound is %d", n, rateShards*maxKeysPerShard)
	}
}

func TestIPLimiterDefaultsAndOff(t *testing.T) {
	if l := newIPLimiter(RateLimit{Disabled: true}, nil); l != nil {
		t.Fatal("a disabled limit made a limiter")
	}
	l := newIPLimiter(RateLimit{}, (&fakeClock{t: time.Unix(0, 0)}).now)
	a := netip.MustParseAddr("203.0.113.4")
	n := 0
	for {
		if ok, _ := l.allow(a); !ok {
			break
		}
		n++
	}
	if n != 2*DefaultRatePerSecond {
		t.Fatalf("default burst = %d, want %d", n, 2*DefaultRatePerSecond)
	}
}

func TestRateLimitedRoutes(t *testing.T) {
	for path, want := range map[string]bool{
		"/": true, "/incidents/3": true, "/api/v2/summary.json": true, "/history.atom": true, "/badge.svg": true,
		"/subscribe": true, "/admin/login": true, "/static/style.css": true, "/ack/x": true,
		"/api/v1/metrics": false, "/api/v1/heartbeat/abc": false, "/api/v1/incidents": false,
		"/healthz": false, "/readyz": false, "/metrics": false,
	} {
		if got := rateLimited(path); got != want {
			t.Errorf("rateLimited(%q) = %v, want %v", path, got, want)
		}
	}
}

func TestLoginLimiterRetryAfterAndReset(t *testing.T) {
	l := newLimiter(3)
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for i := range 3 {
		if d := l.retryAfter("alice", t0); d != 0 {
			t.Fatalf("retryAfter before failure %d = %v, want 0", i+1, d)
		}
		l.fail("alice", t0.Add(time.Duration(i)*time.Minute))
	}
	now := t0.Add(5 * time.Minute)
	// Blocked until the first failure leaves the window.
	if d := l.retryAfter("alice", now); d != loginWindow-5*time.Minute {
		t.Fatalf("retryAfter = %v, want %v", d, loginWindow-5*time.Minute)
	}
	l.reset("alice")
	if l.retryAfter("alice", now) != 0 {
		t.Fatal("reset left alice blocked")
	}
}

func BenchmarkIPLimiterParallel(b *testing.B) {
	l := newIPLimiter(RateLimit{PerSecond: 1e9, Burst: 1e9}, nil)
	var n uint32
	var mu sync.Mutex
	b.RunParallel(func(pb *testing.PB) {
		mu.Lock()
		n++
		a := netip.MustParseAddr(fmt.Sprintf("10.0.0.%d", n))
		mu.Unlock()
		for pb.Next() {
			l.allow(a)
		}
	})
}
