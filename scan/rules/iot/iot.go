package iot

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// allowStrings calls fn for each possible element of key ("Action" or
// "Resource") of each Allow statement of each IoT policy of the pass.
func allowStrings(p *scan.Pass, key string, fn func(r *cfn.Resource, st policy.Statement, v prop.Val)) {
	for _, r := range p.Resources() {
		for _, st := range policy.Statements(p.Eval, prop.Get(p.Eval, r, "PolicyDocument")) {
			if !st.Allows() {
				continue
			}
			for _, v := range st.Strings(key) {
				fn(r, st, v)
			}
		}
	}
}
