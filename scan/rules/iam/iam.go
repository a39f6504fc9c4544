package iam

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// identityTypes are the resources that carry permission policies for
// identities, inline (Policies) or as a document (PolicyDocument).
var identityTypes = []string{
	"AWS::IAM::Group",
	"AWS::IAM::ManagedPolicy",
	"AWS::IAM::Policy",
	"AWS::IAM::Role",
	"AWS::IAM::User",
}

// allowItems returns a check calling bad for each possible element of key
// (such as "Action") in the Allow statements of the documents docs picks
// out of each resource; a true result reports it with the message from
// msg.
func allowItems(docs func(*cfn.Evaluator, *cfn.Resource) []prop.Val, key string, bad func(s string) bool, msg func(s string) string) func(*scan.Pass) {
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, st := range policy.Statements(p.Eval, docs(p.Eval, r)) {
				if !st.Allows() {
					continue
				}
				for _, v := range st.Strings(key) {
					if s, ok := v.Str(); ok && bad(s) {
						rep.Report(r, v, "%s", msg(s))
					}
				}
			}
		}
	}
}

// trust returns a role's trust policy.
func trust(e *cfn.Evaluator, r *cfn.Resource) []prop.Val {
	return prop.Get(e, r, "AssumeRolePolicyDocument")
}
