package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeGate answers the gate routes as a server would, recording what it
// was sent.
type fakeGate struct {
	outcome string
	code    int
	auth    []string
	bodies  []string
}

func (f *fakeGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	f.bodies = append(f.bodies, r.URL.Path+" "+string(b))
	w.Header().Set("Content-Type", "application/json")
	if f.code != 0 {
		w.WriteHeader(f.code)
		io.WriteString(w, `{"error": {"code": "unauthorized", "message": "invalid token"}}`)
		return
	}
	code := http.StatusOK
	if r.URL.Path == "/api/v1/gate/override" {
		code = http.StatusCreated
	}
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"id": 7, "service": "api", "version": "2.0", "to": "production", "outcome": f.outcome,
		"reason": "Hold api 2.0 for production: it is still soaking in staging\nuntil 16:00.", "by": "ci", "override": r.URL.Path == "/api/v1/gate/override"})
}

func runGate(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }, Dir: t.TempDir()}
	return m.Main(context.Background(), args), out.String(), errb.String()
}

func TestGateExitCodes(t *testing.T) {
	f := &fakeGate{}
	srv := httptest.NewServer(f)
	defer srv.Close()
	env := map[string]string{"SAFETYNET_URL": srv.URL, "SAFETYNET_TOKEN": "snt_secret"}
	args := []string{"gate", "--service", "api", "--version", "2.0", "--to", "production"}
	for _, tc := range []struct {
		outcome string
		code    int
	}{{"ship", 0}, {"hold", 1}, {"undecided", 2}} {
		f.outcome = tc.outcome
		code, out, _ := runGate(t, env, args...)
		if code != tc.code {
			t.Errorf("%s: exit %d, want %d", tc.outcome, code, tc.code)
		}
		if strings.Count(out, "\n") != 1 || !strings.Contains(out, "staging until 16:00") {
			t.Errorf("%s: the reason is not one paragraph: %q", tc.outcome, out)
		}
	}
	if f.auth[0] != "Bearer snt_secret" || !strings.Contains(f.bodies[0], `"to":"production"`) {
		t.Errorf("sent %q %q", f.auth[0], f.bodies[0])
	}

	f.outcome = "ship"
	code, out, _ := runGate(t, env, append(args, "--override", "Critical fix, soak clock reset by a config push")...)
	if code != 0 || !strings.Contains(out, "on your override") || !strings.HasPrefix(f.bodies[len(f.bodies)-1], "/api/v1/gate/override ") {
		t.Errorf("override: exit %d, %q", code, out)
	}

	f.code = http.StatusUnauthorized
	if code, _, errs := runGate(t, env, args...); code != 2 || !strings.Contains(errs, "invalid token") {
		t.Errorf("a refused token: exit %d, %q", code, errs)
	}
	if code, _, errs := runGate(t, map[string]string{"SAFETYNET_URL": srv.URL}, args...); code != 2 || !strings.Contains(errs, "SAFETYNET_TOKEN") {
		t.Errorf("no token: exit %d, %q", code, errs)
	}
	if code, _, _ := runGate(t, env, append(args, "--token", "snt_in_ps")...); code != 2 {
		t.Errorf("a --token flag (visible in ps) was accepted: exit %d", code)
	}
	if code, _, errs := runGate(t, map[string]string{}, args...); code != 2 || !strings.Contains(errs, "SAFETYNET_URL") {
		t.Errorf("no server: exit %d, %q", code, errs)
	}
	srv.Close()
	if code, _, errs := runGate(t, env, args...); code != 2 || !strings.Contains(errs, "cannot decide") {
		t.Errorf("server down: exit %d, %q", code, errs)
	}
}

func TestGateTokenFileAndHelp(t *testing.T) {
	f := &fakeGate{outcome: "ship"}
	srv := httptest.NewServer(f)
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte("snt_from_file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runGate(t, map[string]string{"SAFETYNET_URL": srv.URL}, "gate", "--service", "api", "--version", "2.0", "--to", "production", "--token-file", file)
	if code != 0 || f.auth[0] != "Bearer snt_from_file" {
		t.Fatalf("token file: exit %d %q, sent %q", code, errs, f.auth)
	}
	code, out, _ := runGate(t, nil, "gate", "--help")
	for _, want := range []string{"0  ship", "1  hold", "2  cannot decide", "SAFETYNET_URL", "SAFETYNET_TOKEN", "--token-file", "--override"} {
		if !strings.Contains(out, want) {
			t.Errorf("gate --help lacks %q", want)
		}
	}
	if code != 0 {
		t.Errorf("gate --help exit %d", code)
	}
}

func TestDeployRecordSendsIssues(t *testing.T) {
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"id": 3, "service": "api", "version": "2.0", "environment": "staging"}`)
	}))
	defer srv.Close()
	env := map[string]string{"SAFETYNET_URL": srv.URL, "SAFETYNET_TOKEN": "snt_x"}
	code, out, errs := runGate(t, env, "deploy", "record", "--service", "api", "--version", "2.0", "--env", "staging", "--component", "api,web",
		"--fix", "critical:Logins fail, sometimes", "--issue", "minor:Exports are slow:export by month", "--internal-issue", "minor:Debug log noisy")
	if code != 0 || !strings.Contains(out, "recorded deployment 3") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	var sent struct {
		Components []string
		Fixes      []struct{ Title, Severity string }
		Introduces []struct {
			Title, Severity, Workaround string
			Public                      bool
		}
	}
	if err := json.Unmarshal([]byte(body), &sent); err != nil {
		t.Fatal(err)
	}
	if strings.Join(sent.Components, ",") != "api,web" || len(sent.Fixes) != 1 || sent.Fixes[0].Title != "Logins fail, sometimes" ||
		len(sent.Introduces) != 2 || !sent.Introduces[0].Public || sent.Introduces[0].Workaround != "export by month" || sent.Introduces[1].Public {
		t.Errorf("sent %s", body)
	}
	if code, _, errs := runGate(t, env, "deploy", "record", "--service", "api", "--version", "2.0", "--env", "staging", "--issue", "Exports are slow"); code == 0 || !strings.Contains(errs, "SEVERITY:TITLE") {
		t.Errorf("an issue without a severity: exit %d %q", code, errs)
	}
}
