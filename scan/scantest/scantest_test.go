package scantest_test

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

// toyRule reports Bad and Worse properties that may be true.
var toyRule = &scan.Rule{
	ID:        "TEST-001",
	Resources: []string{"Test::Thing"},
	Check: func(p *scan.Pass) {
		for _, r := range p.Resources() {
			for _, key := range []string{"Bad", "Worse"} {
				n := r.Properties.Get(key)
				for _, v := range p.Eval.Values(n) {
					if b, ok := v.Bool(); ok && b {
						p.Reportf(r, n, "Properties."+key, "%s property", strings.ToLower(key))
					}
				}
			}
		}
	},
}

// toySetRule reports export names used in more than one template.
var toySetRule = &scan.Rule{
	ID: "TEST-002",
	CheckSet: func(p *scan.SetPass) {
		for _, u := range p.Units {
			for _, o := range u.Template.Outputs {
				name, _ := o.ExportName.Text()
				for _, other := range p.Units {
					if other == u {
						continue
					}
					for _, oo := range other.Template.Outputs {
						if n2, _ := oo.ExportName.Text(); n2 == name {
							p.Report(u.Template, scan.Diagnostic{At: o.ExportName, Path: "Outputs." + o.Name + ".Export.Name",
								Message: fmt.Sprintf("also in %s as %s", filepath.Base(other.Template.File), other.Stack)})
						}
					}
				}
			}
		}
	},
}

// fakeTB records errors instead of failing the real test.
type fakeTB struct {
	testing.TB
	errs []string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errs = append(f.errs, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	runtime.Goexit()
}

// run runs the harness against a fake and returns what it reported.
func run(dir string, rule *scan.Rule) []string {
	f := &fakeTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		scantest.Run(f, dir, rule)
	}()
	<-done
	return f.errs
}

func TestGoodFixturesPass(t *testing.T) {
	if errs := run("testdata/good", toyRule); len(errs) > 0 {
		t.Errorf("harness reported errors on good fixtures:\n%s", strings.Join(errs, "\n"))
	}
}

func TestSet(t *testing.T) {
	if errs := run("testdata/set", toySetRule); len(errs) > 0 {
		t.Errorf("harness reported errors on a good set:\n%s", strings.Join(errs, "\n"))
	}
}

func TestFailures(t *testing.T) {
	for _, tc := range []struct {
		dir  string
		want string
	}{
		{"unexpected", "a.yaml:5: unexpected finding from TEST-001: bad property"},
		{"unmatched", `a.yaml:5: no finding matched "bad property"`},
		{"wrongmsg", "a.yaml:5: unexpected finding"},
		{"wrongmsg", `a.yaml:5: no finding matched "something else"`},
		{"empty", "no fixtures"},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			dir := filepath.Join("testdata", tc.dir)
			if tc.dir == "empty" {
				dir = t.TempDir()
			}
			errs := run(dir, toyRule)
			for _, e := range errs {
				if strings.Contains(e, tc.want) {
					return
				}
			}
			t.Errorf("harness errors %q, want one containing %q", errs, tc.want)
		})
	}
}

func TestBadRuleIsFatal(t *testing.T) {
	both := &scan.Rule{ID: "TEST-003", Check: func(*scan.Pass) {}, CheckSet: func(*scan.SetPass) {}}
	if errs := run("testdata/good", both); len(errs) != 1 || !strings.Contains(errs[0], "both") {
		t.Errorf("got %q, want one error about both Check and CheckSet", errs)
	}
}

func TestParseArchive(t *testing.T) {
	a, err := scantest.ParseArchive([]byte("comment\n-- a --\nx\ny\n-- b --\nz\n"))
	if err != nil {
		t.Fatal(err)
	}
	if string(a.Comment) != "comment\n" || len(a.Files) != 2 {
		t.Fatalf("got %+v", a)
	}
	if f := a.File("a"); f == nil || string(f.Data) != "x\ny\n" || f.Line != 2 {
		t.Errorf("a = %+v", f)
	}
	if f := a.File("b"); f == nil || string(f.Data) != "z\n" || f.Line != 5 {
		t.Errorf("b = %+v", f)
	}
	if _, err := scantest.ParseArchive([]byte("-- a --\n-- a --\n")); err == nil {
		t.Error("duplicate section accepted")
	}
}

func TestLine(t *testing.T) {
	r := &cfn.Resource{KeyStart: cfn.Pos{Line: 3, Col: 3}}
	n := &cfn.Node{Start: cfn.Pos{Line: 7, Col: 9}}
	for _, tc := range []struct {
		d    scan.Diagnostic
		want int
	}{
		{scan.Diagnostic{Resource: r, At: n}, 7},
		{scan.Diagnostic{Resource: r}, 3},
		{scan.Diagnostic{Resource: r, At: &cfn.Node{}}, 3},
		{scan.Diagnostic{}, 0},
	} {
		if got := scantest.Line(tc.d); got != tc.want {
			t.Errorf("Line(%+v) = %d, want %d", tc.d, got, tc.want)
		}
	}
}

func TestUndeclaredResourceType(t *testing.T) {
	sloppy := &scan.Rule{ID: "TEST-004", Resources: []string{"Test::Other::Thing"}, Check: func(p *scan.Pass) {
		for _, r := range p.Template.Resources {
			p.Reportf(r, nil, "", "bad property")
		}
	}}
	errs := run("testdata/unexpected", sloppy)
	if len(errs) != 1 || !strings.Contains(errs[0], "not among its Resources") {
		t.Errorf("got %q, want one error about an undeclared resource type", errs)
	}
}

// toyBuildspecRule reports commands named bad, and Bad properties of
// templates.
var toyBuildspecRule = &scan.Rule{
	ID:        "TEST-003",
	Resources: []string{"Test::Thing"},
	Check:     toyRule.Check,
	CheckBuildspec: func(p *scan.BuildspecPass) {
		for _, ph := range p.Spec.Phases {
			for _, c := range ph.Commands {
				if c.Text == "bad" {
					p.Reportf(c.Start, c.End, c.Path, "bad command")
				}
			}
		}
	},
}

func TestBuildspecFixtures(t *testing.T) {
	errs := run("testdata/buildspec", toyBuildspecRule)
	want := `testdata/buildspec/buildspec-a.yml:7: no finding matched "nothing reports this"`
	if len(errs) != 1 || errs[0] != want {
		t.Errorf("errors = %q, want only %q", errs, want)
	}
}
