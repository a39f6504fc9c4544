package rules_test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

var (
	idPattern       = regexp.MustCompile(`^[A-Z][A-Z0-9]*-[0-9]{3}$`)
	cfnNagPattern   = regexp.MustCompile(`^[FW][0-9]+$`)
	resourcePattern = regexp.MustCompile(`^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$`)
	wantPattern     = regexp.MustCompile(`#\s*want\s+["` + "`" + `]|(?m)^-- want --$`)
)

// cfnNagIDs reads the cfn_nag rule IDs from the shared reference, or
// returns nil when it is not there.
func cfnNagIDs(t *testing.T) map[string]bool {
	f, err := os.Open("../../../shared/reference/cfn_nag_rules.tsv")
	if err != nil {
		return nil
	}
	defer f.Close()
	ids := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		id, _, _ := strings.Cut(sc.Text(), "\t")
		ids[id] = true
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestCatalogue(t *testing.T) {
	all := rules.All()
	if len(all) == 0 {
		t.Fatal("no rules")
	}
	if !slices.IsSortedFunc(all, func(a, b *scan.Rule) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("All is not sorted by ID")
	}
	nag := cfnNagIDs(t)
	names := map[string]string{}
	for _, r := range all {
		if !idPattern.MatchString(r.ID) {
			t.Errorf("%s: ID does not look like PREFIX-NNN", r.ID)
		}
		for _, n := range r.Names() {
			key := strings.ToUpper(n)
			if other, dup := names[key]; dup {
				t.Errorf("%s: name %s already used by %s", r.ID, n, other)
			}
			names[key] = r.ID
		}
		for _, a := range r.Aliases {
			if nag != nil && cfnNagPattern.MatchString(a) && !nag[a] {
				t.Errorf("%s: alias %s is not a cfn_nag rule", r.ID, a)
			}
		}
		if r.Title == "" || strings.Contains(r.Title, "\n") {
			t.Errorf("%s: title must be one non-empty line", r.ID)
		}
		if !strings.Contains(r.Doc, "Bad:") || !strings.Contains(r.Doc, "Good:") {
			t.Errorf("%s: Doc needs Bad: and Good: examples", r.ID)
		}
		if r.Fix == "" || strings.Contains(r.Fix, "\n") {
			t.Errorf("%s: Fix must be one non-empty line", r.ID)
		}
		if r.Severity < scan.Info || r.Severity > scan.Failure {
			t.Errorf("%s: bad severity %v", r.ID, r.Severity)
		}
		if (r.Check == nil) == (r.CheckSet == nil) {
			t.Errorf("%s: exactly one of Check and CheckSet must be set", r.ID)
		}
		if r.Check != nil && len(r.Resources) == 0 {
			t.Errorf("%s: a per-template rule must name its resource types", r.ID)
		}
		for _, typ := range r.Resources {
			if !resourcePattern.MatchString(typ) {
				t.Errorf("%s: resource type %q does not look like AWS::Service::Type", r.ID, typ)
			}
		}
		for _, n := range r.Names() {
			if got := rules.Lookup(strings.ToLower(n)); got != r {
				t.Errorf("Lookup(%q) = %v, want %s", strings.ToLower(n), got, r.ID)
			}
		}
	}
	if rules.Lookup("NOPE-999") != nil {
		t.Error("Lookup of an unknown name returned a rule")
	}
}

// TestFixtures checks that every rule has fixtures, at least one expecting
// a finding and one expecting none, and that they pass.
func TestFixtures(t *testing.T) {
	for _, r := range rules.All() {
		t.Run(r.ID, func(t *testing.T) {
			dirs, _ := filepath.Glob(filepath.Join("*", "testdata", r.ID))
			if len(dirs) != 1 {
				t.Fatalf("want one directory */testdata/%s, found %q", r.ID, dirs)
			}
			positive, negative := countFixtures(t, dirs[0], r.CheckSet != nil)
			if positive == 0 {
				t.Errorf("%s: no fixture expects a finding", dirs[0])
			}
			if negative == 0 {
				t.Errorf("%s: no fixture expects no finding", dirs[0])
			}
			scantest.Run(t, dirs[0], r)
		})
	}
}

// countFixtures counts the fixtures (or, for sets, the set directories)
// with and without expectations.
func countFixtures(t *testing.T, dir string, sets bool) (positive, negative int) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		var wants bool
		switch {
		case sets && e.IsDir():
			files, _ := os.ReadDir(path)
			for _, f := range files {
				wants = wants || hasWant(t, filepath.Join(path, f.Name()))
			}
		case !sets && !e.IsDir() && isFixture(e.Name()):
			wants = hasWant(t, path)
		default:
			continue
		}
		if wants {
			positive++
		} else {
			negative++
		}
	}
	return positive, negative
}

func isFixture(name string) bool {
	switch filepath.Ext(name) {
	case ".yaml", ".yml", ".txtar":
		return true
	}
	return false
}

func hasWant(t *testing.T, path string) bool {
	if !isFixture(path) {
		return false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return wantPattern.Match(data)
}
