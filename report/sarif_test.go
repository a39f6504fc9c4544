package report_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/safetynet-dev/safetynet/report"
	"github.com/safetynet-dev/safetynet/scan"
)

// MustSARIFSchema compiles the official SARIF 2.1.0 schema vendored in
// testdata (see testdata/README.md), with format assertions on so that
// malformed URIs fail too.
func MustSARIFSchema(tb testing.TB) *jsonschema.Schema {
	tb.Helper()
	const path = "testdata/sarif-schema-2.1.0.json"
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		tb.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(path, doc); err != nil {
		tb.Fatal(err)
	}
	sch, err := c.Compile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return sch
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	sch := MustSARIFSchema(t)
	root := t.TempDir()

	odd := fixture()
	// Positions a rule might get wrong must not make the log invalid.
	odd.Findings[0].EndLine, odd.Findings[0].EndColumn = 11, 1   // end before start
	odd.Findings[1].Line, odd.Findings[1].Column = 0, 0          // no position
	odd.Findings[2].File = filepath.Join(root, "in repo#1.yaml") // absolute, inside the root
	odd.Findings[3].File = "/elsewhere/outside.yaml"             // absolute, outside the root
	odd.Rules = nil                                              // descriptors from findings only
	odd.Errors = append(odd.Errors, scan.FileError{Message: "no templates found"})

	tests := []struct {
		name string
		res  *scan.Result
		opts report.Options
	}{
		{"fixture", fixture(), fixtureOptions()},
		{"empty", &scan.Result{}, report.Options{}},
		{"odd", odd, report.Options{RepoRoot: root}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := MustWrite(t, "sarif", tt.res, tt.opts)
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(inst); err != nil {
				t.Errorf("SARIF does not validate: %v\n%s", err, out)
			}
		})
	}
}

// The schema cannot check cross-references; these are what viewers trip on.
type sarifDoc struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID                   string `json:"id"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		OriginalURIBaseIDs map[string]struct {
			URI string `json:"uri"`
		} `json:"originalUriBaseIds"`
		Invocations []struct {
			ExecutionSuccessful        bool  `json:"executionSuccessful"`
			ToolExecutionNotifications []any `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID       string `json:"ruleId"`
			RuleIndex    int    `json:"ruleIndex"`
			Level        string `json:"level"`
			Suppressions []struct {
				Kind string `json:"kind"`
			} `json:"suppressions"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Locations           []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIFReferences(t *testing.T) {
	var doc sarifDoc
	if err := json.Unmarshal(MustWrite(t, "sarif", fixture(), fixtureOptions()), &doc); err != nil {
		t.Fatal(err)
	}
	run := doc.Runs[0]
	rules := run.Tool.Driver.Rules
	if len(rules) != 5 {
		t.Errorf("got %d rule descriptors, want the 4 rules and SN-001", len(rules))
	}
	suppressed := 0
	for i, r := range run.Results {
		if r.RuleIndex < 0 || r.RuleIndex >= len(rules) || rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("results[%d]: ruleIndex %d does not point at %s", i, r.RuleIndex, r.RuleID)
		}
		if r.PartialFingerprints["safetynet/v1"] == "" {
			t.Errorf("results[%d] has no fingerprint", i)
		}
		loc := r.Locations[0].PhysicalLocation.ArtifactLocation
		if loc.URIBaseID != "%SRCROOT%" || !strings.HasPrefix(loc.URI, "templates/") {
			t.Errorf("results[%d] location %+v, want a path under %%SRCROOT%%", i, loc)
		}
		if len(r.Suppressions) > 0 {
			suppressed++
			if r.Suppressions[0].Kind != "inSource" {
				t.Errorf("results[%d] suppression kind %q", i, r.Suppressions[0].Kind)
			}
		}
	}
	if len(run.Results) != 6 || suppressed != 1 {
		t.Errorf("got %d results with %d suppressed, want 6 with 1", len(run.Results), suppressed)
	}
	if got := run.OriginalURIBaseIDs["%SRCROOT%"].URI; got != "file:///src/" {
		t.Errorf("%%SRCROOT%% = %q", got)
	}
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 1 {
		t.Errorf("invocation %+v, want unsuccessful with one notification", inv)
	}
}

func TestSARIFPaths(t *testing.T) {
	root := t.TempDir()
	res := &scan.Result{Findings: []scan.Finding{
		finding(ruleS3, filepath.Join(root, "stacks", "a b#1.yaml"), 1, 1, 0, 0, "B", "", "m"),
		finding(ruleS3, "/elsewhere/c.yaml", 1, 1, 0, 0, "B", "", "m"),
	}}
	var doc sarifDoc
	if err := json.Unmarshal(MustWrite(t, "sarif", res, report.Options{RepoRoot: root}), &doc); err != nil {
		t.Fatal(err)
	}
	run := doc.Runs[0]
	// Results are sorted by file name, so "/elsewhere" comes first.
	out := run.Results[0].Locations[0].PhysicalLocation.ArtifactLocation
	if out.URI != "file:///elsewhere/c.yaml" || out.URIBaseID != "" {
		t.Errorf("file outside the root: %+v", out)
	}
	in := run.Results[1].Locations[0].PhysicalLocation.ArtifactLocation
	if in.URI != "stacks/a%20b%231.yaml" || in.URIBaseID != "%SRCROOT%" {
		t.Errorf("file inside the root: %+v", in)
	}
	base := run.OriginalURIBaseIDs["%SRCROOT%"].URI
	if !strings.HasPrefix(base, "file:///") || !strings.HasSuffix(base, "/") {
		t.Errorf("%%SRCROOT%% = %q, want the root's file URI ending in /", base)
	}
}
