package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet/report"
	"github.com/safetynet-dev/safetynet/scan"
)

func TestGolden(t *testing.T) {
	color := fixtureOptions()
	color.Color = true
	tests := []struct {
		golden string
		format string
		opts   report.Options
	}{
		{"report.txt", "text", fixtureOptions()},
		{"report-color.txt", "text", color},
		{"report.json", "json", fixtureOptions()},
		{"report.sarif", "sarif", fixtureOptions()},
		{"report.xml", "junit", fixtureOptions()},
		{"report.github", "github", fixtureOptions()},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			MustMatchGolden(t, tt.golden, MustWrite(t, tt.format, fixture(), tt.opts))
		})
	}
}

func TestGoldenEmpty(t *testing.T) {
	empty := &scan.Result{Summary: scan.Summary{Files: 2}}
	ext := map[string]string{"text": "txt", "json": "json", "sarif": "sarif", "junit": "xml", "github": "github"}
	for _, format := range report.Formats() {
		t.Run(format, func(t *testing.T) {
			MustMatchGolden(t, "empty."+ext[format], MustWrite(t, format, empty, report.Options{ToolVersion: "1.2.3"}))
		})
	}
}

func TestGitHubStepSummary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary.md")
	// The runner may have written to the summary already; we append.
	if err := os.WriteFile(path, []byte("earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := fixtureOptions()
	opts.StepSummary = path
	MustWrite(t, "github", fixture(), opts)
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rest, ok := bytes.CutPrefix(got, []byte("earlier step\n"))
	if !ok {
		t.Fatalf("step summary overwrote earlier content:\n%s", got)
	}
	MustMatchGolden(t, "report.md", rest)
}

func TestUnknownFormat(t *testing.T) {
	err := report.Write(&bytes.Buffer{}, "yaml", fixture(), report.Options{})
	if err == nil {
		t.Fatal("Write(yaml) succeeded")
	}
	for _, f := range []string{"text", "json", "sarif", "junit", "github"} {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not list %s", err, f)
		}
	}
}

func TestFormats(t *testing.T) {
	want := []string{"github", "json", "junit", "sarif", "text"}
	if got := report.Formats(); !slices.Equal(got, want) {
		t.Errorf("Formats() = %v, want %v", got, want)
	}
}

func TestNilResult(t *testing.T) {
	for _, format := range report.Formats() {
		MustWrite(t, format, nil, report.Options{})
	}
}

// TestJSONContract pins the field names scripts depend on: renaming one is
// a breaking change and must fail here, not in someone's pipeline.
func TestJSONContract(t *testing.T) {
	var doc map[string]any
	out := MustWrite(t, "json", fixture(), report.Options{})
	if !bytes.HasSuffix(out, []byte("}\n")) {
		t.Error("JSON output does not end in a newline")
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	mustKeys(t, "top level", doc, "findings", "errors", "summary")

	findings := doc["findings"].([]any)
	if len(findings) != len(fixture().Findings) {
		t.Fatalf("got %d findings, want %d", len(findings), len(fixture().Findings))
	}
	for i, f := range findings {
		f := f.(map[string]any)
		mustKeys(t, fmt.Sprintf("findings[%d]", i), f,
			"rule", "aliases", "severity", "message", "file", "line", "column",
			"end_line", "end_column", "resource", "path", "fix", "fingerprint")
		if _, ok := f["aliases"].([]any); !ok {
			t.Errorf("findings[%d].aliases = %#v, want a list", i, f["aliases"])
		}
	}
	for i, e := range doc["errors"].([]any) {
		mustKeys(t, fmt.Sprintf("errors[%d]", i), e.(map[string]any), "file", "line", "column", "message")
	}
	summary := doc["summary"].(map[string]any)
	mustKeys(t, "summary", summary,
		"files_scanned", "files_skipped", "findings", "total", "suppressed", "baselined", "errors", "duration_seconds")
	mustKeys(t, "summary.findings", summary["findings"].(map[string]any), "failure", "warning", "info")
	if got := summary["duration_seconds"]; got != 1.235 {
		t.Errorf("duration_seconds = %v, want 1.235", got)
	}
}

func TestJSONEmptyListsAreNotNull(t *testing.T) {
	out := MustWrite(t, "json", &scan.Result{}, report.Options{})
	for _, want := range []string{`"findings": []`, `"errors": []`, `"failure": 0`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	res := fixture()
	res.Findings[4].Aliases = nil
	out = MustWrite(t, "json", res, report.Options{})
	if bytes.Contains(out, []byte("null")) {
		t.Errorf("output holds null:\n%s", out)
	}
}

func mustKeys(t *testing.T, what string, m map[string]any, keys ...string) {
	t.Helper()
	var got []string
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	slices.Sort(keys)
	if !slices.Equal(got, keys) {
		t.Errorf("%s has keys %v, want %v", what, got, keys)
	}
}

type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Suites   []struct {
		Cases []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct{} `xml:"error"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func mustJUnit(t *testing.T, res *scan.Result, opts report.Options) junitDoc {
	t.Helper()
	var doc junitDoc
	if err := xml.Unmarshal(MustWrite(t, "junit", res, opts), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestJUnitFixture(t *testing.T) {
	doc := mustJUnit(t, fixture(), fixtureOptions())
	if doc.Tests != 5 || doc.Failures != 3 || doc.Errors != 1 {
		t.Errorf("tests=%d failures=%d errors=%d, want 5, 3, 1", doc.Tests, doc.Failures, doc.Errors)
	}
	for _, c := range doc.Suites[0].Cases {
		if c.Name == "templates/clean.yaml" && (c.Failure != nil || c.Error != nil) {
			t.Error("clean file is not a passed case")
		}
		if c.Name == "templates/api.yaml" {
			if c.Failure == nil {
				t.Fatal("api.yaml has no failure")
			}
			if c.Failure.Type != "S3-001,EC2-003,LOG-001" {
				t.Errorf("failure type = %q, want the rules most severe first", c.Failure.Type)
			}
			if n := strings.Count(c.Failure.Text, "fix: "); n != 3 {
				t.Errorf("failure text has %d fixes, want 3:\n%s", n, c.Failure.Text)
			}
		}
	}
}

// TestJUnitStaysUnderCodeBuildCap checks that large repositories are
// grouped by directory so CodeBuild keeps every case.
func TestJUnitStaysUnderCodeBuildCap(t *testing.T) {
	tests := []struct {
		name      string
		file      func(i int) string
		wantCases int
	}{
		// 40 teams of 30 templates: one case per team directory.
		{"nested", func(i int) string { return fmt.Sprintf("stacks/team%02d/app%02d.yaml", i/30, i%30) }, 40},
		// Every template in its own top directory: only the root fits.
		{"flat dirs", func(i int) string { return fmt.Sprintf("svc%04d/template.yaml", i) }, 1},
		// All in one directory.
		{"one dir", func(i int) string { return fmt.Sprintf("t%04d.yaml", i) }, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts report.Options
			for i := range 1200 {
				opts.Files = append(opts.Files, tt.file(i))
			}
			bad := tt.file(617)
			res := &scan.Result{Findings: []scan.Finding{finding(ruleS3, bad, 1, 1, 0, 0, "B", "", "public")}}
			doc := mustJUnit(t, res, opts)
			cases := doc.Suites[0].Cases
			if len(cases) > 500 || doc.Tests != len(cases) {
				t.Fatalf("%d cases (tests=%d), want at most 500", len(cases), doc.Tests)
			}
			if len(cases) != tt.wantCases {
				t.Errorf("%d cases, want %d", len(cases), tt.wantCases)
			}
			if doc.Failures != 1 {
				t.Errorf("failures = %d, want 1", doc.Failures)
			}
			for _, c := range cases {
				if c.Failure != nil && !strings.Contains(c.Failure.Text, bad) {
					t.Errorf("failed case %s does not name %s", c.Name, bad)
				}
			}
		})
	}
}

func TestGitHubAnnotationLimit(t *testing.T) {
	res := &scan.Result{}
	for i := range 30 {
		res.Findings = append(res.Findings, finding(ruleS3, "a.yaml", i+1, 1, 0, 0, "B", "", fmt.Sprintf("public %d", i)))
	}
	for i := range 3 {
		res.Findings = append(res.Findings, finding(ruleEC2, "b.yaml", i+1, 1, 0, 0, "SG", "", "open"))
	}
	out := string(MustWrite(t, "github", res, report.Options{}))
	if n := strings.Count(out, "\n::error "); n != 10-1 || !strings.HasPrefix(out, "::error ") {
		t.Errorf("got %d error annotations, want 10:\n%s", n+1, out)
	}
	if n := strings.Count(out, "::warning "); n != 3 {
		t.Errorf("got %d warning annotations, want 3", n)
	}
	if !strings.Contains(out, "20 more problems not annotated") {
		t.Errorf("output does not say 20 were left out:\n%s", out)
	}
	// The first ten lines are kept, by position.
	if !strings.Contains(out, "::error file=a.yaml,line=10,") || strings.Contains(out, "::error file=a.yaml,line=11,") {
		t.Errorf("did not annotate the first ten findings:\n%s", out)
	}

	out = string(MustWrite(t, "github", res, report.Options{MaxAnnotations: 3}))
	if n := strings.Count(out, "::error "); n != 3 {
		t.Errorf("MaxAnnotations 3: got %d error annotations", n)
	}
}

func TestGitHubMostSevereFirst(t *testing.T) {
	res := &scan.Result{}
	for i := range 12 {
		res.Findings = append(res.Findings, finding(ruleLogs, "a.yaml", i+1, 1, 0, 0, "L", "", "info"))
	}
	res.Findings = append(res.Findings, finding(ruleS3, "z.yaml", 99, 1, 0, 0, "B", "", "late but severe"))
	out := string(MustWrite(t, "github", res, report.Options{}))
	if !strings.HasPrefix(out, "::error file=z.yaml") {
		t.Errorf("the failure is not annotated first:\n%s", out)
	}
	if n := strings.Count(out, "::notice "); n != 10 {
		t.Errorf("got %d notices, want 10", n)
	}
}

func TestGitHubRepoRelativePaths(t *testing.T) {
	root := t.TempDir()
	res := &scan.Result{Findings: []scan.Finding{
		finding(ruleS3, filepath.Join(root, "stacks", "a b.yaml"), 1, 1, 0, 0, "B", "", "m"),
	}}
	out := string(MustWrite(t, "github", res, report.Options{RepoRoot: root}))
	if !strings.HasPrefix(out, "::error file=stacks/a b.yaml,line=1,") {
		t.Errorf("annotation does not name the file from the repository root:\n%s", out)
	}
}

func TestJUnitHostileText(t *testing.T) {
	res := &scan.Result{Findings: []scan.Finding{
		finding(ruleS3, "a.yaml", 1, 1, 0, 0, "B", "", "value \"a\x01b\" ends ]]> here & <there>"),
	}}
	doc := mustJUnit(t, res, report.Options{})
	f := doc.Suites[0].Cases[0].Failure
	if f == nil || !strings.Contains(f.Text, "ends ]]> here & <there>") || !strings.Contains(f.Text, "a\uFFFDb") {
		t.Errorf("failure text did not survive: %+v", f)
	}
}
