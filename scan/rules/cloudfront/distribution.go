package cloudfront

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// distribution is the resource type every rule here inspects.
var distribution = []string{"AWS::CloudFront::Distribution"}

// config returns the possible values of a distribution's DistributionConfig
// property at path.
func config(e *cfn.Evaluator, r *cfn.Resource, path ...string) []prop.Val {
	return prop.Get(e, r, append([]string{"DistributionConfig"}, path...)...)
}

// behaviors returns the default cache behavior and every other cache
// behavior of a distribution.
func behaviors(e *cfn.Evaluator, r *cfn.Resource) []prop.Val {
	out := config(e, r, "DefaultCacheBehavior")
	return append(out, prop.Items(e, config(e, r, "CacheBehaviors"))...)
}

// origins returns the possible origins of a distribution.
func origins(e *cfn.Evaluator, r *cfn.Resource) []prop.Val {
	return prop.Items(e, config(e, r, "Origins"))
}

// mustBeSet returns a check reporting distributions whose DistributionConfig
// property at path may be absent.
func mustBeSet(what string, path ...string) func(*scan.Pass) {
	name := path[len(path)-1]
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range config(p.Eval, r, path...) {
				if v.Absent {
					rep.Report(r, v, "%s: %s", what, v.State(name))
				}
			}
		}
	}
}

// allowsHTTP reports whether a distribution's viewers may use plain HTTP on
// some cache behavior.
func allowsHTTP(e *cfn.Evaluator, r *cfn.Resource) bool {
	for _, b := range behaviors(e, r) {
		for _, v := range prop.Field(e, []prop.Val{b}, "ViewerProtocolPolicy") {
			if s, ok := v.Str(); ok && s == "allow-all" {
				return true
			}
		}
	}
	return false
}
