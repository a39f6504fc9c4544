package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/demo"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

// TestReleaseGate is issue 7's "done when": a release recorded in staging
// soaks without trouble and the gate ships it to production with a known
// minor issue, which the public page then lists; a second release that
// lived through an outage in staging is held with the reason; an override
// with a written reason ships it and is recorded; a failed CodeBuild event
// reaches the team's webhook; a CloudWatch alarm turns its component red
// and OK restores it.
func TestReleaseGate(t *testing.T) {
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
	cfg := fmt.Sprintf(`server:
  listen: 127.0.0.1:0
storage:
  dsn: state/safetynet.db
components:
  - id: api
    name: Public API
    owner: platform
    public: true
  - id: payments
    name: Payments
    owner: platform
    public: true
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
alerting:
  allow_private_addresses: true
releases:
  soak:
    staging: 2h
aws_events:
  codebuild:
    - project: api-build
      service: api
      components: [api]
  alarms:
    - alarm: payments-5xx
      component: payments
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
	var addr string
	select {
	case addr = <-ready:
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
	base := "http://" + addr

	db, err := store.Open(ctx, filepath.Join(dir, "state", "safetynet.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	token := func(name string, scope status.Scope) string {
		secret, hash, err := status.NewTokenSecret()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateToken(ctx, status.Token{Name: name, Hash: hash, Scopes: []status.Scope{scope}}); err != nil {
			t.Fatal(err)
		}
		return secret
	}
	deployToken := token("ci-deployer", status.ScopeDeploy)
	ingestToken := token("eventbridge", status.ScopeIngest)

	// cli runs a client subcommand as a pipeline would, with the server
	// and token in its environment.
	cli := func(args ...string) (int, string) {
		t.Helper()
		var out bytes.Buffer
		env := map[string]string{"SAFETYNET_URL": base, "SAFETYNET_TOKEN": deployToken}
		c := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out, Getenv: func(k string) string { return env[k] }, Dir: dir, Now: clock.Now}
		code := c.Main(ctx, args)
		return code, out.String()
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
	statusOf := func(id string) status.Status {
		st, err := db.CurrentStatuses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st[id]
	}
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	deadline("the API to be operational", func() bool { return statusOf("api") == status.Operational })

	// Release 1.0 goes to staging with a critical fix and a minor known
	// issue, soaks two quiet hours, and ships.
	if code, out := cli("deploy", "record", "--service", "api", "--version", "1.0", "--env", "staging", "--component", "api",
		"--fix", "critical:Logins fail for SSO users", "--issue", "minor:Exports over 10k rows are slow:export by month"); code != 0 {
		t.Fatalf("deploy record exited %d: %s", code, out)
	}
	if code, out := cli("gate", "--service", "api", "--version", "1.0", "--to", "production"); code != 1 || !strings.Contains(out, "still soaking in staging") {
		t.Fatalf("gate before the soak = %d: %s", code, out)
	}
	clock.Advance(2*time.Hour + time.Minute)
	code, out := cli("gate", "--service", "api", "--version", "1.0", "--to", "production")
	if code != 0 || !strings.HasPrefix(out, "Ship api 1.0 to production") || !strings.Contains(out, "outranked by the critical issue") {
		t.Fatalf("gate after the soak = %d: %s", code, out)
	}
	t.Logf("gate 1.0: %s", strings.TrimSpace(out))
	deadline("the known issue on the public page", func() bool {
		page := get("/")
		return strings.Contains(page, "Exports over 10k rows are slow") && strings.Contains(page, "export by month")
	})

	// Release 1.1 lives through an outage in staging: held, with the reason.
	if code, out := cli("deploy", "record", "--service", "api", "--version", "1.1", "--env", "staging", "--component", "api"); code != 0 {
		t.Fatalf("deploy record exited %d: %s", code, out)
	}
	clock.Advance(time.Minute)
	target.SetFailing(true)
	deadline("the API to turn red", func() bool { return statusOf("api") == status.MajorOutage })
	target.SetFailing(false)
	deadline("the API to recover", func() bool { return statusOf("api") == status.Operational })
	clock.Advance(2*time.Hour + time.Minute)
	code, out = cli("gate", "--service", "api", "--version", "1.1", "--to", "production")
	if code != 1 || !strings.Contains(out, "Hold api 1.1 for production: its soak in staging failed: api was in a major outage") {
		t.Fatalf("gate after an outage = %d: %s", code, out)
	}
	t.Logf("gate 1.1: %s", strings.TrimSpace(out))

	// A developer overrides with a written reason: ship, and recorded.
	reason := "The outage was the demo target switched off by this test, not the release."
	if code, out := cli("gate", "--service", "api", "--version", "1.1", "--to", "production", "--override", reason); code != 0 || !strings.Contains(out, "override") {
		t.Fatalf("override = %d: %s", code, out)
	}
	ds, err := db.GateDecisions(ctx, "api", "1.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || !ds[0].Override || ds[0].Reason != reason || ds[0].By != "ci-deployer" || ds[0].Inputs.PolicyOutcome != status.Hold || len(ds[0].Inputs.Soaks) != 1 {
		t.Fatalf("decisions = %+v", ds)
	}
	if code, out := cli("gate", "--service", "api", "--version", "1.1", "--to", "production"); code != 0 || !strings.Contains(out, "override by ci-deployer") {
		t.Fatalf("gate after the override = %d: %s", code, out)
	}

	// EventBridge sends a failed build: the team's webhook hears of it.
	event := func(fixture string) {
		t.Helper()
		body, err := os.ReadFile(filepath.Join("..", "..", "release", "testdata", fixture))
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("POST", base+"/api/v1/events/aws", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Api-Key", ingestToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("%s: %d %s", fixture, resp.StatusCode, b)
		}
	}
	noKey, _ := http.Post(base+"/api/v1/events/aws", "application/json", strings.NewReader(`{}`))
	if noKey.StatusCode != http.StatusUnauthorized {
		t.Fatalf("an event without a token = %d", noKey.StatusCode)
	}
	noKey.Body.Close()
	event("codebuild_failed.json")
	deadline("the team's webhook to hear of the failed build", func() bool {
		for _, w := range target.Webhooks() {
			body := string(w.Body)
			if strings.HasSuffix(w.Path, "/team") && strings.Contains(body, "CodeBuild api-build FAILED") && strings.Contains(body, "console.aws.amazon.com/codesuite/codebuild") {
				return true
			}
		}
		return false
	})

	// A CloudWatch alarm turns payments red; OK restores it.
	deadline("payments to be operational", func() bool { return statusOf("payments") == status.Operational })
	event("cloudwatch_alarm.json")
	deadline("payments to turn red", func() bool { return statusOf("payments") == status.MajorOutage })
	event("cloudwatch_ok.json")
	deadline("payments to recover", func() bool { return statusOf("payments") == status.Operational })
}
