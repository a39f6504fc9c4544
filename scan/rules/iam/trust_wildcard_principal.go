package iam

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// TrustWildcardPrincipal reports roles that anyone may assume.
var TrustWildcardPrincipal = &scan.Rule{
	ID:        "IAM-021",
	Title:     "IAM role trust policy allows a wildcard principal",
	Severity:  scan.Failure,
	Resources: []string{"AWS::IAM::Role"},
	Doc: `A trust policy with Principal "*" (or {AWS: "*"}, or an ARN with a
wildcard) lets every AWS account in the world assume the role and use its
permissions; IAM Access Analyzer reports such roles as publicly
accessible. A condition naming the principals or the organization
(aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalAccount or
aws:PrincipalArn) limits who may assume it, so statements with one of those
are not reported; other conditions (such as sts:ExternalId alone) are not
enough.

Bad:

~~~yaml
ReadRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal: {AWS: "*"}
          Action: sts:AssumeRole
~~~

Good:

~~~yaml
ReadRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal: {AWS: "*"}
          Action: sts:AssumeRole
          Condition:
            StringEquals:
              aws:PrincipalOrgID: o-a1b2c3d4e5
~~~
`,
	Fix: "Name the principals that may assume the role, or add an aws:PrincipalOrgID condition.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, st := range policy.ResourceStatements(p.Eval, r, trust) {
				if !st.Allows() {
					continue
				}
				if _, ok := policy.IAMHasAnyKey(policy.IAMConditionKeys(p.Eval, st), policy.IAMNarrowingKeys...); ok {
					continue
				}
				for _, v := range st.Principals("Principal") {
					if s, ok := v.Str(); ok && policy.WildcardPrincipal(s) {
						rep.Report(r, v, "trust policy lets principal %q assume the role", s)
					}
				}
			}
		}
	},
}
