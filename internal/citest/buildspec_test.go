package citest_test

import (
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// buildspec is the part of a CodeBuild buildspec the tests read. Version
// stays a yaml.Node so that "0.2" and 0.2 can be told apart from 0.20.
type buildspec struct {
	Version yaml.Node
	Env     struct {
		Variables      map[string]string
		ParameterStore map[string]string `yaml:"parameter-store"`
		SecretsManager map[string]string `yaml:"secrets-manager"`
	}
	Phases map[string]struct {
		RuntimeVersions map[string]string `yaml:"runtime-versions"`
		Commands        []string
		Finally         []string
	}
	Reports map[string]struct {
		Files         []string
		BaseDirectory string `yaml:"base-directory"`
		FileFormat    string `yaml:"file-format"`
		DiscardPaths  string `yaml:"discard-paths"`
	}
}

func mustBuildspec(t *testing.T) *buildspec {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "examples", "buildspec.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var bs buildspec
	if err := yaml.Unmarshal(b, &bs); err != nil {
		t.Fatalf("examples/buildspec.yml: %v", err)
	}
	return &bs
}

// codebuildPhases is the order CodeBuild runs phases in.
var codebuildPhases = []string{"install", "pre_build", "build", "post_build"}

// runBuildspec runs the buildspec's commands the way CodeBuild 0.2 does, as
// far as the example needs: phases in order; within a phase every command
// in one bash, stopping at the first failing command (set -e); variables
// carried from phase to phase; post_build still running after a failed
// build phase, with CODEBUILD_BUILD_SUCCEEDING=0; a failed install or
// pre_build ending the build. runtime-versions is not emulated: PATH holds
// a fake go (see fakeGo) in front of the system's tools. It returns the
// phase that failed first ("" for none) and its status.
func runBuildspec(t *testing.T, bs *buildspec, ws string, env []string) (failedPhase string, status int, log string) {
	t.Helper()
	envFile := filepath.Join(t.TempDir(), "env.sh")
	var all strings.Builder
	succeeding := "1"
	for _, name := range codebuildPhases {
		ph, ok := bs.Phases[name]
		if !ok {
			continue
		}
		if failedPhase != "" && name != "post_build" {
			continue
		}
		script := fmt.Sprintf("set -e\n[ -f %[1]q ] && . %[1]q\nexport CODEBUILD_BUILD_SUCCEEDING=%[2]s\ntrap 'export -p > %[1]q' EXIT\n%[3]s\n",
			envFile, succeeding, strings.Join(ph.Commands, "\n"))
		cmd := exec.Command("bash", "--noprofile", "--norc", "-c", script)
		cmd.Dir = ws
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		fmt.Fprintf(&all, "== phase %s\n%s", name, out)
		var exit *exec.ExitError
		switch {
		case errors.As(err, &exit):
			if failedPhase == "" {
				failedPhase, status = name, exit.ExitCode()
			}
			succeeding = "0"
			if name == "install" || name == "pre_build" {
				return failedPhase, status, all.String()
			}
		case err != nil:
			t.Fatal(err)
		}
	}
	return failedPhase, status, all.String()
}

// fakeGo stands in for the Go runtime CodeBuild installs: `go install
// github.com/safetynet-dev/safetynet/cmd/safetynet@VERSION` copies the binary
// built from this checkout into GOPATH/bin, so the buildspec's own install
// commands (install, then put GOPATH/bin on PATH) run unchanged and offline.
// Any other go command fails the build.
const fakeGo = `#!/usr/bin/env bash
case "$1 $2" in
  "env GOPATH") echo "$FAKE_GOPATH" ;;
  "version "*) echo "go version go1.26 fake" ;;
  install\ github.com/safetynet-dev/safetynet/cmd/safetynet@v*)
    mkdir -p "$FAKE_GOPATH/bin" && cp "$FAKE_SAFETYNET" "$FAKE_GOPATH/bin/safetynet" ;;
  *) echo "fake go: unexpected: go $*" >&2; exit 99 ;;
esac
`

func TestBuildspecIsAModelCitizen(t *testing.T) {
	bs := mustBuildspec(t)
	if bs.Version.Value != "0.2" {
		t.Errorf("version %q, want 0.2 (0.1 runs every command in its own shell)", bs.Version.Value)
	}
	install := bs.Phases["install"]
	if v := install.RuntimeVersions["golang"]; !regexp.MustCompile(`^1\.\d+$`).MatchString(v) {
		t.Errorf("runtime-versions golang: %q, want a pinned 1.N", v)
	}
	if v := bs.Env.Variables["SAFETYNET_VERSION"]; !regexp.MustCompile(`^v\d+\.\d+\.\d+$`).MatchString(v) {
		t.Errorf("SAFETYNET_VERSION %q, want a pinned release", v)
	}
	secret := regexp.MustCompile(`(?i)(secret|password|token|api_?key|access_?key)`)
	for k := range bs.Env.Variables {
		if secret.MatchString(k) {
			t.Errorf("env.variables.%s looks like a secret in plain text", k)
		}
	}
	swallow := regexp.MustCompile(`\|\|\s*(true|:|exit 0)|;\s*(true|exit 0)\s*$|set \+e`)
	for name, ph := range bs.Phases {
		for _, c := range append(append([]string{}, ph.Commands...), ph.Finally...) {
			if swallow.MatchString(c) {
				t.Errorf("phase %s: %q swallows a failure", name, c)
			}
		}
	}
	rep, ok := bs.Reports["safetynet"]
	if !ok || rep.FileFormat != "JUNITXML" || len(rep.Files) == 0 {
		t.Errorf("reports.safetynet = %+v, want a JUNITXML report group", rep)
	}
}

func TestBuildspecRunsAndReports(t *testing.T) {
	needTools(t, "bash")
	_, bin := MustRelease(t)
	bs := mustBuildspec(t)
	rep := bs.Reports["safetynet"]
	if len(rep.Files) != 1 || strings.ContainsAny(rep.Files[0], "*?[") {
		t.Fatalf("reports.safetynet.files = %q, want one literal file for this test", rep.Files)
	}
	for _, tc := range []struct {
		name   string
		files  map[string]string
		phase  string // the phase that fails, "" for none
		status int
	}{
		{"clean", map[string]string{"templates/app.yaml": cleanTemplate}, "", 0},
		{"findings", map[string]string{"templates/app.yaml": findingsTemplate, "templates/ok.yaml": cleanTemplate}, "build", 1},
		{"unreadable", map[string]string{"templates/broken.yaml": brokenTemplate, "templates/ok.yaml": cleanTemplate}, "build", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			ws := filepath.Join(root, "src")
			MustWrite(t, ws, tc.files)
			fakeBin := filepath.Join(root, "fakebin")
			MustWrite(t, fakeBin, map[string]string{"go": fakeGo})
			if err := os.Chmod(filepath.Join(fakeBin, "go"), 0o755); err != nil {
				t.Fatal(err)
			}
			env := []string{
				"PATH=" + fakeBin + ":/usr/local/bin:/usr/bin:/bin",
				"HOME=" + root,
				"CODEBUILD_SRC_DIR=" + ws,
				"FAKE_GOPATH=" + filepath.Join(root, "gopath"),
				"FAKE_SAFETYNET=" + bin,
			}
			for k, v := range bs.Env.Variables {
				env = append(env, k+"="+v)
			}
			phase, status, log := runBuildspec(t, bs, ws, env)
			t.Log(log)
			if phase != tc.phase || status != tc.status {
				t.Errorf("failed phase %q with status %d, want %q with %d", phase, status, tc.phase, tc.status)
			}
			// CodeBuild reads the report after the build, failed or not.
			report := filepath.Join(ws, rep.BaseDirectory, rep.Files[0])
			b, err := os.ReadFile(report)
			if err != nil {
				t.Fatalf("JUnit report named by reports.safetynet: %v", err)
			}
			var suites struct {
				XMLName xml.Name
				Suites  []struct {
					Tests    int `xml:"tests,attr"`
					Failures int `xml:"failures,attr"`
					Errors   int `xml:"errors,attr"`
				} `xml:"testsuite"`
			}
			if err := xml.Unmarshal(b, &suites); err != nil || suites.XMLName.Local != "testsuites" {
				t.Fatalf("%s is not JUnit XML (%s): %v", report, suites.XMLName.Local, err)
			}
			failures := 0
			for _, s := range suites.Suites {
				failures += s.Failures + s.Errors
			}
			if (failures > 0) != (tc.status != 0) {
				t.Errorf("report holds %d failures and errors, build status %d", failures, tc.status)
			}
		})
	}
}

// The buildspec lives in examples/, which CI scans expecting exit 1 from
// the templates there. The buildspec itself must scan clean, including
// under the buildspec rules when they exist.
func TestBuildspecScansClean(t *testing.T) {
	_, bin := MustRelease(t)
	cmd := exec.Command(bin, "scan", "--fail-on", "info", filepath.Join("examples", "buildspec.yml"))
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("safetynet scan examples/buildspec.yml: %v\n%s", err, out)
	}
}
