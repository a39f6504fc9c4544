// Package scantest runs a rule over annotated fixture templates and checks
// that it reports exactly what the fixtures expect.
//
// A YAML fixture marks each expected finding with a comment on the line the
// finding points at:
//
//	CidrIp: 0.0.0.0/0 # want "open to the world"
//
// Several expectations may share a line (# want "a" "b"); each is a regular
// expression that must match the message of one finding on that line. A
// finding nobody expected and an expectation nothing matched both fail the
// test, so a fixture without any want must produce no finding.
//
// JSON cannot carry comments, so JSON fixtures are txtar archives with a
// "template.json" section and a "want" section of `LINE "regexp"...` lines
// (see ParseArchive). A fixture may have a sibling <fixture>.params.json with
// the parameter values supplied at deploy time, in any format
// cfn.ParseParameterFile reads; a txtar fixture may carry them in a
// "params.json" section instead.
//
// A rule that also reads buildspec files (CheckBuildspec) takes fixtures
// named like buildspecs (buildspec-*.yml, see buildspec.IsFileName), with
// the same want comments; its other fixtures are templates, for the
// buildspecs written inline in them.
//
// Rules that look at several templates at once (CheckSet) are tested with
// one subdirectory per set: every template in it is scanned together, and an
// optional stacks.txt maps file names to stack names, one "file stack" pair
// a line.
package scantest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet/buildspec"
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
)

// Run applies rule to the fixtures in dir and reports every mismatch between
// the findings and the expectations through t.Errorf.
func Run(t testing.TB, dir string, rule *scan.Rule) {
	t.Helper()
	switch {
	case rule == nil:
		t.Fatalf("scantest: nil rule")
	case rule.Check != nil && rule.CheckSet != nil:
		t.Fatalf("scantest: rule %s sets both Check and CheckSet", rule.ID)
	case rule.Check == nil && rule.CheckSet == nil:
		t.Fatalf("scantest: rule %s sets neither Check nor CheckSet", rule.ID)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("scantest: %v", err)
	}
	n := 0
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		switch {
		case rule.CheckSet != nil && e.IsDir():
			n++
			runSet(t, path, rule)
		case rule.Check != nil && !e.IsDir() && isFixture(e.Name()):
			n++
			runOne(t, path, rule)
		}
	}
	if n == 0 {
		t.Errorf("scantest: no fixtures for %s in %s", rule.ID, dir)
	}
}

// isFixture reports whether a file name is a template fixture.
func isFixture(name string) bool {
	switch filepath.Ext(name) {
	case ".yaml", ".yml", ".txtar":
		return true
	}
	return false
}

// A fixture is one loaded template and what it expects.
type fixture struct {
	file   string // path shown in messages
	tmpl   *cfn.Template
	eval   *cfn.Evaluator
	wants  []*want
	offset int // line of the template's first line in file, less one
}

// want is one expectation.
type want struct {
	line    int // line in the template
	re      *regexp.Regexp
	matched bool
}

func runOne(t testing.TB, path string, rule *scan.Rule) {
	t.Helper()
	if rule.CheckBuildspec != nil && buildspec.IsFileName(path) {
		runBuildspec(t, path, rule)
		return
	}
	f, ok := load(t, path)
	if !ok {
		return
	}
	var diags []scan.Diagnostic
	pass := scan.NewPass(rule, f.tmpl, f.eval, func(d scan.Diagnostic) { diags = append(diags, d) })
	rule.Check(pass)
	for _, d := range diags {
		f.check(t, rule, d)
	}
	f.unmatched(t)
}

// runBuildspec applies a rule to one buildspec fixture.
func runBuildspec(t testing.TB, path string, rule *scan.Rule) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("scantest: %v", err)
		return
	}
	f := &fixture{file: path}
	if f.wants, err = parseWantComments(data); err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	spec, err := buildspec.Parse(path, data)
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	for _, p := range spec.Problems {
		t.Errorf("%s:%d: buildspec problem: %s", path, p.Line, p.Msg)
	}
	rule.CheckBuildspec(scan.NewBuildspecPass(rule, spec, func(d scan.Diagnostic) { f.check(t, rule, d) }))
	f.unmatched(t)
}

func runSet(t testing.TB, dir string, rule *scan.Rule) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Errorf("scantest: %v", err)
		return
	}
	stacks, err := readStacks(filepath.Join(dir, "stacks.txt"))
	if err != nil {
		t.Errorf("scantest: %v", err)
		return
	}
	var units []*scan.Unit
	byTmpl := map[*cfn.Template]*fixture{}
	var fixtures []*fixture
	for _, e := range entries {
		if e.IsDir() || !isFixture(e.Name()) {
			continue
		}
		f, ok := load(t, filepath.Join(dir, e.Name()))
		if !ok {
			continue
		}
		fixtures = append(fixtures, f)
		byTmpl[f.tmpl] = f
		names := stacks[e.Name()]
		if len(names) == 0 {
			names = []string{""}
		}
		for _, st := range names {
			units = append(units, &scan.Unit{Template: f.tmpl, Eval: f.eval, Stack: st})
		}
	}
	if len(units) == 0 {
		t.Errorf("scantest: no templates in set %s", dir)
		return
	}
	pass := scan.NewSetPass(rule, units, func(tmpl *cfn.Template, d scan.Diagnostic) {
		f := byTmpl[tmpl]
		if f == nil {
			t.Errorf("scantest: %s reported against a template outside the set: %s", rule.ID, d.Message)
			return
		}
		f.check(t, rule, d)
	})
	rule.CheckSet(pass)
	for _, f := range fixtures {
		f.unmatched(t)
	}
}

// check matches one diagnostic against the fixture's expectations.
func (f *fixture) check(t testing.TB, rule *scan.Rule, d scan.Diagnostic) {
	t.Helper()
	line := Line(d)
	where := fmt.Sprintf("%s:%d", f.file, line+f.offset)
	if d.Message == "" {
		t.Errorf("%s: %s reported a finding with an empty message", where, rule.ID)
		return
	}
	if d.Resource != nil && len(rule.Resources) > 0 && !slices.Contains(rule.Resources, d.Resource.Type) {
		t.Errorf("%s: %s reported on %s, a %s, which is not among its Resources", where, rule.ID, d.Resource.ID, d.Resource.Type)
		return
	}
	if line == 0 {
		t.Errorf("%s: %s reported a finding with no position: %s", f.file, rule.ID, d.Message)
		return
	}
	for _, w := range f.wants {
		if !w.matched && w.line == line && w.re.MatchString(d.Message) {
			w.matched = true
			return
		}
	}
	t.Errorf("%s: unexpected finding from %s: %s (path %q)", where, rule.ID, d.Message, d.Path)
}

// unmatched reports the expectations no finding met.
func (f *fixture) unmatched(t testing.TB) {
	t.Helper()
	for _, w := range f.wants {
		if !w.matched {
			t.Errorf("%s:%d: no finding matched %q", f.file, w.line+f.offset, w.re)
		}
	}
}

// Line returns the template line a diagnostic points at, as the engine
// places it: the node it names, else its resource's key; 0 when neither.
func Line(d scan.Diagnostic) int {
	switch {
	case d.At != nil && !d.At.Start.IsZero():
		return d.At.Start.Line
	case d.Resource != nil:
		return d.Resource.KeyStart.Line
	}
	return 0
}

// load reads and parses one fixture with its parameter values.
func load(t testing.TB, path string) (*fixture, bool) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("scantest: %v", err)
		return nil, false
	}
	f := &fixture{file: path}
	var src, params []byte
	if filepath.Ext(path) == ".txtar" {
		a, err := ParseArchive(data)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil, false
		}
		tf := a.File("template.json")
		if tf == nil {
			t.Errorf("%s: no template.json section", path)
			return nil, false
		}
		src, f.offset = tf.Data, tf.Line
		if pf := a.File("params.json"); pf != nil {
			params = pf.Data
		}
		if wf := a.File("want"); wf != nil {
			f.wants, err = parseWantSection(wf.Data)
			if err != nil {
				t.Errorf("%s:%d: %v", path, wf.Line, err)
				return nil, false
			}
		}
	} else {
		src = data
		f.wants, err = parseWantComments(data)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil, false
		}
	}
	if params == nil {
		params, err = os.ReadFile(strings.TrimSuffix(path, filepath.Ext(path)) + ".params.json")
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Errorf("scantest: %v", err)
			return nil, false
		}
	}
	var supplied map[string]string
	if params != nil {
		supplied, err = cfn.ParseParameterFile(path, params)
		if err != nil {
			t.Errorf("%s: parameters: %v", path, err)
			return nil, false
		}
	}
	f.tmpl, err = cfn.Parse(path, src)
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return nil, false
	}
	for _, p := range f.tmpl.Problems {
		t.Errorf("%s:%d: template problem: %s", path, p.Line+f.offset, p.Msg)
	}
	f.eval = cfn.NewEvaluator(f.tmpl, supplied)
	return f, true
}

// wantComment finds a want comment in a YAML line.
var wantComment = regexp.MustCompile(`#\s*want\s+(.*)$`)

func parseWantComments(data []byte) ([]*want, error) {
	var out []*want
	for i, line := range strings.Split(string(data), "\n") {
		m := wantComment.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		ws, err := parsePatterns(i+1, m[1])
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", i+1, err)
		}
		out = append(out, ws...)
	}
	return out, nil
}

// parseWantSection reads `LINE "regexp"...` lines; blank lines and lines
// starting with # are ignored.
func parseWantSection(data []byte) ([]*want, error) {
	var out []*want
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		num, rest, _ := strings.Cut(line, " ")
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("want line %q does not start with a line number", line)
		}
		ws, err := parsePatterns(n, rest)
		if err != nil {
			return nil, err
		}
		out = append(out, ws...)
	}
	return out, nil
}

// parsePatterns reads one or more Go string literals (quoted or backquoted)
// separated by spaces.
func parsePatterns(line int, s string) ([]*want, error) {
	var out []*want
	s = strings.TrimSpace(s)
	for s != "" {
		lit, err := strconv.QuotedPrefix(s)
		if err != nil {
			return nil, fmt.Errorf("want expects quoted regexps, got %q", s)
		}
		pat, _ := strconv.Unquote(lit)
		re, err := regexp.Compile(pat)
		if err != nil {
			return nil, err
		}
		out = append(out, &want{line: line, re: re})
		s = strings.TrimSpace(s[len(lit):])
	}
	if len(out) == 0 {
		return nil, errors.New("want without a regexp")
	}
	return out, nil
}

// readStacks reads a stacks.txt file; a missing file is an empty map. A
// file listed on several lines deploys as several stacks.
func readStacks(path string) (map[string][]string, error) {
	out := map[string][]string{}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 {
			return nil, fmt.Errorf("%s:%d: want \"file stack\"", path, i+1)
		}
		out[fields[0]] = append(out[fields[0]], fields[1])
	}
	return out, nil
}
