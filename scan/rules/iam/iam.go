package iam

import (
	"regexp"
	"strings"

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
			for _, st := range policy.ResourceStatements(p.Eval, r, docs) {
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

// awsManagedPolicy matches the ARN of an AWS managed policy, also when the
// partition is ${AWS::Partition}, and captures its name.
var awsManagedPolicy = regexp.MustCompile(`^arn:(?:aws[a-z-]*|\$\{AWS::Partition\}):iam::aws:policy/(.+)$`)

// managedPolicies returns a check reporting each entry of ManagedPolicyArns
// that names one of the AWS managed policies in names.
func managedPolicies(names map[string]string) func(*scan.Pass) {
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Items(p.Eval, prop.Get(p.Eval, r, "ManagedPolicyArns")) {
				s, ok := policy.IAMPrincipalText(v)
				if !ok {
					continue
				}
				m := awsManagedPolicy.FindStringSubmatch(s)
				if m == nil {
					continue
				}
				if why, bad := names[m[1]]; bad {
					rep.Report(r, v, "%s %s has the AWS managed policy %s, which %s", kind(r), r.ID, m[1], why)
				}
			}
		}
	}
}

// kind names a resource's type for messages: "role", "user", "group".
func kind(r *cfn.Resource) string {
	_, name, _ := strings.Cut(strings.TrimPrefix(r.Type, "AWS::IAM::"), "::")
	if name == "" {
		name = strings.TrimPrefix(r.Type, "AWS::IAM::")
	}
	return strings.ToLower(name)
}

// principalTypes are the identities that take managed policies.
var principalTypes = []string{"AWS::IAM::Group", "AWS::IAM::Role", "AWS::IAM::User"}
