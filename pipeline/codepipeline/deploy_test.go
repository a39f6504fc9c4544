package codepipeline_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	yaml "go.yaml.in/yaml/v3"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules"
)

const deployTemplate = "deploy/codepipeline-lambda.yaml"

// The stack that deploys the scanner passes the scanner: every rule, every
// severity, and each suppression in it is used and carries a reason.
func TestDeployTemplateHasNoUnsuppressedFindings(t *testing.T) {
	root := filepath.Join("..", "..")
	all := append(rules.All(), scan.EngineRules...)
	res, err := scan.Run(context.Background(),
		[]scan.Target{{FS: os.DirFS(root), Path: deployTemplate, Name: deployTemplate}},
		scan.Options{Rules: all, AllRules: all})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Files != 1 {
		t.Fatalf("scanned %d files, want the template (errors: %v)", res.Summary.Files, res.Errors)
	}
	for _, e := range res.Errors {
		t.Errorf("%s:%d: %s", e.File, e.Line, e.Message)
	}
	for _, f := range res.Findings {
		t.Errorf("%s:%d: %s %s %s: %s", f.File, f.Line, f.Rule, f.Severity, f.Resource, f.Message)
	}
	suppressed := map[string]string{}
	for _, f := range res.Suppressed {
		suppressed[f.Rule] = f.Resource
		if len(f.Justification) < 40 {
			t.Errorf("suppression of %s on %s has no real reason: %q", f.Rule, f.Resource, f.Justification)
		}
	}
	want := map[string]string{"IAM-002": "FunctionRole", "LAMBDA-009": "Function", "LOGS-001": "LogGroup"}
	for rule, res := range want {
		if suppressed[rule] != res {
			t.Errorf("%s is not suppressed on %s (suppressed: %v); update this test with the reason when the template changes", rule, res, suppressed)
		}
	}
	if len(suppressed) != len(want) {
		t.Errorf("suppressed %v, want exactly %v", suppressed, want)
	}
}

// The function is what cmd/safetynet-lambda builds: the bootstrap
// executable for arm64 on the OS-only runtime.
func TestDeployTemplateMatchesTheBuild(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", deployTemplate))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Resources map[string]struct {
			Type       string `yaml:"Type"`
			Properties struct {
				Runtime       string   `yaml:"Runtime"`
				Architectures []string `yaml:"Architectures"`
				Handler       string   `yaml:"Handler"`
			} `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	fn := doc.Resources["Function"]
	if fn.Type != "AWS::Lambda::Function" || fn.Properties.Runtime != "provided.al2023" || fn.Properties.Handler != "bootstrap" ||
		len(fn.Properties.Architectures) != 1 || fn.Properties.Architectures[0] != "arm64" {
		t.Errorf("Function = %+v, want provided.al2023, arm64, bootstrap", fn)
	}
}

// AWS's own linter checks what safetynet does not: property names and
// values against the CloudFormation resource schemas. It is not a Go
// dependency, so the test runs where it is installed.
func TestDeployTemplateCfnLint(t *testing.T) {
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint is not installed")
	}
	// A version manager's shim can be on PATH without the tool behind it.
	if err := exec.Command(lint, "--version").Run(); err != nil {
		t.Skipf("cfn-lint does not run here: %v", err)
	}
	out, err := exec.Command(lint, filepath.Join("..", "..", deployTemplate)).CombinedOutput()
	if err != nil {
		t.Errorf("cfn-lint: %v\n%s", err, out)
	}
}
