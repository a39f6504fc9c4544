package scan

import (
	"fmt"
	"sort"
	"strings"
)

// Select picks rules by a list of terms applied in order: "all", a rule ID
// or alias ("S3-001", "W31"), a service prefix ("S3", "S3-*") or a severity
// ("failure"); a leading "-" removes instead of adds. A list that starts with
// a removal starts from all rules, so ["-S3-004"] means all but S3-004.
func Select(all []*Rule, terms []string) ([]*Rule, error) {
	on := map[*Rule]bool{}
	if len(terms) == 0 || strings.HasPrefix(terms[0], "-") {
		for _, r := range all {
			on[r] = true
		}
	}
	for _, term := range terms {
		term = strings.TrimSpace(term)
		remove := strings.HasPrefix(term, "-")
		term = strings.TrimPrefix(term, "-")
		matched := matchRules(all, term)
		if len(matched) == 0 {
			return nil, fmt.Errorf("rule selection %q matches no rule", term)
		}
		for _, r := range matched {
			on[r] = !remove
		}
	}
	var out []*Rule
	for _, r := range all {
		if on[r] {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func matchRules(all []*Rule, term string) []*Rule {
	t := strings.ToUpper(term)
	if t == "ALL" {
		return all
	}
	if sev, err := ParseSeverity(term); err == nil {
		var out []*Rule
		for _, r := range all {
			if r.Severity == sev {
				out = append(out, r)
			}
		}
		return out
	}
	if r := Lookup(all, term); r != nil {
		return []*Rule{r}
	}
	// A service prefix: "S3" or "S3-*".
	prefix := strings.TrimSuffix(strings.TrimSuffix(t, "*"), "-") + "-"
	var out []*Rule
	for _, r := range all {
		if strings.HasPrefix(r.ID, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// Lookup finds a rule by ID or alias, ignoring case.
func Lookup(all []*Rule, name string) *Rule {
	for _, r := range all {
		for _, n := range r.Names() {
			if strings.EqualFold(n, name) {
				return r
			}
		}
	}
	return nil
}
