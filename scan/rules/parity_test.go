package rules_test

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules"
)

// nagRule is one row of the cfn_nag reference.
type nagRule struct {
	id       string
	severity scan.Severity
	types    []string // resource types named in the row, when it names any
}

var typePattern = regexp.MustCompile(`AWS::[A-Za-z0-9]+::[A-Za-z0-9]+|Alexa::ASK::Skill`)

func readNagRules(t *testing.T) []nagRule {
	t.Helper()
	f, err := os.Open("../../../shared/reference/cfn_nag_rules.tsv")
	if err != nil {
		t.Skipf("cfn_nag reference not found (%v): parity not checked", err)
	}
	defer f.Close()
	var out []nagRule
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 {
			continue
		}
		r := nagRule{id: cols[0], severity: scan.Warning}
		if cols[1] == "failure" {
			r.severity = scan.Failure
		}
		// Rows that describe their types in words ("any resource", "14
		// named types") are checked by severity only.
		if !strings.Contains(cols[2], "any resource") && !strings.Contains(cols[2], "named types") {
			r.types = typePattern.FindAllString(cols[2], -1)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCfnNagParity asserts that every cfn_nag rule is the alias of exactly
// one safetynet rule, with cfn_nag's severity and at least its resource
// types, so existing rules_to_suppress metadata keeps working.
func TestCfnNagParity(t *testing.T) {
	nag := readNagRules(t)
	if len(nag) != 166 {
		t.Errorf("reference lists %d cfn_nag rules, want 166", len(nag))
	}
	all := rules.All()
	for _, n := range nag {
		var owners []*scan.Rule
		for _, r := range all {
			for _, a := range r.Aliases {
				if a == n.id {
					owners = append(owners, r)
				}
			}
		}
		if len(owners) != 1 {
			t.Errorf("cfn_nag %s is the alias of %d rules, want 1", n.id, len(owners))
			continue
		}
		r := owners[0]
		if r.Severity != n.severity {
			t.Errorf("cfn_nag %s (%s) is %s, but %s is %s", n.id, n.severity, n.severity, r.ID, r.Severity)
		}
		for _, typ := range n.types {
			found := false
			for _, rt := range r.Resources {
				found = found || rt == typ
			}
			if !found {
				t.Errorf("cfn_nag %s checks %s, which %s does not list among its resource types", n.id, typ, r.ID)
			}
		}
	}
}
