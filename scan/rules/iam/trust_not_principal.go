package iam

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// TrustNotPrincipal reports trust policies that allow everyone except a
// list of principals.
var TrustNotPrincipal = &scan.Rule{
	ID:        "IAM-008",
	Aliases:   []string{"F6"},
	Title:     "IAM role trust policy allows with NotPrincipal",
	Severity:  scan.Failure,
	Resources: []string{"AWS::IAM::Role"},
	Doc: `An Allow statement with NotPrincipal in a role's trust policy lets every
principal except the listed ones assume the role: every AWS account,
federated users and, depending on the action, anonymous web identities.
AWS advises never to combine Allow with NotPrincipal. Name the principals
that may assume the role.

Bad:

~~~yaml
AppRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          NotPrincipal: {AWS: arn:aws:iam::111122223333:role/Blocked}
          Action: sts:AssumeRole
~~~

Good:

~~~yaml
AppRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal: {Service: lambda.amazonaws.com}
          Action: sts:AssumeRole
~~~
`,
	Fix: "Replace NotPrincipal with a Principal naming who may assume the role.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, st := range policy.ResourceStatements(p.Eval, r, trust) {
				if !st.Allows() {
					continue
				}
				for _, v := range st.Present("NotPrincipal") {
					rep.Report(r, v, "trust policy lets every principal except the ones in NotPrincipal assume the role")
				}
			}
		}
	},
}
