package s3

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// cannedACL returns a check reporting buckets whose AccessControl may be
// the given canned ACL.
func cannedACL(acl, what string) func(*scan.Pass) {
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "AccessControl") {
				if s, ok := v.Str(); ok && s == acl {
					rep.Report(r, v, "%s: AccessControl is %s", what, acl)
				}
			}
		}
	}
}
