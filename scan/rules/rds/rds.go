package rds

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

const (
	instanceType = "AWS::RDS::DBInstance"
	clusterType  = "AWS::RDS::DBCluster"
)

// filter narrows the databases a check looks at.
type filter struct {
	// engineOK, when set, must accept the engine, which must be known.
	engineOK func(typ, engine string) bool
	// noReplicas leaves out read replicas (SourceDBInstanceIdentifier or
	// SourceDBClusterIdentifier set).
	noReplicas bool
	// noServerlessV1 leaves out Aurora Serverless v1 clusters
	// (EngineMode: serverless), which lack many features.
	noServerlessV1 bool
}

// standalone returns values carrying the conditions under which r manages
// its own storage, backups and protection: always for a cluster; for an
// instance, when DBClusterIdentifier is absent and the engine is not
// Aurora (an Aurora instance takes all of these from its cluster).
func standalone(p *scan.Pass, r *cfn.Resource, f filter) []prop.Val {
	members := []prop.Val{{}}
	if r.Type == instanceType {
		members = members[:0]
		for _, c := range prop.Get(p.Eval, r, "DBClusterIdentifier") {
			if c.Absent {
				members = append(members, c)
			}
		}
	}
	if f.noReplicas {
		members = whileAbsent(p, r, members, "SourceDBInstanceIdentifier", "SourceDBClusterIdentifier")
	}
	if f.noServerlessV1 && r.Type == clusterType {
		var kept []prop.Val
		for _, c := range members {
			for _, m := range prop.Get(p.Eval, r, "EngineMode") {
				if s, ok := m.Str(); ok && strings.EqualFold(s, "serverless") {
					continue
				}
				if both, ok := prop.Both(c, m); ok {
					both.Origin, both.Param = c.Origin, c.Param
					kept = append(kept, both)
				}
			}
		}
		members = kept
	}
	var out []prop.Val
	for _, c := range members {
		for _, e := range prop.Get(p.Eval, r, "Engine") {
			s, known := e.Str()
			s = strings.ToLower(s)
			if r.Type == instanceType && known && strings.HasPrefix(s, "aurora") {
				continue
			}
			if f.engineOK != nil && (!known || !f.engineOK(r.Type, s)) {
				continue
			}
			if both, ok := prop.Both(c, e); ok {
				// Only the conditions matter; where the engine came from
				// does not belong in the message.
				both.Origin, both.Param = c.Origin, c.Param
				out = append(out, both)
			}
		}
	}
	return out
}

// checkStandalone returns a check over clusters and the instances that are
// not in one (see standalone), reporting each value of the property at
// path for which bad holds, with msg describing it.
func checkStandalone(f filter, bad func(prop.Val) bool, msg func(prop.Val) string, path ...string) func(*scan.Pass) {
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			var targets []prop.Val
			for _, v := range prop.Get(p.Eval, r, path...) {
				if !bad(v) {
					continue
				}
				if targets == nil {
					targets = standalone(p, r, f)
				}
				for _, c := range targets {
					if both, ok := prop.Both(v, c); ok {
						rep.Report(r, both, "%s", msg(v))
						break
					}
				}
			}
		}
	}
}

// whileAbsent narrows vals, values carrying conditions, to the conditions
// under which every property in keys is absent.
func whileAbsent(p *scan.Pass, r *cfn.Resource, vals []prop.Val, keys ...string) []prop.Val {
	for _, key := range keys {
		var kept []prop.Val
		for _, c := range vals {
			for _, s := range prop.Get(p.Eval, r, key) {
				if !s.Absent {
					continue
				}
				if both, ok := prop.Both(c, s); ok {
					both.Origin, both.Param = c.Origin, c.Param
					kept = append(kept, both)
				}
			}
		}
		vals = kept
	}
	return vals
}
