package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/demo"
)

// syncBuffer is a bytes.Buffer safe for the server's log and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `safetynet serve` in-process and returns its address and
// a function that stops it and returns its exit status.
func startServe(t *testing.T, dir string, args ...string) (addr string, logs *syncBuffer, stop func() int) {
	t.Helper()
	logs = &syncBuffer{}
	ready := make(chan string, 1)
	m := &Main{Stdin: strings.NewReader(""), Stdout: logs, Stderr: logs, Getenv: func(string) string { return "" }, Dir: dir,
		serveReady: func(a string) { ready <- a }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- m.Main(ctx, append([]string{"serve"}, args...)) }()
	select {
	case addr = <-ready:
	case code := <-done:
		cancel()
		t.Fatalf("serve exited with %d before it was ready:\n%s", code, logs)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatalf("serve not ready after 30s:\n%s", logs)
	}
	var once sync.Once
	code := 0
	stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-done:
			case <-time.After(30 * time.Second):
				t.Errorf("serve did not stop within 30s:\n%s", logs)
			}
		})
		return code
	}
	t.Cleanup(func() { stop() })
	return addr, logs, stop
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v\n%s", url, err, body)
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestLostUsersDuringMaintenance is PRODUCT.md 11, the outage this team
// remembers: a maintenance script deletes users while every health check
// stays green. The user count extracted from a health route drops, and the
// anomaly alert reaches the team's webhook although a maintenance window is
// open — within two minutes.
func TestLostUsersDuringMaintenance(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end server test skipped in -short mode")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	target := demo.New(demo.Options{Seed: 7})
	demoAddr, err := target.Start(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	now := time.Now().UTC()
	cfg := fmt.Sprintf(`server:
  listen: 127.0.0.1:0
storage:
  dsn: state/safetynet.db
ingest_tokens:
  - name: backfill
    token: test-token-0123456789
components:
  - id: accounts
    name: User accounts
    owner: accounts
checks:
  - id: health
    component: accounts
    kind: http
    target: http://%[1]s/health
    interval: 1s
    timeout: 900ms
    conditions: ["[STATUS] == 200", "[BODY].status == UP"]
  - id: users
    component: accounts
    kind: http
    target: http://%[1]s/api/users/count
    interval: 1s
    timeout: 900ms
    extract:
      users: "[BODY].users"
metrics:
  - id: users-drop
    component: accounts
    metric: users
    tags: {check: users}
    kind: anomaly
    direction: drop
    baseline: 2h
    alert_window: 1m
    share: 0.5
    recovery: 1m
maintenance:
  - title: Nightly clean-up script
    components: [accounts]
    start: %[2]s
    end: %[3]s
notifiers:
  - name: team-hook
    kind: webhook
    url: http://%[1]s/admin/webhook-sink/accounts
teams:
  - name: accounts
    notifiers: [team-hook]
alerting:
  allow_private_addresses: true
`, demoAddr, now.Add(-time.Hour).Format(time.RFC3339), now.Add(time.Hour).Format(time.RFC3339))
	if err := os.WriteFile(filepath.Join(dir, "safetynet.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	addr, logs, stop := startServe(t, dir, "--config", "safetynet.yaml", "--evaluate-every", "1s")
	base := "http://" + addr

	// An hour of history at the usual level, as the check would have
	// recorded it, so the baseline is known.
	var samples []map[string]any
	for i := 60; i > 0; i-- {
		samples = append(samples, map[string]any{"name": "users", "value": 1000 + i%7, "time": now.Add(-time.Duration(i) * time.Minute).Format(time.RFC3339),
			"tags": map[string]string{"check": "users", "component": "accounts"}})
	}
	body, _ := json.Marshal(map[string]any{"samples": samples})
	req, _ := http.NewRequest("POST", base+"/api/v1/metrics", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer test-token-0123456789")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("backfill: %d", resp.StatusCode)
	}

	type checks struct {
		Checks []struct {
			ID    string `json:"id"`
			State string `json:"state"`
		} `json:"checks"`
	}
	healthUp := func() bool {
		var c checks
		getJSON(t, base+"/api/v1/checks", &c)
		for _, ch := range c.Checks {
			if ch.ID == "health" {
				return ch.State == "up"
			}
		}
		return false
	}
	waitFor(t, "the health check to be up", 30*time.Second, healthUp)

	start := time.Now()
	target.SetUsersLost(true)
	var hook demo.Webhook
	waitFor(t, "the anomaly alert on the team's webhook", 2*time.Minute, func() bool {
		for _, w := range target.Webhooks() {
			if strings.Contains(string(w.Body), `"anomaly"`) {
				hook = w
				return true
			}
		}
		return false
	})
	t.Logf("anomaly alert delivered %s after the users were lost", time.Since(start).Round(100*time.Millisecond))
	var msg struct {
		ID        string `json:"id"`
		Event     string `json:"event"`
		Text      string `json:"text"`
		Title     string `json:"title"`
		Component string `json:"component"`
	}
	if err := json.Unmarshal(hook.Body, &msg); err != nil {
		t.Fatalf("webhook body: %v\n%s", err, hook.Body)
	}
	if msg.Event != "anomaly" || msg.Component != "accounts" || msg.ID == "" || !strings.Contains(msg.Title+msg.Text, "users") {
		t.Errorf("webhook message = %+v", msg)
	}
	if !healthUp() {
		t.Error("the health check should have stayed green: the service is up, its users are gone")
	}

	// The component shows the problem too, not "under maintenance".
	var comps struct {
		Components []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
			Cause  string `json:"cause"`
		} `json:"components"`
	}
	getJSON(t, base+"/api/v1/components", &comps)
	if len(comps.Components) != 1 || comps.Components[0].Status == "operational" || comps.Components[0].Status == "under_maintenance" {
		t.Errorf("components = %+v", comps.Components)
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exited %d:\n%s", code, logs)
	}
}
