package buildspec_test

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/buildspec"
)

// TestInlineFindingsInTheEngine checks what users see for an inline
// buildspec: the finding points at the command's line and column in the
// template, names the project and the property path, and the project's
// suppression metadata covers it.
func TestInlineFindingsInTheEngine(t *testing.T) {
	tmpl := `Resources:
  Build:
    Type: AWS::CodeBuild::Project
    Properties:
      Source:
        Type: CODEPIPELINE
        BuildSpec: |
          version: 0.2
          phases:
            build:
              commands:
                - go test ./... || true
  Quarantined:
    Type: AWS::CodeBuild::Project
    Metadata:
      safetynet:
        suppress:
          - rule: BUILDSPEC-001
            reason: integration suite quarantined (CI-7)
    Properties:
      Source:
        Type: CODEPIPELINE
        BuildSpec: |
          version: 0.2
          phases:
            build:
              commands:
                - go test ./... || true
`
	files := fstest.MapFS{"pipeline.yaml": {Data: []byte(tmpl)}}
	rules := append([]*scan.Rule{buildspec.SwallowedTestFailure}, scan.EngineRules...)
	res, err := scan.Run(context.Background(), []scan.Target{{FS: files, Path: "pipeline.yaml"}}, scan.Options{Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || len(res.Suppressed) != 1 || len(res.Errors) != 0 {
		t.Fatalf("findings %+v suppressed %+v errors %+v", res.Findings, res.Suppressed, res.Errors)
	}
	f := res.Findings[0]
	if f.Rule != "BUILDSPEC-001" || f.Resource != "Build" || f.Line != 12 || f.Column != 19 ||
		f.Path != "Resources.Build.Properties.Source.BuildSpec.phases.build.commands[0]" {
		t.Errorf("finding = %+v", f)
	}
	if s := res.Suppressed[0]; s.Resource != "Quarantined" || s.Line != 28 {
		t.Errorf("suppressed = %+v", s)
	}
}
