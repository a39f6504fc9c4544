package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigCheck(t *testing.T) {
	examples, _ := filepath.Abs(filepath.Join("..", "..", "examples"))
	code, out, errOut := run(t, examples, "", "config", "check", "--config", "safetynet.yaml")
	if code != 0 || !strings.HasPrefix(out, "ok: 3 components, 5 checks,") {
		t.Fatalf("example: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}

	dir := writeFiles(t, map[string]string{
		"bad.yaml": `components:
  - id: api
    name: API
checks:
  - id: api
    component: web
    kind: tcp
    target: 127.0.0.1:1
    interval: 5 minutes
notifers: []
`,
		"safetynet.yaml": "components: []\n",
	})
	code, out, errOut = run(t, dir, "", "config", "check", "--config", "bad.yaml")
	if code != 3 || out != "" {
		t.Fatalf("bad file: exit %d, stdout %q; want 3 and nothing", code, out)
	}
	for _, want := range []string{
		"bad.yaml:6:16: checks[api].component: unknown component \"web\"",
		"bad.yaml:9:15: checks[api].interval: invalid duration \"5 minutes\"",
		"bad.yaml:10:1: unknown key \"notifers\" (did you mean \"notifiers\"?)",
		"bad.yaml: 3 problems",
	} {
		if !strings.Contains(errOut, want+"") {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}

	// The default file, and the file as an argument.
	if code, out, _ := run(t, dir, "", "config", "check"); code != 0 || !strings.Contains(out, "0 components") {
		t.Errorf("default file: exit %d, %q", code, out)
	}
	if code, _, _ := run(t, dir, "", "config", "check", "bad.yaml"); code != 3 {
		t.Errorf("file as argument: exit %d, want 3", code)
	}
	if code, _, errOut := run(t, dir, "", "config", "check", "--config", "missing.yaml"); code != 3 || !strings.Contains(errOut, "missing.yaml: cannot read") {
		t.Errorf("missing file: exit %d, %q", code, errOut)
	}
	// Environment variables come from Main.Getenv (empty in tests).
	dir2 := writeFiles(t, map[string]string{"safetynet.yaml": "storage:\n  dsn: ${DATABASE_URL}\n"})
	if code, _, errOut := run(t, dir2, "", "config", "check"); code != 3 || !strings.Contains(errOut, "safetynet.yaml:2:8: environment variable DATABASE_URL is not set") {
		t.Errorf("missing env: exit %d, %q", code, errOut)
	}
}

func TestConfigUsage(t *testing.T) {
	if code, out, _ := run(t, t.TempDir(), "", "config", "--help"); code != 0 || !strings.Contains(out, "safetynet config check --config") {
		t.Errorf("help: exit %d\n%s", code, out)
	}
	if code, out, _ := run(t, t.TempDir(), "", "config", "check", "--help"); code != 0 || !strings.Contains(out, "Examples:") {
		t.Errorf("check help: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{{"config"}, {"config", "lint"}, {"config", "check", "a.yaml", "b.yaml"}, {"config", "check", "--config", "a.yaml", "b.yaml"}} {
		if code, _, _ := run(t, t.TempDir(), "", args...); code != 3 {
			t.Errorf("%v: exit %d, want 3", args, code)
		}
	}
}
