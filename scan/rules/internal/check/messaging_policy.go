package check

import (
	"fmt"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// The checks below read the PolicyDocument of a messaging resource policy
// (an SQS queue policy, an SNS topic policy) and report its Allow
// statements; Deny statements are guard rails and never reported. what
// names the policy in messages ("queue policy").

// MsgPolicyNotPrincipal reports Allow statements with a NotPrincipal.
func MsgPolicyNotPrincipal(what string) func(*scan.Pass) {
	return msgPolicyAllows(func(st policy.Statement, report func(prop.Val, string)) {
		for _, v := range st.Present("NotPrincipal") {
			report(v, what+" allows every principal except the ones in NotPrincipal")
		}
	})
}

// MsgPolicyNotAction reports Allow statements with a NotAction.
func MsgPolicyNotAction(what string) func(*scan.Pass) {
	return msgPolicyAllows(func(st policy.Statement, report func(prop.Val, string)) {
		for _, v := range st.Present("NotAction") {
			report(v, what+" allows every action except the ones in NotAction")
		}
	})
}

// MsgPolicyWildcardPrincipal reports Allow statements whose Principal is
// "*" or contains a wildcard.
func MsgPolicyWildcardPrincipal(what string) func(*scan.Pass) {
	return msgPolicyAllows(func(st policy.Statement, report func(prop.Val, string)) {
		for _, v := range st.Principals("Principal") {
			if s, ok := v.Str(); ok && policy.WildcardPrincipal(s) {
				report(v, fmt.Sprintf("%s allows principal %q", what, s))
			}
		}
	})
}

// MsgPolicyWildcardAction reports Allow statements whose Action is "*" or
// "service:*".
func MsgPolicyWildcardAction(what string) func(*scan.Pass) {
	return msgPolicyAllows(func(st policy.Statement, report func(prop.Val, string)) {
		for _, v := range st.Strings("Action") {
			if s, ok := v.Str(); ok && policy.WildcardAction(s) {
				report(v, fmt.Sprintf("%s allows every action matching %q", what, s))
			}
		}
	})
}

// msgPolicyAllows calls visit for each possible Allow statement of each
// resource's PolicyDocument.
func msgPolicyAllows(visit func(st policy.Statement, report func(prop.Val, string))) func(*scan.Pass) {
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			report := func(r *cfn.Resource) func(prop.Val, string) {
				return func(v prop.Val, msg string) { rep.Report(r, v, "%s", msg) }
			}(r)
			for _, st := range policy.Statements(p.Eval, prop.Get(p.Eval, r, "PolicyDocument")) {
				if st.Allows() {
					visit(st, report)
				}
			}
		}
	}
}
