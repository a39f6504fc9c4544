package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/report"
	"github.com/safetynet-dev/safetynet/scan"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var (
	ruleS3 = &scan.Rule{
		ID:        "S3-001",
		Aliases:   []string{"F14"},
		Title:     "S3 bucket allows public read",
		Severity:  scan.Failure,
		Resources: []string{"AWS::S3::Bucket"},
		Doc: "A canned ACL of `PublicRead` lets anyone on the internet list and read the bucket.\n\n" +
			"Bad:\n\n```yaml\nAccessControl: PublicRead\n```\n\nGood:\n\n```yaml\nAccessControl: Private\n```\n",
		Fix: "Remove AccessControl or set it to Private.",
	}
	ruleIAM = &scan.Rule{
		ID:        "IAM-002",
		Aliases:   []string{"F4", "W12"},
		Title:     "IAM policy allows every action",
		Severity:  scan.Failure,
		Resources: []string{"AWS::IAM::Policy", "AWS::IAM::Role"},
		Doc:       "`Action: \"*\"` grants every permission, including ones added to AWS later.",
		Fix:       "List the actions the principal needs.",
	}
	ruleEC2 = &scan.Rule{
		ID:        "EC2-003",
		Aliases:   []string{"W2"},
		Title:     "Security group allows ingress from the whole internet",
		Severity:  scan.Warning,
		Resources: []string{"AWS::EC2::SecurityGroup"},
		Doc:       "Ingress from `0.0.0.0/0` exposes the port to every address.",
		Fix:       "Restrict CidrIp to the networks that need access.",
	}
	ruleLogs = &scan.Rule{
		ID:        "LOG-001",
		Title:     "Log group keeps logs forever",
		Severity:  scan.Info,
		Resources: []string{"AWS::Logs::LogGroup"},
		Doc:       "Without RetentionInDays logs are kept, and billed, forever.",
		Fix:       "Set RetentionInDays.",
	}
)

func finding(r *scan.Rule, file string, line, col, endLine, endCol int, resource, path, msg string) scan.Finding {
	return scan.Finding{
		Rule:        r.ID,
		Aliases:     r.Aliases,
		Severity:    r.Severity,
		Message:     msg,
		File:        file,
		Line:        line,
		Column:      col,
		EndLine:     endLine,
		EndColumn:   endCol,
		Resource:    resource,
		Path:        path,
		Fix:         r.Fix,
		Fingerprint: scan.Fingerprint(r.ID, file, resource, path),
	}
}

// fixture is a fixed result covering what formats must handle: several
// files, every severity, a finding from a rule the result does not
// describe, text that needs escaping, a file error and a suppression.
func fixture() *scan.Result {
	engine := scan.Finding{
		Rule:        "SN-001",
		Severity:    scan.Warning,
		Message:     "suppression of S3-009 matched no finding",
		File:        "templates/z-engine.yaml",
		Line:        4,
		Column:      3,
		Fingerprint: scan.Fingerprint("SN-001", "templates/z-engine.yaml", "", "Metadata.safetynet"),
		Path:        "Metadata.safetynet",
	}
	findings := []scan.Finding{
		finding(ruleS3, "templates/api.yaml", 12, 7, 12, 25, "Bucket", "Resources.Bucket.Properties.AccessControl",
			"Bucket has AccessControl PublicRead"),
		finding(ruleEC2, "templates/api.yaml", 30, 11, 30, 29, "WebSG", "Resources.WebSG.Properties.SecurityGroupIngress[0].CidrIp",
			"Ingress on port 22 from 0.0.0.0/0"),
		finding(ruleLogs, "templates/api.yaml", 44, 5, 46, 30, "AppLogs", "",
			"Log group AppLogs has no RetentionInDays"),
		finding(ruleIAM, "templates/network/vpc.yaml", 8, 3, 0, 0, "FlowLogRole", "Resources.FlowLogRole.Properties.Policies[0].PolicyDocument.Statement[0].Action",
			"Action \"*\" allows everything, iam:PassRole included: 100% | <all>,\nnot just logs"),
		engine,
	}
	return &scan.Result{
		Findings: findings,
		Errors: []scan.FileError{{
			File: "templates/broken.yaml", Line: 3, Column: 7,
			Message: "yaml: mapping values are not allowed in this context",
		}},
		Suppressed: []scan.Finding{
			finding(ruleS3, "templates/api.yaml", 20, 7, 20, 25, "Logs", "Resources.Logs.Properties.AccessControl",
				"Bucket has AccessControl PublicRead"),
		},
		Summary: scan.Summary{
			Files:      5,
			Skipped:    1,
			Findings:   map[string]int{"failure": 2, "warning": 2, "info": 1},
			Suppressed: 1,
			Baselined:  2,
			Errors:     1,
			Duration:   1234567890 * time.Nanosecond,
			Seconds:    1.23456789,
		},
		Rules: []*scan.Rule{ruleS3, ruleIAM, ruleEC2, ruleLogs},
	}
}

func fixtureOptions() report.Options {
	return report.Options{
		ToolVersion: "1.2.3",
		BaseURI:     "file:///src/",
		Files: []string{
			"templates/api.yaml",
			"templates/broken.yaml",
			"templates/clean.yaml",
			"templates/network/vpc.yaml",
			"templates/z-engine.yaml",
		},
	}
}

// MustWrite renders res in format and fails the test on error.
func MustWrite(tb testing.TB, format string, res *scan.Result, opts report.Options) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := report.Write(&buf, format, res, opts); err != nil {
		tb.Fatalf("Write(%s): %v", format, err)
	}
	return buf.Bytes()
}

// MustMatchGolden compares got with testdata/golden/name, or rewrites the
// file under -update.
func MustMatchGolden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from golden file (go test ./report -update rewrites it)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}
