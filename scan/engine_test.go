package scan_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/safetynet-dev/safetynet/scan"
)

// publicBucket is a small rule for exercising the engine: it fires on every
// bucket whose AccessControl may be PublicRead.
var publicBucket = &scan.Rule{
	ID: "TST-001", Aliases: []string{"W31"}, Title: "Bucket is public", Severity: scan.Failure,
	Resources: []string{"AWS::S3::Bucket"}, Doc: "test", Fix: "make it private",
	Check: func(p *scan.Pass) {
		for _, r := range p.Resources() {
			at := r.Properties.Get("AccessControl")
			for _, v := range p.Eval.Values(at) {
				if s, _ := v.String(); s == "PublicRead" {
					p.Reportf(r, at, "Properties.AccessControl", "bucket %s is public", r.ID)
				}
			}
		}
	},
}

// namedExport fires once per template for each export named "Shared",
// through the set pass, to check cross-template plumbing.
var namedExport = &scan.Rule{
	ID: "TST-002", Title: "Export named Shared", Severity: scan.Warning, Doc: "test",
	CheckSet: func(p *scan.SetPass) {
		for _, u := range p.Units {
			for _, o := range u.Template.Outputs {
				if s, _ := o.ExportName.Text(); s == "Shared" {
					p.Report(u.Template, scan.Diagnostic{At: o.ExportName, Path: "Outputs." + o.Name + ".Export.Name", Message: "stack " + u.Stack})
				}
			}
		}
	},
}

const public = `Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
`

func mustRun(t *testing.T, files fstest.MapFS, opts scan.Options) *scan.Result {
	t.Helper()
	var targets []scan.Target
	for name := range files {
		targets = append(targets, scan.Target{FS: files, Path: name})
	}
	if opts.Rules == nil {
		opts.Rules = append([]*scan.Rule{publicBucket, namedExport}, scan.EngineRules...)
	}
	res, err := scan.Run(context.Background(), targets, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func rulesOf(fs []scan.Finding) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.File+":"+f.Rule)
	}
	return strings.Join(out, " ")
}

func TestFindingPlacement(t *testing.T) {
	res := mustRun(t, fstest.MapFS{"a.yaml": {Data: []byte(public)}}, scan.Options{})
	if len(res.Findings) != 1 {
		t.Fatalf("findings = %v", res.Findings)
	}
	f := res.Findings[0]
	if f.File != "a.yaml" || f.Line != 5 || f.Column != 22 || f.Resource != "Site" ||
		f.Path != "Resources.Site.Properties.AccessControl" || f.Fix != "make it private" ||
		f.Severity != scan.Failure || len(f.Fingerprint) != 32 {
		t.Errorf("finding = %+v", f)
	}
	if res.Summary.Files != 1 || res.Summary.Findings["failure"] != 1 {
		t.Errorf("summary = %+v", res.Summary)
	}
}

func TestBrokenFileHidesNothing(t *testing.T) {
	files := fstest.MapFS{
		"a.yaml":       {Data: []byte(public)},
		"b.yaml":       {Data: []byte("Resources:\n  X: [unclosed\n")},
		"c.yaml":       {Data: []byte(public)},
		"settings.yml": {Data: []byte("name: not a template\n")},
	}
	res := mustRun(t, files, scan.Options{Workers: 2})
	if got := rulesOf(res.Findings); got != "a.yaml:TST-001 c.yaml:TST-001" {
		t.Errorf("findings = %s", got)
	}
	if len(res.Errors) != 1 || res.Errors[0].File != "b.yaml" || res.Errors[0].Line == 0 {
		t.Errorf("errors = %+v", res.Errors)
	}
	if res.Summary.Files != 2 || res.Summary.Skipped != 1 || res.Summary.Errors != 1 {
		t.Errorf("summary = %+v", res.Summary)
	}
}

func TestDeterministicOrder(t *testing.T) {
	files := fstest.MapFS{}
	for _, n := range []string{"z.yaml", "m.yaml", "a.yaml", "q/b.yaml", "q/a.yaml"} {
		files[n] = &fstest.MapFile{Data: []byte(public)}
	}
	want := rulesOf(mustRun(t, files, scan.Options{Workers: 1}).Findings)
	for i := 0; i < 20; i++ {
		if got := rulesOf(mustRun(t, files, scan.Options{Workers: 4}).Findings); got != want {
			t.Fatalf("run %d: %s, want %s", i, got, want)
		}
	}
	if want != "a.yaml:TST-001 m.yaml:TST-001 q/a.yaml:TST-001 q/b.yaml:TST-001 z.yaml:TST-001" {
		t.Errorf("order = %s", want)
	}
}

func TestInlineSuppressions(t *testing.T) {
	tests := []struct {
		name, metadata string
		want           string // rules reported, in order
	}{
		{"cfn_nag alias with reason", "cfn_nag:\n        rules_to_suppress:\n          - id: W31\n            reason: website", ""},
		{"own form with reason", "safetynet:\n        suppress:\n          - rule: TST-001\n            reason: website", ""},
		{"no reason keeps the finding", "cfn_nag:\n        rules_to_suppress:\n          - id: W31", "SN-001 TST-001"},
		{"misspelled list key", "cfn_nag:\n        rules_to_supress:\n          - id: W31\n            reason: x", "SN-003 TST-001"},
		{"misspelled entry key", "cfn_nag:\n        rules_to_suppress:\n          - id: W31\n            reson: x", "SN-001 SN-003 TST-001"},
		{"unknown rule", "cfn_nag:\n        rules_to_suppress:\n          - id: W31\n            reason: x\n          - id: W9999\n            reason: y", "SN-002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(public, "    Properties:", "    Metadata:\n      "+tt.metadata+"\n    Properties:", 1)
			res := mustRun(t, fstest.MapFS{"a.yaml": {Data: []byte(src)}}, scan.Options{AllRules: append([]*scan.Rule{publicBucket}, scan.EngineRules...)})
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Rule)
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("findings = %q, want %q\n%s", g, tt.want, src)
			}
		})
	}
}

func TestUnusedSuppressionReported(t *testing.T) {
	src := `Resources:
  Private:
    Type: AWS::S3::Bucket
    Metadata:
      cfn_nag:
        rules_to_suppress:
          - id: W31
            reason: left over from when the bucket was public
`
	res := mustRun(t, fstest.MapFS{"a.yaml": {Data: []byte(src)}}, scan.Options{})
	if len(res.Findings) != 1 || res.Findings[0].Rule != "SN-002" || res.Findings[0].Line != 7 {
		t.Fatalf("findings = %+v", res.Findings)
	}
	// A rule turned off for this run cannot fire: its suppression is not dead.
	res = mustRun(t, fstest.MapFS{"a.yaml": {Data: []byte(src)}}, scan.Options{Rules: append([]*scan.Rule{namedExport}, scan.EngineRules...), AllRules: []*scan.Rule{publicBucket, namedExport}})
	if len(res.Findings) != 0 {
		t.Fatalf("findings = %+v", res.Findings)
	}
}

func TestExternalSuppressions(t *testing.T) {
	file := `suppressions:
  - rule: W31
    file: "web/*.yaml"
    reason: public website assets
  - rule: TST-001
    resource: Nothing
    reason: stale
`
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	list, err := scan.LoadSuppressionFile("supp.yml", []byte(file), []*scan.Rule{publicBucket}, now)
	if err != nil {
		t.Fatal(err)
	}
	files := fstest.MapFS{"web/site.yaml": {Data: []byte(public)}, "api/site.yaml": {Data: []byte(public)}}
	res := mustRun(t, files, scan.Options{Suppressions: list, SuppressionFile: "supp.yml"})
	if got := rulesOf(res.Findings); got != "api/site.yaml:TST-001 supp.yml:SN-002" {
		t.Errorf("findings = %s", got)
	}
	if len(res.Suppressed) != 1 || res.Suppressed[0].File != "web/site.yaml" {
		t.Errorf("suppressed = %+v", res.Suppressed)
	}

	for _, bad := range []struct{ src, want string }{
		{"suppressions:\n  - rule: W31\n", "supp.yml:2: suppression of W31 has no reason"},
		{"suppressions:\n  - rule: W3l\n    reason: x\n", `supp.yml:2: unknown rule "W3l"`},
		{"suppressions:\n  - rule: W31\n    reson: x\n", `unknown key "reson"`},
		{"suppresions: []\n", "field suppresions not found"},
		{"suppressions:\n  - rule: W31\n    reason: x\n    expires: 2025-06-30\n", "expired on 2025-06-30"},
	} {
		_, err := scan.LoadSuppressionFile("supp.yml", []byte(bad.src), []*scan.Rule{publicBucket}, now)
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: err = %v, want %q", bad.src, err, bad.want)
		}
	}
}

func TestBaselineSurvivesEdits(t *testing.T) {
	files := fstest.MapFS{"a.yaml": {Data: []byte(public)}}
	first := mustRun(t, files, scan.Options{})
	data := scan.NewBaseline(first.Findings).Marshal()
	base, err := scan.ParseBaseline("b.json", data)
	if err != nil {
		t.Fatal(err)
	}
	// Lines added above the finding must not make it new.
	shifted := "# a comment\n\n" + public + "  Other:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicRead\n"
	res := mustRun(t, fstest.MapFS{"a.yaml": {Data: []byte(shifted)}}, scan.Options{Baseline: base})
	if len(res.Findings) != 1 || res.Findings[0].Resource != "Other" || res.Summary.Baselined != 1 {
		t.Errorf("findings = %+v, summary %+v", res.Findings, res.Summary)
	}
	if _, err := scan.ParseBaseline("b.json", []byte(`{"version": 7}`)); err == nil {
		t.Error("unknown baseline version accepted")
	}
}

func TestSetRulesSeeAllTemplates(t *testing.T) {
	out := "Resources:\n  T:\n    Type: AWS::SNS::Topic\nOutputs:\n  O:\n    Value: x\n    Export:\n      Name: Shared\n"
	files := fstest.MapFS{"a.yaml": {Data: []byte(out)}, "b.yaml": {Data: []byte(out)}}
	res := mustRun(t, files, scan.Options{Stacks: map[string][]string{"b.yaml": {"blue"}}})
	if got := rulesOf(res.Findings); got != "a.yaml:TST-002 b.yaml:TST-002" {
		t.Fatalf("findings = %s", got)
	}
	if res.Findings[1].Message != "stack blue" || res.Findings[1].Line != 8 {
		t.Errorf("finding = %+v", res.Findings[1])
	}
}

func TestPanickingRuleIsContained(t *testing.T) {
	boom := &scan.Rule{ID: "TST-003", Title: "boom", Severity: scan.Info, Doc: "x", Resources: []string{"AWS::S3::Bucket"},
		Check: func(p *scan.Pass) { panic("bad rule") }}
	res := mustRun(t, fstest.MapFS{"a.yaml": {Data: []byte(public)}}, scan.Options{Rules: []*scan.Rule{boom, publicBucket}})
	if len(res.Findings) != 1 || len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, "TST-003") {
		t.Errorf("findings %+v errors %+v", res.Findings, res.Errors)
	}
}

func TestSelect(t *testing.T) {
	mk := func(id string, sev scan.Severity, alias ...string) *scan.Rule {
		return &scan.Rule{ID: id, Severity: sev, Aliases: alias}
	}
	all := []*scan.Rule{mk("S3-001", scan.Warning, "W31"), mk("S3-004", scan.Failure), mk("IAM-001", scan.Failure, "F2"), mk("EC2-001", scan.Info)}
	ids := func(rs []*scan.Rule) string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return strings.Join(out, ",")
	}
	for _, tt := range []struct {
		terms []string
		want  string
	}{
		{nil, "EC2-001,IAM-001,S3-001,S3-004"},
		{[]string{"all", "-S3-004"}, "EC2-001,IAM-001,S3-001"},
		{[]string{"-S3-004"}, "EC2-001,IAM-001,S3-001"},
		{[]string{"S3"}, "S3-001,S3-004"},
		{[]string{"S3-*", "-w31"}, "S3-004"},
		{[]string{"failure"}, "IAM-001,S3-004"},
		{[]string{"F2", "EC2-001"}, "EC2-001,IAM-001"},
	} {
		got, err := scan.Select(all, tt.terms)
		if err != nil || ids(got) != tt.want {
			t.Errorf("Select(%q) = %s, %v; want %s", tt.terms, ids(got), err, tt.want)
		}
	}
	if _, err := scan.Select(all, []string{"all", "-S3-999"}); err == nil {
		t.Error("a selection that matches nothing must be an error")
	}
}

func TestDiscover(t *testing.T) {
	files := fstest.MapFS{
		"a.yaml": {}, "b.json": {}, "c.template": {}, "README.md": {}, "d.YML": {},
		"node_modules/x/t.yaml": {}, ".git/t.yaml": {}, "cdk.out/t.json": {},
		"test/fixtures/bad.yaml": {}, "sub/e.yaml": {},
	}
	got, err := scan.Discover(files, ".", func(p string) bool { return scan.Excluded(p, []string{"test/fixtures"}) })
	if err != nil {
		t.Fatal(err)
	}
	if g := strings.Join(got, " "); g != "a.yaml b.json c.template d.YML sub/e.yaml" {
		t.Errorf("Discover = %s", g)
	}
}

func TestParseConfig(t *testing.T) {
	c, err := scan.ParseConfig(".safetynet.yml", []byte("rules: [all, -S3-004]\nfail_on: warning\nparameters:\n  \"prod/*.yaml\": prod.json\n  prod/app.yaml: app.json\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.FailOn != "warning" || len(c.Rules) != 2 || c.ParamFileFor("prod/app.yaml") != "app.json" || c.ParamFileFor("prod/db.yaml") != "prod.json" || c.ParamFileFor("dev/db.yaml") != "" {
		t.Errorf("config = %+v", c)
	}
	for _, bad := range []struct{ src, want string }{
		{"rules: [all]\nfail-on: warning\n", "line 2: field fail-on not found"},
		{"fail_on: sometimes\n", "fail_on: unknown level"},
	} {
		if _, err := scan.ParseConfig(".safetynet.yml", []byte(bad.src)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: err = %v, want %q", bad.src, err, bad.want)
		}
	}
}

func TestEngineRulesFollowSelection(t *testing.T) {
	src := strings.Replace(public, "    Properties:", "    Metadata:\n      cfn_nag:\n        rules_to_suppress:\n          - id: W9999\n            reason: typo\n    Properties:", 1)
	res := mustRun(t, fstest.MapFS{"a.yaml": {Data: []byte(src)}}, scan.Options{Rules: []*scan.Rule{publicBucket}})
	if got := rulesOf(res.Findings); got != "a.yaml:TST-001" {
		t.Errorf("with only TST-001 selected: %s", got)
	}
}

// A finding on a standalone security group rule is suppressed by metadata
// on the group it attaches to, where cfn_nag users keep their suppressions.
func TestSuppressionOnRelatedResource(t *testing.T) {
	openIngress := &scan.Rule{ID: "TST-004", Aliases: []string{"W9"}, Title: "open", Severity: scan.Warning, Doc: "x",
		Resources: []string{"AWS::EC2::SecurityGroupIngress"},
		Check: func(p *scan.Pass) {
			for _, r := range p.Resources() {
				p.Report(scan.Diagnostic{Resource: r, Path: "Properties.CidrIp", Message: "open", Related: []string{"Sg"}})
			}
		}}
	src := `Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Metadata:
      cfn_nag:
        rules_to_suppress:
          - id: W9
            reason: the load balancer's group
    Properties:
      GroupDescription: lb
  In:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref Sg
      CidrIp: 0.0.0.0/0
`
	res := mustRun(t, fstest.MapFS{"a.yaml": {Data: []byte(src)}}, scan.Options{Rules: append([]*scan.Rule{openIngress}, scan.EngineRules...)})
	if len(res.Findings) != 0 || len(res.Suppressed) != 1 {
		t.Errorf("findings %+v, suppressed %+v", res.Findings, res.Suppressed)
	}
}
