package dynamodb

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

const globalTableType = "AWS::DynamoDB::GlobalTable"

// mustBeTrue reports each value of the property at path below vals that
// may be absent or anything but true; a missing enclosing property is
// reported by its own name.
func mustBeTrue(rep *prop.Reporter, p *scan.Pass, r *cfn.Resource, vals []prop.Val, what string, path ...string) {
	for i, key := range path {
		vals = prop.Field(p.Eval, vals, key)
		if i == len(path)-1 {
			break
		}
		present := vals[:0:0]
		for _, v := range vals {
			if v.Absent {
				rep.Report(r, v, "%s: %s", what, v.State(key))
			} else {
				present = append(present, v)
			}
		}
		vals = present
	}
	for _, v := range vals {
		if v.NotTrue() {
			rep.Report(r, v, "%s: %s", what, v.State(path[len(path)-1]))
		}
	}
}

// tableOrReplicas returns a check that applies mustBeTrue to a table's
// property at path, and to each replica's of a global table, where the
// setting lives in Replicas[].
func tableOrReplicas(what string, path ...string) func(*scan.Pass) {
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			vals := prop.Properties(p.Eval, r)
			if r.Type == globalTableType {
				vals = prop.Items(p.Eval, prop.Field(p.Eval, vals, "Replicas"))
			}
			mustBeTrue(rep, p, r, vals, what, path...)
		}
	}
}
