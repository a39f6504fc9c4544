package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/rules.md")

// run executes the program in-process in dir and returns its exit status and
// output.
func run(t *testing.T, dir, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, Dir: dir}
	code = m.Main(context.Background(), args)
	return code, out.String(), errb.String()
}

// writeFiles lays out files under a temporary directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const volumeIf = `Parameters:
  Env:
    Type: String
    Default: dev
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Data:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: eu-west-1a
      Size: 10
      Encrypted: !If [IsProd, true, false]
`

const clean = `Resources:
  Data:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: eu-west-1a
      Size: 10
      Encrypted: "true"
`

type jsonReport struct {
	Findings []map[string]any `json:"findings"`
	Errors   []map[string]any `json:"errors"`
	Summary  map[string]any   `json:"summary"`
}

func decode(t *testing.T, s string) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, s)
	}
	return r
}

func TestExitStatus(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"bad/volume.yaml":    volumeIf,
		"good/volume.yaml":   clean,
		"broken/volume.yaml": volumeIf,
		"broken/syntax.yaml": "Resources:\n  X: [unclosed\n",
	})
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"scan", "good"}, 0},
		{[]string{"scan", "bad"}, 1},
		{[]string{"scan", "--fail-on", "none", "bad"}, 0},
		{[]string{"scan", "broken"}, 2},
		{[]string{"scan", "good", "missing.yaml"}, 2},
		{[]string{"scan", "--format", "nope", "good"}, 3},
		{[]string{"scan", "--fail-on", "sometimes", "good"}, 3},
		{[]string{"scan", "--rules", "all,-XYZ-999", "good"}, 3},
		{[]string{"scan", "--baseline", "missing.json", "good"}, 3},
		{[]string{"frobnicate"}, 3},
		{[]string{"scan", "--help"}, 0},
		{[]string{"version"}, 0},
	}
	for _, tt := range tests {
		code, out, errs := run(t, dir, "", tt.args...)
		if code != tt.want {
			t.Errorf("%v: exit %d, want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.want, out, errs)
		}
	}
}

// TestManyFindingsStillFail guards against cfn_nag's exit status, which is
// the failure count modulo 256.
func TestManyFindingsStillFail(t *testing.T) {
	var b strings.Builder
	b.WriteString("Resources:\n")
	for i := 0; i < 256; i++ {
		fmt.Fprintf(&b, "  V%d:\n    Type: AWS::EC2::Volume\n    Properties:\n      Size: 1\n      AvailabilityZone: a\n", i)
	}
	dir := writeFiles(t, map[string]string{"many.yaml": b.String()})
	code, out, _ := run(t, dir, "", "scan", "--format", "json", "many.yaml")
	if code != 1 {
		t.Fatalf("exit %d with %d findings", code, len(decode(t, out).Findings))
	}
	if n := len(decode(t, out).Findings); n < 256 {
		t.Errorf("%d findings, want at least 256", n)
	}
}

func TestScanJSONContract(t *testing.T) {
	dir := writeFiles(t, map[string]string{"t/volume.yaml": volumeIf, "t/syntax.json": "{\"Resources\": {\n  \"X\": [\n}\n", "t/other.yaml": "name: x\n"})
	code, out, _ := run(t, dir, "", "scan", "--format", "json", "--rules", "EC2-001", "t")
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	r := decode(t, out)
	if len(r.Findings) != 1 {
		t.Fatalf("findings = %v", r.Findings)
	}
	f := r.Findings[0]
	for _, k := range []string{"rule", "aliases", "severity", "message", "file", "line", "column", "end_line", "end_column", "resource", "path", "fix", "fingerprint"} {
		if _, ok := f[k]; !ok {
			t.Errorf("finding lacks %q: %v", k, f)
		}
	}
	if f["file"] != "t/volume.yaml" || f["line"] != float64(13) || f["path"] != "Resources.Data.Properties.Encrypted" {
		t.Errorf("finding = %v", f)
	}
	if !strings.Contains(f["message"].(string), "!IsProd") {
		t.Errorf("message does not say which branch: %v", f["message"])
	}
	if len(r.Errors) != 1 || r.Errors[0]["file"] != "t/syntax.json" || r.Errors[0]["line"].(float64) == 0 {
		t.Errorf("errors = %v", r.Errors)
	}
	if r.Summary["files_scanned"] != float64(1) || r.Summary["files_skipped"] != float64(1) || r.Summary["errors"] != float64(1) {
		t.Errorf("summary = %v", r.Summary)
	}
}

func TestSuppliedParametersDecideConditions(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"volume.yaml": volumeIf,
		"prod.json":   `{"Parameters": {"Env": "prod"}}`,
		"dev.json":    `[{"ParameterKey": "Env", "ParameterValue": "dev"}]`,
	})
	if code, out, _ := run(t, dir, "", "scan", "--params", "prod.json", "volume.yaml"); code != 0 {
		t.Errorf("prod: exit %d\n%s", code, out)
	}
	if code, out, _ := run(t, dir, "", "scan", "--params", "volume.yaml=dev.json", "volume.yaml"); code != 1 {
		t.Errorf("dev: exit %d\n%s", code, out)
	}
	if code, _, errs := run(t, dir, "", "scan", "--params", "nope.json", "volume.yaml"); code != 3 || !strings.Contains(errs, "nope.json") {
		t.Errorf("missing params: exit %d, %s", code, errs)
	}
}

func TestStdinAndFormats(t *testing.T) {
	dir := t.TempDir()
	for _, format := range []string{"text", "json", "sarif", "junit", "github"} {
		code, out, errs := run(t, dir, volumeIf, "scan", "--format", format, "-")
		if code != 1 || !strings.Contains(out, "EC2-") && !strings.Contains(out, "EBS-") {
			t.Errorf("%s: exit %d\n%s\n%s", format, code, out, errs)
		}
	}
}

func TestBaselineRoundTrip(t *testing.T) {
	dir := writeFiles(t, map[string]string{"volume.yaml": volumeIf})
	if code, _, errs := run(t, dir, "", "scan", "--write-baseline", "base.json", "."); code != 0 {
		t.Fatalf("write-baseline exit %d: %s", code, errs)
	}
	if code, out, _ := run(t, dir, "", "scan", "--baseline", "base.json", "."); code != 0 {
		t.Errorf("with baseline: exit %d\n%s", code, out)
	}
}

func TestConfigFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"infra/volume.yaml": volumeIf,
		"test/volume.yaml":  volumeIf,
		".safetynet.yml":    "paths: [infra, test]\nexclude: [test]\nparameters:\n  \"infra/*.yaml\": prod.json\n",
		"prod.json":         `{"Parameters": {"Env": "prod"}}`,
	})
	if code, out, _ := run(t, dir, "", "scan"); code != 0 {
		t.Errorf("exit %d\n%s", code, out)
	}
	if err := os.WriteFile(filepath.Join(dir, ".safetynet.yml"), []byte("pahts: [infra]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(t, dir, "", "scan"); code != 3 || !strings.Contains(errs, "line 1") {
		t.Errorf("bad config: exit %d, %s", code, errs)
	}
}

func TestRulesAndExplain(t *testing.T) {
	code, out, _ := run(t, t.TempDir(), "", "rules", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) < 15 {
		t.Fatalf("rules json: %v, %d rules", err, len(list))
	}
	for _, k := range []string{"id", "aliases", "title", "severity", "resource_types", "doc"} {
		if _, ok := list[0][k]; !ok {
			t.Errorf("rule lacks %q", k)
		}
	}
	code, out, _ = run(t, t.TempDir(), "", "explain", "f1")
	if code != 0 || !strings.Contains(out, "Bad:") || !strings.Contains(out, "F1") {
		t.Errorf("explain F1: exit %d\n%s", code, out)
	}
}

// TestRulesDocUpToDate fails when docs/rules.md is stale; regenerate with
// go test ./cmd/safetynet -run RulesDoc -update.
func TestRulesDocUpToDate(t *testing.T) {
	var b bytes.Buffer
	if err := writeRulesMarkdown(&b, allRules()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "docs", "rules.md")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Error("docs/rules.md is stale: run go test ./cmd/safetynet -run RulesDoc -update")
	}
}

// TestTwoStacksFromOneTemplate is PRODUCT.md 2: the same template deployed
// as blue and green collides on its fixed export name.
func TestTwoStacksFromOneTemplate(t *testing.T) {
	web := "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\nOutputs:\n  VpcId:\n    Value: !Ref Vpc\n    Export:\n      Name: web-vpc-id\n"
	dir := writeFiles(t, map[string]string{"web.yaml": web})
	code, out, _ := run(t, dir, "", "scan", "--format", "json", "--rules", "CFN-001", "--fail-on", "warning", "--stack", "web-blue=web.yaml", "--stack", "web-green=web.yaml", "web.yaml")
	r := decode(t, out)
	if code != 1 || len(r.Findings) == 0 || !strings.Contains(r.Findings[0]["message"].(string), "web-") {
		t.Errorf("exit %d, findings %v", code, r.Findings)
	}
	code, out, _ = run(t, dir, "", "scan", "--format", "json", "--rules", "CFN-001", "--fail-on", "warning", "web.yaml")
	if r := decode(t, out); code != 0 || len(r.Findings) != 0 {
		t.Errorf("one stack: exit %d, findings %v", code, r.Findings)
	}
}

// TestQuickStart runs the README's first command against the shipped
// examples.
func TestQuickStart(t *testing.T) {
	code, out, errs := run(t, filepath.Join("..", ".."), "", "scan", "examples/")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (the examples hold findings)\n%s\n%s", code, out, errs)
	}
	if strings.Contains(out, "examples/private-bucket.yaml") {
		t.Errorf("the clean example has findings:\n%s", out)
	}
}
