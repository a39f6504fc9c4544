package demo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/demo"
)

// recordingSleep stands in for real waiting: it records each wait.
type recordingSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *recordingSleep) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return ctx.Err()
}

func (s *recordingSleep) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.waits)
}

func newTarget(t *testing.T) (*demo.Target, *recordingSleep, http.Handler) {
	t.Helper()
	rs := &recordingSleep{}
	tg := demo.New(demo.Options{Seed: 42, Sleep: rs.sleep})
	return tg, rs, tg.Handler()
}

func call(t *testing.T, h http.Handler, method, path, body string) (int, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
	var v map[string]any
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Fatalf("%s %s: body is not JSON: %v\n%s", method, path, err, rec.Body)
		}
	}
	return rec.Code, v
}

func users(t *testing.T, h http.Handler) int {
	t.Helper()
	code, v := call(t, h, "GET", "/api/users/count", "")
	if code != 200 {
		t.Fatalf("GET /api/users/count = %d", code)
	}
	n, ok := v["users"].(float64)
	if !ok {
		t.Fatalf("users count answer %v has no number", v)
	}
	return int(n)
}

func TestHealthyByDefault(t *testing.T) {
	_, rs, h := newTarget(t)
	code, v := call(t, h, "GET", "/health", "")
	if code != 200 || v["status"] != "UP" {
		t.Fatalf("GET /health = %d %v, want 200 UP", code, v)
	}
	if n, _ := v["users"].(float64); n < 980 || n > 1020 {
		t.Errorf("health users = %v, want about 1000", v["users"])
	}
	if code, v := call(t, h, "GET", "/ready", ""); code != 200 || v["status"] != "READY" {
		t.Errorf("GET /ready = %d %v", code, v)
	}
	if rs.count() != 0 {
		t.Errorf("a healthy target waited %d times", rs.count())
	}
}

func TestUserCountHasSmallNoise(t *testing.T) {
	_, _, h := newTarget(t)
	seen := map[int]bool{}
	for range 200 {
		n := users(t, h)
		if n < 990 || n > 1010 {
			t.Fatalf("users = %d, want 1000 ± 1%%", n)
		}
		seen[n] = true
	}
	if len(seen) < 5 {
		t.Errorf("only %d distinct counts in 200 reads: no noise", len(seen))
	}
}

func TestFailSwitch(t *testing.T) {
	_, _, h := newTarget(t)
	if code, v := call(t, h, "POST", "/admin/fail", ""); code != 200 || v["failing"] != true {
		t.Fatalf("POST /admin/fail = %d %v", code, v)
	}
	for _, path := range []string{"/health", "/ready", "/api/users/count"} {
		code, v := call(t, h, "GET", path, "")
		if code != 503 || v["status"] != "DOWN" {
			t.Errorf("GET %s while failing = %d %v, want 503 DOWN", path, code, v)
		}
	}
	// The admin routes still work, or nobody could switch it back.
	if code, v := call(t, h, "GET", "/admin/state", ""); code != 200 || v["failing"] != true {
		t.Errorf("GET /admin/state = %d %v", code, v)
	}
	if code, v := call(t, h, "POST", "/admin/fail?on=false", ""); code != 200 || v["failing"] != false {
		t.Errorf("POST /admin/fail?on=false = %d %v", code, v)
	}
	if code, _ := call(t, h, "GET", "/health", ""); code != 200 {
		t.Errorf("health after fail off = %d", code)
	}
	if code, _ := call(t, h, "POST", "/admin/fail?on=maybe", ""); code != 400 {
		t.Errorf("on=maybe = %d, want 400", code)
	}
}

func TestSlowSwitch(t *testing.T) {
	_, rs, h := newTarget(t)
	call(t, h, "POST", "/admin/slow", "")
	for _, path := range []string{"/health", "/api/users/count"} {
		if code, _ := call(t, h, "GET", path, ""); code != 200 {
			t.Errorf("GET %s while slow = %d, want 200 (slow, not failing)", path, code)
		}
	}
	if len(rs.waits) != 2 || rs.waits[0] != 1500*time.Millisecond {
		t.Errorf("waits = %v, want two of 1.5s", rs.waits)
	}
	call(t, h, "GET", "/admin/state", "")
	if rs.count() != 2 {
		t.Errorf("the admin routes were slowed too")
	}
}

func TestSlowIsRealLatency(t *testing.T) {
	tg := demo.New(demo.Options{SlowDelay: 50 * time.Millisecond})
	srv := httptest.NewServer(tg.Handler())
	defer srv.Close()
	tg.SetSlow(true)
	start := time.Now()
	resp, err := http.Get(srv.URL + "/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("slow health answered in %s, want at least 50ms", d)
	}
}

func TestLoseUsersKeepsHealthGreen(t *testing.T) {
	_, _, h := newTarget(t)
	call(t, h, "POST", "/admin/lose-users", "")
	n := users(t, h)
	if n < 45 || n > 55 {
		t.Errorf("users after lose-users = %d, want about 50 (5%% of 1000)", n)
	}
	code, v := call(t, h, "GET", "/health", "")
	if code != 200 || v["status"] != "UP" {
		t.Errorf("health after lose-users = %d %v: it must stay green, that is the point", code, v)
	}
	if u, _ := v["users"].(float64); u > 55 {
		t.Errorf("health still reports %v users", u)
	}
}

func TestReset(t *testing.T) {
	tg, _, h := newTarget(t)
	call(t, h, "POST", "/admin/fail", "")
	call(t, h, "POST", "/admin/slow", "")
	call(t, h, "POST", "/admin/lose-users", "")
	call(t, h, "POST", "/admin/webhook-sink", `{"x":1}`)
	code, v := call(t, h, "POST", "/admin/reset", "")
	if code != 200 || v["failing"] != false || v["slow"] != false || v["users_lost"] != false {
		t.Fatalf("reset = %d %v", code, v)
	}
	if n := users(t, h); n < 990 {
		t.Errorf("users after reset = %d", n)
	}
	if len(tg.Webhooks()) != 1 {
		t.Errorf("reset dropped the webhook record")
	}
}

func TestSwitchesNeedPOST(t *testing.T) {
	_, _, h := newTarget(t)
	if code, _ := call(t, h, "GET", "/admin/fail", ""); code != 405 {
		t.Errorf("GET /admin/fail = %d, want 405 (a crawler must not flip switches)", code)
	}
}

func TestWebhookSink(t *testing.T) {
	tg, _, h := newTarget(t)
	req := httptest.NewRequest("POST", "/admin/webhook-sink/generic", strings.NewReader(`{"event":"down","check":"demo-health"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Safetynet-Signature", "sha256=abc")
	req.Header.Set("Authorization", "Bearer secret")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Body.String() != "ok" {
		t.Fatalf("POST webhook = %d %q, want 200 ok", rec.Code, rec.Body)
	}
	call(t, h, "POST", "/admin/webhook-sink", "plain text alert")

	code, v := call(t, h, "GET", "/admin/webhook-sink", "")
	if code != 200 || v["count"].(float64) != 2 {
		t.Fatalf("GET webhook-sink = %d %v", code, v)
	}
	hooks := tg.Webhooks()
	if hooks[0].BodyText != "plain text alert" || hooks[0].Path != "/admin/webhook-sink" {
		t.Errorf("newest webhook = %+v", hooks[0])
	}
	first := hooks[1]
	if first.Path != "/admin/webhook-sink/generic" || string(first.Body) != `{"event":"down","check":"demo-health"}` {
		t.Errorf("JSON webhook = %+v", first)
	}
	if first.Headers["X-Safetynet-Signature"] != "sha256=abc" || first.Headers["Authorization"] != "[redacted]" {
		t.Errorf("headers = %v", first.Headers)
	}
}

func TestWebhookSinkKeepsLast100(t *testing.T) {
	tg, _, h := newTarget(t)
	for i := 1; i <= demo.MaxWebhooks+20; i++ {
		call(t, h, "POST", "/admin/webhook-sink", fmt.Sprintf(`{"n":%d}`, i))
	}
	hooks := tg.Webhooks()
	if len(hooks) != demo.MaxWebhooks {
		t.Fatalf("kept %d webhooks, want %d", len(hooks), demo.MaxWebhooks)
	}
	if string(hooks[0].Body) != `{"n":120}` || string(hooks[len(hooks)-1].Body) != `{"n":21}` {
		t.Errorf("kept %s .. %s, want the newest 100 (120 .. 21)", hooks[0].Body, hooks[len(hooks)-1].Body)
	}
}

func TestStartServesOnLoopbackUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	addr, err := demo.Start(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/health")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"status":"UP"`) {
		t.Fatalf("GET /health = %d %s", resp.StatusCode, b)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := c.Get("http://" + addr + "/health")
		if err != nil {
			break // stopped
		}
		resp.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("target still serving 5s after its context ended")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
