package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestAgentHelpAndTokenFlag(t *testing.T) {
	code, out, _ := run(t, t.TempDir(), "", "agent", "--help")
	for _, want := range []string{"-server", "-location", "-token-file", "-state-dir", "-max-buffered", "SAFETYNET_TOKEN", "SAFETYNET_URL", "SAFETYNET_LOCATION", "--scope agent"} {
		if !strings.Contains(out, want) {
			t.Errorf("agent --help (exit %d) does not mention %s:\n%s", code, want, out)
		}
	}
	if strings.Contains(out, "-token ") {
		t.Errorf("agent --help offers a --token flag:\n%s", out)
	}
	code, _, errOut := run(t, t.TempDir(), "", "agent", "--server", "http://127.0.0.1:1", "--location", "eu-west", "--token", "snt_secret")
	if code == 0 || !strings.Contains(errOut, "SAFETYNET_TOKEN") || strings.Contains(errOut, "snt_secret") {
		t.Errorf("--token: exit %d, %q; want refused, pointing at SAFETYNET_TOKEN, without echoing the secret", code, errOut)
	}
	code, _, errOut = run(t, t.TempDir(), "", "agent", "--server", "http://127.0.0.1:1", "--location", "eu-west")
	if code == 0 || !strings.Contains(errOut, "no token") {
		t.Errorf("without a token: exit %d, %q", code, errOut)
	}
}

// TestAgentAgainstServe runs serve and an agent as the commands, in-process:
// the check of eu-west runs at the agent alone, and its results show on
// the server under that location.
func TestAgentAgainstServe(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end server test skipped in -short mode")
	}
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer target.Close()
	dir := t.TempDir()
	cfg := fmt.Sprintf(`server:
  listen: 127.0.0.1:0
storage:
  dsn: state/safetynet.db
components:
  - id: api
    name: API
checks:
  - id: edge
    component: api
    kind: http
    target: %s/health
    interval: 1s
    timeout: 900ms
    locations: [eu-west, us-east]
    quorum: 1
`, target.URL)
	if err := os.WriteFile(filepath.Join(dir, "safetynet.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "state"), 0o700); err != nil {
		t.Fatal(err)
	}
	code, secret, errOut := run(t, dir, "", "token", "create", "--config", "safetynet.yaml", "--name", "agent.eu-west", "--scope", "agent")
	if code != 0 {
		t.Fatalf("token create: %d %s", code, errOut)
	}
	secret = strings.TrimSpace(secret)
	addr, logs, _ := startServe(t, dir, "--config", "safetynet.yaml")
	base := "http://" + addr

	var agentLogs syncBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &agentLogs, Stderr: &agentLogs, Dir: dir,
		Getenv: func(k string) string {
			if k == "SAFETYNET_TOKEN" {
				return secret
			}
			return ""
		}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- m.Main(ctx, []string{"agent", "--server", base, "--location", "eu-west", "--state-dir", "agent-state"})
	}()
	defer func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("agent exited %d:\n%s", code, &agentLogs)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("agent did not stop")
		}
	}()

	type view struct {
		Checks []struct {
			ID, Location, State string
		} `json:"checks"`
	}
	waitFor(t, "eu-west's results on the server", 15*time.Second, func() bool {
		var v view
		getJSON(t, base+"/api/v1/checks", &v)
		for _, c := range v.Checks {
			if c.ID == "edge" && c.Location == "eu-west" && c.State == "up" {
				return true
			}
		}
		return false
	})
	var v view
	getJSON(t, base+"/api/v1/checks", &v)
	for _, c := range v.Checks {
		if c.Location == "local" {
			t.Errorf("the server ran the agents' check itself: %+v", c)
		}
		if c.Location == "us-east" && c.State != "unknown" {
			t.Errorf("us-east has no agent, yet its state is %s", c.State)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "agent-state", "checks.json")); err != nil {
		t.Errorf("the agent kept no checks for a restart: %v", err)
	}
	if strings.Contains(agentLogs.String(), secret) || strings.Contains(logs.String(), secret) {
		t.Error("a log shows the agent's token")
	}
	// The eu-west token may not speak for us-east.
	req, _ := http.NewRequest("POST", base+"/api/v1/agent/results", bytes.NewReader([]byte(`{"id":"batch-0001","location":"us-east","results":[]}`)))
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("eu-west's token reporting for us-east: %d, want 403", resp.StatusCode)
	}
}
