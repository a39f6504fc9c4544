package citest_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// actionCase runs action.yml in a fresh workspace holding files, installing
// the release built from this checkout through the action's own installer
// (the download base points at the local release directory).
func actionCase(t *testing.T, files map[string]string, inputs map[string]string) (*actionRun, string) {
	t.Helper()
	dist, _ := MustRelease(t)
	needTools(t, "curl")
	root := t.TempDir()
	ws := filepath.Join(root, "workspace")
	MustWrite(t, ws, files)
	if inputs == nil {
		inputs = map[string]string{}
	}
	if _, ok := inputs["version"]; !ok {
		inputs["version"] = testVersion
	}
	gh := map[string]string{
		"action_path":       repoRoot(t),
		"action_ref":        "main",
		"action_repository": "safetynet-dev/safetynet",
	}
	return MustRunAction(t, ws, inputs, gh, "SAFETYNET_DOWNLOAD_BASE=file://"+dist), ws
}

func TestActionCleanTemplate(t *testing.T) {
	r, ws := actionCase(t, map[string]string{"infra/app.yaml": cleanTemplate}, map[string]string{"paths": "infra/"})
	if got := r.step("install").outputs["installed"]; got != "true" {
		t.Fatalf("install: installed=%q, want true (log: %s)", got, r.step("install").log)
	}
	if r.step("build").ran {
		t.Error("build from source ran although the release was installed")
	}
	if got := r.output("exit-code"); got != "0" {
		t.Errorf("output exit-code = %q, want 0", got)
	}
	sarif := r.output("sarif-file")
	mustSARIF(t, filepath.Join(ws, sarif))
	if up := r.uploadStep(); !up.ran || up.with["sarif_file"] != sarif {
		t.Errorf("upload ran=%v with sarif_file=%q, want it to upload %q", up.ran, up.with["sarif_file"], sarif)
	}
	if v := r.step("verdict"); !v.ran || v.outcome != "success" {
		t.Errorf("verdict ran=%v outcome=%s, want success:\n%s", v.ran, v.outcome, v.log)
	}
	if r.failed {
		t.Error("the job failed on a clean template")
	}
}

func TestActionFindingsFailAfterUpload(t *testing.T) {
	r, ws := actionCase(t, map[string]string{"app.yaml": findingsTemplate, "ok.yaml": cleanTemplate}, map[string]string{"paths": "app.yaml\nok.yaml"})
	if got := r.output("exit-code"); got != "1" {
		t.Fatalf("output exit-code = %q, want 1", got)
	}
	if s := r.step("scan"); s.outcome != "success" {
		t.Errorf("the scan step itself failed (exit %d); it must record the status and leave failing to the last step", s.exit)
	}
	doc := mustSARIF(t, filepath.Join(ws, r.output("sarif-file")))
	if len(doc.Runs) == 0 || len(doc.Runs[0].Results) == 0 {
		t.Error("SARIF has no results for a template with findings")
	}
	if up := r.uploadStep(); !up.ran {
		t.Error("SARIF upload did not run")
	}
	v := r.step("verdict")
	if v.outcome != "failure" || v.exit != 1 {
		t.Errorf("verdict outcome=%s exit=%d, want failure with exit 1", v.outcome, v.exit)
	}
	if !strings.Contains(v.log, "::error") || !strings.Contains(v.log, "findings at or above") {
		t.Errorf("verdict log has no error annotation about findings:\n%s", v.log)
	}
	if !r.failed {
		t.Error("the job passed with findings")
	}
	// The display pass wrote annotations and a job summary.
	if !strings.Contains(r.step("scan").log, "::error") {
		t.Errorf("scan log has no annotations:\n%s", r.step("scan").log)
	}
	if b, err := os.ReadFile(filepath.Join(ws, "..", "runner-temp", "step-summary.md")); err != nil || len(b) == 0 {
		t.Errorf("no job summary written: %v", err)
	}
}

func TestActionBrokenTemplateFailsWithStatus2(t *testing.T) {
	r, ws := actionCase(t, map[string]string{"broken.yaml": brokenTemplate, "ok.yaml": cleanTemplate}, nil)
	if got := r.output("exit-code"); got != "2" {
		t.Fatalf("output exit-code = %q, want 2", got)
	}
	mustSARIF(t, filepath.Join(ws, "safetynet.sarif"))
	v := r.step("verdict")
	if v.outcome != "failure" || v.exit != 2 {
		t.Errorf("verdict outcome=%s exit=%d, want failure with exit 2", v.outcome, v.exit)
	}
	if !strings.Contains(v.log, "::error") || !strings.Contains(v.log, "could not be read") {
		t.Errorf("verdict log has no error annotation about unreadable input:\n%s", v.log)
	}
}

func TestActionUsageErrorFailsWithStatus3(t *testing.T) {
	r, _ := actionCase(t, map[string]string{"ok.yaml": cleanTemplate}, map[string]string{"fail-on": "sometimes"})
	if got := r.output("exit-code"); got != "3" {
		t.Fatalf("output exit-code = %q, want 3", got)
	}
	if up := r.uploadStep(); up.ran {
		t.Error("SARIF upload ran although the usage error wrote no SARIF")
	}
	v := r.step("verdict")
	if v.outcome != "failure" || v.exit != 3 || !strings.Contains(v.log, "::error") || !strings.Contains(v.log, "nothing was scanned") {
		t.Errorf("verdict outcome=%s exit=%d, want failure with exit 3 and an error annotation:\n%s", v.outcome, v.exit, v.log)
	}
}

func TestActionUploadCanBeTurnedOff(t *testing.T) {
	r, _ := actionCase(t, map[string]string{"app.yaml": findingsTemplate}, map[string]string{"upload-sarif": "false", "annotations": "false"})
	if r.uploadStep().ran {
		t.Error("SARIF upload ran with upload-sarif: false")
	}
	if strings.Contains(r.step("scan").log, "::error") {
		t.Error("annotations printed with annotations: false")
	}
	if v := r.step("verdict"); v.exit != 1 {
		t.Errorf("verdict exit %d, want 1", v.exit)
	}
}

// Inputs reach the scripts as environment variables and are used as
// arguments only: shell syntax in them is never run, whichever input it is
// in and however far the scan gets.
func TestActionInputsAreNotExecuted(t *testing.T) {
	evil := "$(touch pwned-1) `touch pwned-2` ;touch pwned-3 && touch pwned-4"
	for name, inputs := range map[string]map[string]string{
		"paths and sarif-file": {"paths": "app.yaml " + evil, "sarif-file": "out/$(touch pwned-5).sarif"},
		"rules":                {"paths": "app.yaml", "rules": "$(touch pwned-6)"},
		"fail-on and baseline": {"paths": "app.yaml", "fail-on": "`touch pwned-7`", "baseline": "$(touch pwned-8)"},
		"config":               {"paths": "app.yaml", "config": "x; touch pwned-9"},
	} {
		t.Run(name, func(t *testing.T) {
			r, ws := actionCase(t, map[string]string{"app.yaml": cleanTemplate}, inputs)
			for _, dir := range []string{ws, filepath.Dir(ws), filepath.Join(ws, "out")} {
				matches, _ := filepath.Glob(filepath.Join(dir, "pwned*"))
				if len(matches) > 0 {
					t.Fatalf("an input was executed as shell code: %v", matches)
				}
			}
			// The odd names do not exist or do not parse: the scan says so
			// (exit 2 or 3) and the job fails; nothing is run.
			if code := r.output("exit-code"); code != "2" && code != "3" {
				t.Errorf("exit-code %q, want 2 or 3", code)
			}
			if !r.failed {
				t.Error("job passed")
			}
		})
	}
}

func TestActionRejectsTamperedRelease(t *testing.T) {
	dist, _ := MustRelease(t)
	goos, goarch, _, _ := hostPlatform(t)
	bad := t.TempDir()
	for _, name := range []string{"checksums.txt", archiveName(goos, goarch)} {
		b, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			t.Fatal(err)
		}
		if name != "checksums.txt" {
			b[len(b)/2] ^= 0xff
		}
		if err := os.WriteFile(filepath.Join(bad, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws := filepath.Join(t.TempDir(), "workspace")
	MustWrite(t, ws, map[string]string{"app.yaml": findingsTemplate})
	gh := map[string]string{"action_path": repoRoot(t), "action_ref": testVersion, "action_repository": "safetynet-dev/safetynet"}
	r := MustRunAction(t, ws, map[string]string{}, gh, "SAFETYNET_DOWNLOAD_BASE=file://"+bad)
	in := r.step("install")
	if in.outcome != "failure" || !strings.Contains(in.log, "SHA-256") {
		t.Fatalf("install outcome=%s, want a checksum failure:\n%s", in.outcome, in.log)
	}
	for _, id := range []string{"build", "scan", "verdict"} {
		if r.step(id).ran {
			t.Errorf("step %s ran after the checksum failure", id)
		}
	}
	if !r.failed {
		t.Error("job passed with a tampered release")
	}
}

// A version asked for by name must be installed as such; building the
// action's own (different) source instead would hide the mistake.
func TestActionMissingExplicitVersionFails(t *testing.T) {
	for _, version := range []string{"v9.9.9", "latest"} {
		t.Run(version, func(t *testing.T) {
			r, _ := actionCase(t, map[string]string{"app.yaml": cleanTemplate}, map[string]string{"version": version})
			in := r.step("install")
			if in.outcome != "failure" || !strings.Contains(in.log, "::error") {
				t.Fatalf("install outcome=%s, want an error:\n%s", in.outcome, in.log)
			}
			for _, id := range []string{"build", "scan", "verdict"} {
				if r.step(id).ran {
					t.Errorf("step %s ran", id)
				}
			}
		})
	}
}

// A branch ref has no release: the action builds from its own source.
func TestActionBuildsFromSourceOnBranchRef(t *testing.T) {
	if testing.Short() {
		t.Skip("builds safetynet from source; skipped in -short")
	}
	needTools(t, "bash", "go")
	hostPlatform(t)
	ws := filepath.Join(t.TempDir(), "workspace")
	MustWrite(t, ws, map[string]string{"app.yaml": findingsTemplate})
	gh := map[string]string{"action_path": repoRoot(t), "action_ref": "main", "action_repository": "safetynet-dev/safetynet"}
	r := MustRunAction(t, ws, map[string]string{"annotations": "false"}, gh)
	if got := r.step("install").outputs["installed"]; got != "false" {
		t.Fatalf("install: installed=%q on a branch ref, want false", got)
	}
	if b := r.step("build"); b.outcome != "success" {
		t.Fatalf("build from source: %s\n%s", b.outcome, b.log)
	}
	if got := r.output("exit-code"); got != "1" {
		t.Errorf("exit-code %q, want 1", got)
	}
	if !strings.Contains(r.step("build").log, "safetynet main ") {
		t.Errorf("built binary not stamped with the ref:\n%s", r.step("build").log)
	}
}

type sarifDoc struct {
	Version string `json:"version"`
	Runs    []struct {
		Results []json.RawMessage `json:"results"`
	} `json:"runs"`
}

func mustSARIF(t *testing.T, path string) sarifDoc {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("SARIF file: %v", err)
	}
	var doc sarifDoc
	if err := json.Unmarshal(b, &doc); err != nil || doc.Version != "2.1.0" {
		t.Fatalf("%s is not SARIF 2.1.0 (version %q): %v", path, doc.Version, err)
	}
	return doc
}
