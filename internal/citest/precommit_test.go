package citest_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

type hook struct {
	ID            string `yaml:"id"`
	Name          string `yaml:"name"`
	Entry         string `yaml:"entry"`
	Language      string `yaml:"language"`
	Files         string `yaml:"files"`
	PassFilenames *bool  `yaml:"pass_filenames"`
}

// TestPreCommitHook reads .pre-commit-hooks.yaml as pre-commit does and runs
// the hook's entry the way pre-commit would after `go install`: the entry's
// words, then the staged files its files: pattern matches.
func TestPreCommitHook(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []hook
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	var h *hook
	for i := range hooks {
		if hooks[i].ID == "safetynet-scan" {
			h = &hooks[i]
		}
	}
	if h == nil {
		t.Fatal("no safetynet-scan hook")
	}
	if h.Language != "golang" || h.Name == "" || h.PassFilenames == nil || !*h.PassFilenames {
		t.Errorf("hook %+v: want language golang, a name and pass_filenames: true", *h)
	}
	if !strings.HasPrefix(h.Entry, "safetynet scan") {
		t.Errorf("entry %q, want safetynet scan", h.Entry)
	}
	// pre-commit matches files: with Python's re.search; this pattern is in
	// the subset Go's regexp reads the same way.
	files, err := regexp.Compile(h.Files)
	if err != nil {
		t.Fatalf("files: %v", err)
	}
	for name, want := range map[string]bool{
		"infra/app.yaml": true, "stack.yml": true, "params/prod.json": true, "legacy.template": true,
		"main.go": false, "README.md": false, "yaml.txt": false,
	} {
		if files.MatchString(name) != want {
			t.Errorf("files: %q matches %q = %v, want %v", h.Files, name, !want, want)
		}
	}

	_, bin := MustRelease(t)
	binDir := t.TempDir()
	if err := os.Symlink(bin, filepath.Join(binDir, "safetynet")); err != nil {
		t.Fatal(err)
	}
	ws := t.TempDir()
	MustWrite(t, ws, map[string]string{"infra/ok.yaml": cleanTemplate, "infra/bad.yaml": findingsTemplate, "infra/package.json": `{"name": "not a template"}`})
	for _, tc := range []struct {
		staged []string
		want   int
	}{
		{[]string{"infra/ok.yaml", "infra/package.json"}, 0},
		{[]string{"infra/ok.yaml", "infra/bad.yaml"}, 1},
	} {
		words := strings.Fields(h.Entry)
		cmd := exec.Command(filepath.Join(binDir, words[0]), append(words[1:], tc.staged...)...)
		cmd.Dir = ws
		cmd.Env = baseEnv()
		out, err := cmd.CombinedOutput()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.want {
			t.Errorf("hook on %v exited %d, want %d:\n%s", tc.staged, code, tc.want, out)
		}
	}
}
