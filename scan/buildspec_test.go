package scan_test

import (
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/safetynet-dev/safetynet/scan"
)

// swallowed is a small buildspec rule for exercising the engine: it fires on
// every command that ends in "|| true".
var swallowed = &scan.Rule{
	ID: "TST-010", Title: "Swallowed", Severity: scan.Failure, Doc: "test", Fix: "drop || true",
	Resources: []string{"AWS::CodeBuild::Project"},
	Check:     func(*scan.Pass) {},
	CheckBuildspec: func(p *scan.BuildspecPass) {
		for _, ph := range p.Spec.Phases {
			for _, c := range ph.Commands {
				if strings.HasSuffix(c.Text, "|| true") {
					p.Reportf(c.Start, c.End, c.Path, "%s swallows failure", c.Text)
				}
			}
		}
	},
}

const swallowSpec = `version: 0.2
phases:
  build:
    commands:
      - make test || true
`

func buildspecRules() []*scan.Rule {
	return append([]*scan.Rule{publicBucket, swallowed}, scan.EngineRules...)
}

func TestBuildspecFilesAreScanned(t *testing.T) {
	files := fstest.MapFS{
		"buildspec.yml":             {Data: []byte(swallowSpec)},
		"ci/buildspec-release.yaml": {Data: []byte(swallowSpec)},
		// Recognised by content whatever its name.
		"ci/pipeline.yml": {Data: []byte(swallowSpec)},
		// Neither a template nor a buildspec.
		"workflow.yml": {Data: []byte("on: push\njobs: {}\n")},
		"steps.yml":    {Data: []byte("steps:\n  phases: [a]\n")},
		"a.yaml":       {Data: []byte(public)},
		// A template named like a buildspec is still a template.
		"buildspec-stack.yml": {Data: []byte(public)},
	}
	res := mustRun(t, files, scan.Options{Rules: buildspecRules()})
	if got := rulesOf(res.Findings); got != "a.yaml:TST-001 buildspec-stack.yml:TST-001 buildspec.yml:TST-010 ci/buildspec-release.yaml:TST-010 ci/pipeline.yml:TST-010" {
		t.Fatalf("findings = %s", got)
	}
	f := res.Findings[2]
	if f.Line != 5 || f.Column != 9 || f.EndLine != 5 || f.EndColumn != 26 || f.Path != "phases.build.commands[0]" || f.Resource != "" || f.Fix != "drop || true" {
		t.Errorf("finding = %+v", f)
	}
	if res.Summary.Files != 5 || res.Summary.Skipped != 2 || len(res.Errors) != 0 {
		t.Errorf("summary = %+v, errors %+v", res.Summary, res.Errors)
	}
}

func TestBuildspecErrors(t *testing.T) {
	files := fstest.MapFS{
		"buildspec.yml": {Data: []byte("version: 0.2\nphases:\n  build:\n    commands:\n      - make\n   oops: [\n")},
		// A file named like a buildspec is reported even when it is not
		// one, since CodeBuild would fail on it.
		"buildspec-prod.yml": {Data: []byte("- a\n")},
		// Readable, with a shape problem, and still checked.
		"buildspec-dev.yml": {Data: []byte("version: 0.2\nphases:\n  build:\n    commands:\n      - echo a: b\n      - make test || true\n")},
	}
	res := mustRun(t, files, scan.Options{Rules: buildspecRules()})
	var got []string
	for _, e := range res.Errors {
		got = append(got, e.File+":"+strconv.Itoa(e.Line)+": "+e.Message)
	}
	want := []string{
		`buildspec-dev.yml:5: phases.build.commands[0] is not a string (quote a command that contains ": ")`,
		"buildspec-prod.yml:1: buildspec must be a mapping with version and phases",
		"buildspec.yml:6: invalid YAML in buildspec: did not find expected key",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := rulesOf(res.Findings); got != "buildspec-dev.yml:TST-010" {
		t.Errorf("findings = %s", got)
	}
}

func TestBuildspecSelectionSuppressionBaseline(t *testing.T) {
	files := fstest.MapFS{"ci/buildspec.yml": {Data: []byte(swallowSpec)}, "app/buildspec.yml": {Data: []byte(swallowSpec)}}

	// A rule turned off (as by rules: [all, -TST-010] in .safetynet.yml)
	// does not run on buildspecs.
	selected, err := scan.Select(buildspecRules(), []string{"all", "-TST-010"})
	if err != nil {
		t.Fatal(err)
	}
	if res := mustRun(t, files, scan.Options{Rules: selected, AllRules: buildspecRules()}); len(res.Findings) != 0 {
		t.Errorf("deselected rule reported %s", rulesOf(res.Findings))
	}

	// A suppression file entry matches buildspec findings by path.
	list, err := scan.LoadSuppressionFile("supp.yml", []byte("suppressions:\n  - rule: TST-010\n    file: ci/*.yml\n    reason: flaky suite quarantined in CI-7\n"), buildspecRules(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	res := mustRun(t, files, scan.Options{Rules: buildspecRules(), Suppressions: list, SuppressionFile: "supp.yml"})
	if got := rulesOf(res.Findings); got != "app/buildspec.yml:TST-010" {
		t.Errorf("findings = %s", got)
	}
	if len(res.Suppressed) != 1 || res.Suppressed[0].File != "ci/buildspec.yml" || res.Suppressed[0].Justification != "flaky suite quarantined in CI-7" {
		t.Errorf("suppressed = %+v", res.Suppressed)
	}

	// A baseline accepts a buildspec finding across edits above it.
	base, err := scan.ParseBaseline("b.json", scan.NewBaseline(res.Findings).Marshal())
	if err != nil {
		t.Fatal(err)
	}
	moved := fstest.MapFS{"app/buildspec.yml": {Data: []byte("# moved down\n" + swallowSpec)}}
	res = mustRun(t, moved, scan.Options{Rules: buildspecRules(), Baseline: base})
	if len(res.Findings) != 0 || res.Summary.Baselined != 1 {
		t.Errorf("findings = %s, summary %+v", rulesOf(res.Findings), res.Summary)
	}
}

func TestPanickingBuildspecRuleIsContained(t *testing.T) {
	boom := &scan.Rule{ID: "TST-011", Title: "boom", Severity: scan.Info, Doc: "x", Resources: []string{"AWS::CodeBuild::Project"},
		Check: func(*scan.Pass) {}, CheckBuildspec: func(*scan.BuildspecPass) { panic("bad rule") }}
	res := mustRun(t, fstest.MapFS{"buildspec.yml": {Data: []byte(swallowSpec)}}, scan.Options{Rules: []*scan.Rule{boom, swallowed}})
	if len(res.Findings) != 1 || len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, "TST-011") {
		t.Errorf("findings %+v errors %+v", res.Findings, res.Errors)
	}
}

func TestDiscoverBuildspecs(t *testing.T) {
	files := fstest.MapFS{
		"buildspec.yml": {}, "ci/buildspec-release.yml": {}, "ci/buildspec_test.yaml": {},
		"template.yaml": {}, "notes.txt": {},
	}
	got, err := scan.Discover(files, ".", nil)
	if err != nil {
		t.Fatal(err)
	}
	if g := strings.Join(got, " "); g != "buildspec.yml ci/buildspec-release.yml ci/buildspec_test.yaml template.yaml" {
		t.Errorf("Discover = %s", g)
	}
}

func TestBuildspecSuppressionComments(t *testing.T) {
	src := `# A header comment covers the whole file:
# safetynet:suppress TST-011 not used by this run's rules either
version: 0.2
phases:
  build:
    commands:
      - make test || true # safetynet:suppress TST-010 the integration suite is quarantined (CI-7)
      # safetynet:suppress TST-010 lint is advisory
      - make lint || true
      - go test ./... || true
      - go vet ./... # safetynet:suppress TST-010 nothing fires here
      - make vet || true # safetynet:suppress TST-010
# safetynet:suppress NOPE-999 typo
# safetynet:suppress TST-010 dangling at the end
`
	res := mustRun(t, fstest.MapFS{"buildspec.yml": {Data: []byte(src)}}, scan.Options{Rules: buildspecRules()})
	var got []string
	for _, f := range res.Findings {
		got = append(got, strconv.Itoa(f.Line)+" "+f.Rule+" "+f.Message)
	}
	want := []string{
		"2 SN-002 suppression names TST-011, which is not a known rule",
		"10 TST-010 go test ./... || true swallows failure",
		"11 SN-002 suppression of TST-010 matches no finding",
		"12 TST-010 make vet || true swallows failure",
		"12 SN-001 suppression of TST-010 has no reason, so it is not applied",
		"13 SN-002 suppression names NOPE-999, which is not a known rule",
		"14 SN-002 suppression of TST-010 matches no finding",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var reasons []string
	for _, f := range res.Suppressed {
		reasons = append(reasons, strconv.Itoa(f.Line)+" "+f.Justification)
	}
	if g := strings.Join(reasons, "; "); g != "7 the integration suite is quarantined (CI-7); 9 lint is advisory" {
		t.Errorf("suppressed = %s", g)
	}
}
