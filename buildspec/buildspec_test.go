package buildspec_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet/buildspec"
	"github.com/safetynet-dev/safetynet/cfn"
)

const sample = `version: 0.2
env:
  variables:
    STAGE: prod
  parameter-store:
    TOKEN: /ci/token
  secrets-manager:
    DB: prod/db:password
phases:
  install:
    runtime-versions:
      nodejs: 20
    commands:
      - npm ci
  build:
    on-failure: CONTINUE
    commands:
      - npm test
      - |
        cd service
        make test
    finally:
      - echo done
reports:
  unit:
    files: [report.xml]
`

func mustParse(tb testing.TB, name, src string) *buildspec.Spec {
	tb.Helper()
	s, err := buildspec.Parse(name, []byte(src))
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range s.Problems {
		tb.Errorf("problem: %v", p)
	}
	return s
}

func TestParseModel(t *testing.T) {
	s := mustParse(t, "buildspec.yml", sample)
	if s.Version == nil || s.Version.Text != "0.2" || s.Version.Start != (cfn.Pos{Line: 1, Col: 10}) || s.Version.End != (cfn.Pos{Line: 1, Col: 13}) {
		t.Errorf("version = %+v", s.Version)
	}
	if s.Env == nil || len(s.Env.Variables) != 1 || s.Env.Variables[0].Name != "STAGE" || s.Env.Variables[0].Value.Path != "env.variables.STAGE" {
		t.Fatalf("env = %+v", s.Env)
	}
	if len(s.Env.ParameterStore) != 1 || len(s.Env.SecretsManager) != 1 {
		t.Errorf("env stores = %+v %+v", s.Env.ParameterStore, s.Env.SecretsManager)
	}
	if len(s.Phases) != 2 || s.Phases[0].Name != "install" || s.Phases[1].Name != "build" {
		t.Fatalf("phases = %+v", s.Phases)
	}
	rv := s.Phases[0].RuntimeVersions
	if len(rv) != 1 || rv[0].Name != "nodejs" || rv[0].Value.Text != "20" || rv[0].Value.Start.Line != 12 {
		t.Errorf("runtime-versions = %+v", rv)
	}
	b := s.Phases[1]
	if b.OnFailure == nil || b.OnFailure.Text != "CONTINUE" || b.OnFailure.Start.Line != 16 {
		t.Errorf("on-failure = %+v", b.OnFailure)
	}
	if len(b.Commands) != 2 || b.Commands[0].Text != "npm test" || b.Commands[0].Path != "phases.build.commands[0]" || b.Commands[0].Start != (cfn.Pos{Line: 18, Col: 9}) {
		t.Fatalf("commands = %+v", b.Commands)
	}
	block := b.Commands[1]
	if !block.Block || block.Start != (cfn.Pos{Line: 20, Col: 9}) {
		t.Errorf("block command = %+v", block)
	}
	lines := block.Lines()
	if len(lines) != 2 || lines[1].Text != "make test" || lines[1].At != (cfn.Pos{Line: 21, Col: 9}) {
		t.Errorf("block lines = %+v", lines)
	}
	if len(b.Finally) != 1 || b.Finally[0].Path != "phases.build.finally[0]" {
		t.Errorf("finally = %+v", b.Finally)
	}
	if s.ReportsKey.Line != 24 || len(s.Reports) != 1 || s.Reports[0].Text != "unit" {
		t.Errorf("reports = %v %+v", s.ReportsKey, s.Reports)
	}
}

func TestParseAnchors(t *testing.T) {
	// Buildspecs, unlike templates, may share values through anchors.
	s := mustParse(t, "buildspec.yml", "version: 0.2\nphases:\n  build:\n    commands: &cmds\n      - make test\n  post_build:\n    commands: *cmds\n")
	if len(s.Phases) != 2 || len(s.Phases[1].Commands) != 1 || s.Phases[1].Commands[0].Text != "make test" {
		t.Errorf("phases = %+v", s.Phases[1])
	}
}

func TestParseProblems(t *testing.T) {
	s, err := buildspec.Parse("buildspec.yml", []byte("version: 0.2\nphases:\n  build:\n    commands:\n      - echo a: b\n      - make\n  post_build: [x]\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range s.Problems {
		got = append(got, p.Error())
	}
	want := []string{
		`buildspec.yml:5:9: phases.build.commands[0] is not a string (quote a command that contains ": ")`,
		"buildspec.yml:7:15: phases.post_build must be a mapping",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(s.Phases[0].Commands) != 1 || s.Phases[0].Commands[0].Text != "make" {
		t.Errorf("the readable command is kept: %+v", s.Phases[0].Commands)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"buildspec.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - go test\n   bad: [\n", "buildspec.yml:6:4: invalid YAML in buildspec: did not find expected key"},
		{"buildspec.yml", "", "buildspec.yml: buildspec is empty"},
		{"buildspec.yml", "- a\n- b\n", "buildspec.yml:1:1: buildspec must be a mapping with version and phases"},
		{"ci.yml", "on: push\njobs: {}\n", "not a CodeBuild buildspec"},
		{"ci.yml", "phases: {}\n", "not a CodeBuild buildspec"},
		{"buildspec-pipeline.yml", "Resources:\n  Build:\n    Type: AWS::CodeBuild::Project\n", "not a CodeBuild buildspec"},
		{"buildspec.yml", "version: 0.2\nphases: " + strings.Repeat("[", 100) + strings.Repeat("]", 100), "nests deeper than"},
	} {
		_, err := buildspec.Parse(tc.name, []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%s, %.30q) = %v, want %q", tc.name, tc.src, err, tc.want)
		}
		if strings.HasPrefix(tc.want, "not a") && !errors.Is(err, buildspec.ErrNotBuildspec) {
			t.Errorf("Parse(%s, %.30q) is not ErrNotBuildspec: %v", tc.name, tc.src, err)
		}
	}
	// A buildspec by content is read whatever its name.
	if _, err := buildspec.Parse("ci/pipeline.yml", []byte("version: 0.2\nphases: {}\n")); err != nil {
		t.Errorf("content-detected buildspec: %v", err)
	}
}

func TestParseEmbedded(t *testing.T) {
	// The text of a block scalar whose indicator is on line 10 and whose
	// lines are indented by 10 columns.
	place := func(p cfn.Pos) cfn.Pos { return cfn.Pos{Line: 10 + p.Line, Col: 10 + p.Col} }
	s, err := buildspec.ParseEmbedded("t.yaml", "phases:\n  build:\n    commands:\n      - make test\n", place)
	if err != nil {
		t.Fatal(err)
	}
	if s.Version != nil {
		t.Errorf("version = %+v", s.Version)
	}
	c := s.Phases[0].Commands[0]
	if c.Start != (cfn.Pos{Line: 14, Col: 19}) || c.End != (cfn.Pos{Line: 14, Col: 28}) {
		t.Errorf("command at %v-%v, want 14:19-14:28", c.Start, c.End)
	}
	_, err = buildspec.ParseEmbedded("t.yaml", "phases:\n  build: [\n", place)
	var ce *cfn.Error
	if !errors.As(err, &ce) || ce.Line < 11 {
		t.Errorf("embedded error = %v, want a line of the template", err)
	}
}

func TestIsFileName(t *testing.T) {
	for name, want := range map[string]bool{
		"buildspec.yml":             true,
		"ci/buildspec.yaml":         true,
		"BuildSpec.YML":             true,
		"buildspec-release.yml":     true,
		"deploy/buildspec_test.yml": true,
		"buildspec.prod.yaml":       true,
		"buildspec.json":            false,
		"buildspecs.yml":            false,
		"buildspec-.yml":            false,
		"my-buildspec.yml":          false,
		"template.yaml":             false,
	} {
		if got := buildspec.IsFileName(name); got != want {
			t.Errorf("IsFileName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestMayBe(t *testing.T) {
	for src, want := range map[string]bool{
		"version: 0.2\nphases:\n":     true,
		"phases:\n  build: {}\n":      true,
		`{"version": 0.2, "phases":}`: true,
		"Resources: {}\n":             false,
		"steps:\n  phases: x\n":       false,
	} {
		if got := buildspec.MayBe([]byte(src)); got != want {
			t.Errorf("MayBe(%q) = %v, want %v", src, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("version: 0.2\nphases:\n  build:\n    commands: [a, {b: c}, |\n      x\n      y\n]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := buildspec.Parse("buildspec.yml", data)
		if err != nil {
			return
		}
		for _, ph := range s.Phases {
			for _, c := range append(ph.Commands, ph.Finally...) {
				for _, l := range c.Lines() {
					if l.At.Line < 1 {
						t.Fatalf("line without a position: %+v", l)
					}
				}
			}
		}
	})
}

func TestSuppressionComments(t *testing.T) {
	src := `# safetynet:suppress BUILDSPEC-002 reports go to the dashboard
version: 0.2
phases:
  build:
    commands:
      # safetynet:suppress BUILDSPEC-001 quarantined

      - make test || true
      - echo "# safetynet:suppress is just text here"
      - go test || true   # safetynet:suppress BUILDSPEC-001 flaky, CI-7
# safetynet:suppress
`
	s := mustParse(t, "buildspec.yml", src)
	var got []string
	for _, sp := range s.Suppressions {
		got = append(got, fmt.Sprintf("%d:%d %s line=%d %q", sp.At.Line, sp.At.Col, sp.Rule, sp.Line, sp.Reason))
	}
	want := []string{
		`1:1 BUILDSPEC-002 line=0 "reports go to the dashboard"`,
		`6:7 BUILDSPEC-001 line=8 "quarantined"`,
		`10:27 BUILDSPEC-001 line=10 "flaky, CI-7"`,
		`11:1  line=-1 ""`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("suppressions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// An embedded buildspec takes its suppressions from its template.
	e, err := buildspec.ParseEmbedded("t.yaml", src, nil)
	if err != nil || len(e.Suppressions) != 0 {
		t.Errorf("embedded suppressions = %v, %v", e.Suppressions, err)
	}
}
