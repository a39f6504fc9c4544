package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/demo"
	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

// offsetClock is real time plus an offset the test moves forward, so the
// server's loops keep running while "ten minutes later" takes no time.
type offsetClock struct{ offset atomic.Int64 }

func (c *offsetClock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *offsetClock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// TestIncidentLifecycle is issue 6's "done when": a new user starts the
// example and stops the demo target; with no human action the component
// turns red, an incident opens and is posted after the minimum time, a
// webhook subscriber is told, the team is escalated after ten minutes
// without an explanation, the incident resolves after recovery, and an
// internal postmortem draft holds the timeline.
func TestIncidentLifecycle(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end server test skipped in -short mode")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	target := demo.New(demo.Options{Seed: 3})
	demoAddr, err := target.Start(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := fmt.Sprintf(`server:
  listen: 127.0.0.1:0
storage:
  dsn: state/safetynet.db
components:
  - id: api
    name: Public API
    owner: platform
    public: true
    customers: [acme, globex]
checks:
  - id: api-health
    component: api
    kind: http
    target: http://%[1]s/health
    interval: 1s
    timeout: 900ms
    failures_to_down: 1
    successes_to_up: 1
    conditions: ["[STATUS] == 200"]
notifiers:
  - name: team-hook
    kind: webhook
    url: http://%[1]s/admin/webhook-sink/team
teams:
  - name: platform
    notifiers: [team-hook]
incidents:
  min_duration: 3m
  quiet_period: 10m
  explain_after: 10m
alerting:
  allow_private_addresses: true
`, demoAddr)
	if err := os.WriteFile(filepath.Join(dir, "safetynet.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	clock := &offsetClock{}
	logs := &syncBuffer{}
	ready := make(chan string, 1)
	m := &Main{Stdin: strings.NewReader(""), Stdout: logs, Stderr: logs, Getenv: func(string) string { return "" }, Dir: dir,
		serveReady: func(a string) { ready <- a }, Now: clock.Now}
	srvCtx, stop := context.WithCancel(ctx)
	done := make(chan int, 1)
	go func() {
		done <- m.Main(srvCtx, []string{"serve", "--config", "safetynet.yaml", "--evaluate-every", "1s"})
	}()
	select {
	case <-ready:
	case code := <-done:
		t.Fatalf("serve exited %d:\n%s", code, logs)
	case <-time.After(30 * time.Second):
		t.Fatalf("serve not ready:\n%s", logs)
	}
	defer func() {
		stop()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Errorf("serve did not stop")
		}
	}()

	// The test reads and writes the server's database beside it, as an
	// operator's tools would.
	db, err := store.Open(ctx, filepath.Join(dir, "state", "safetynet.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	key, err := db.SubscriberKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := incident.NewSubscriber(key, status.SubscriberWebhook, "http://"+demoAddr+"/admin/webhook-sink/subscriber", nil, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddSubscriber(ctx, sub); err != nil {
		t.Fatal(err)
	}

	deadline := func(what string, cond func() bool) {
		t.Helper()
		end := time.Now().Add(60 * time.Second)
		for !cond() {
			if time.Now().After(end) {
				t.Fatalf("timed out waiting for %s\n%s", what, tail(logs.String(), 3000))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	statusOf := func() status.Status {
		st, err := db.CurrentStatuses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st["api"]
	}
	current := func() *status.Incident {
		incs, err := db.Incidents(ctx, status.IncidentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(incs) == 0 {
			return nil
		}
		return &incs[0]
	}
	hooks := func(path, want string) bool {
		for _, w := range target.Webhooks() {
			if strings.HasSuffix(w.Path, path) && strings.Contains(string(w.Body), want) {
				return true
			}
		}
		return false
	}

	deadline("the API to be operational", func() bool { return statusOf() == status.Operational })

	// The demo target fails: the component turns red by itself and an
	// incident opens, internal until it has lasted the minimum time.
	target.SetFailing(true)
	deadline("the API to turn red", func() bool { return statusOf() == status.MajorOutage })
	deadline("an automatic incident", func() bool { return current() != nil })
	if inc := current(); !inc.Automatic || inc.Public {
		t.Fatalf("incident = %+v, want automatic and not yet public", inc)
	}

	clock.Advance(4 * time.Minute)
	deadline("the incident to be posted", func() bool { return current().Public })
	deadline("the subscriber's webhook", func() bool { return hooks("/subscriber", `"incident"`) })

	// Still red ten minutes on and nobody has explained it: the team hears.
	clock.Advance(7 * time.Minute)
	deadline("the escalation to the team", func() bool { return hooks("/team", "no explanation") })

	// Recovery: monitoring, then resolved after the quiet period.
	target.SetFailing(false)
	deadline("the API to recover", func() bool { return statusOf() == status.Operational })
	deadline("the monitoring update", func() bool { return current().Status == status.Monitoring })
	clock.Advance(11 * time.Minute)
	deadline("the incident to resolve", func() bool { return current().Status == status.Resolved })

	// An internal postmortem draft with the timeline from the records.
	var pm status.PostmortemRecord
	deadline("the postmortem draft", func() bool {
		rec, err := db.Postmortem(ctx, current().ID)
		pm = rec
		return err == nil
	})
	if pm.Published || len(pm.Timeline) < 3 || pm.Apology == "" {
		body, _ := json.MarshalIndent(pm, "", "  ")
		t.Errorf("postmortem draft = %s", body)
	}
	var kinds []string
	for _, e := range pm.Timeline {
		kinds = append(kinds, e.Kind)
	}
	for _, want := range []string{"status", "opened", "resolved"} {
		if !strings.Contains(strings.Join(kinds, " "), want) {
			t.Errorf("timeline lacks %q: %v", want, kinds)
		}
	}
	t.Logf("timeline: %v", kinds)
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
