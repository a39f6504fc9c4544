// Package rules is the registry of every rule safetynet knows. The rules
// themselves live in one package per AWS service below this one.
package rules

import (
	"slices"
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/ec2"
)

// registry lists every rule, sorted by ID (the catalogue test checks).
var registry = []*scan.Rule{
	ec2.VolumeUnencrypted,
	ec2.IngressOpenToWorld,
	ec2.IngressPortRange,
}

// All returns every rule, sorted by ID. The slice is a copy; the rules are
// shared.
func All() []*scan.Rule {
	out := slices.Clone(registry)
	slices.SortFunc(out, func(a, b *scan.Rule) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Lookup returns the rule with the given ID or alias (such as a cfn_nag
// ID), ignoring case, or nil.
func Lookup(idOrAlias string) *scan.Rule {
	for _, r := range registry {
		for _, n := range r.Names() {
			if strings.EqualFold(n, idOrAlias) {
				return r
			}
		}
	}
	return nil
}
