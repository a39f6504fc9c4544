package s3

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// mustBeSet returns a check reporting resources whose property at path may
// be absent (missing, or Ref AWS::NoValue in some branch).
func mustBeSet(what string, path ...string) func(*scan.Pass) {
	name := path[len(path)-1]
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, path...) {
				if v.Absent {
					rep.Report(r, v, "%s: %s", what, v.State(name))
				}
			}
		}
	}
}

// allowStatements returns a check calling bad on every Allow statement of
// each bucket policy of the pass.
func allowStatements(bad func(p *scan.Pass, rep *prop.Reporter, r *cfn.Resource, st policy.Statement)) func(*scan.Pass) {
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, st := range policy.Statements(p.Eval, prop.Get(p.Eval, r, "PolicyDocument")) {
				if st.Allows() {
					bad(p, rep, r, st)
				}
			}
		}
	}
}
