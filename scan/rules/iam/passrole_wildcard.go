package iam

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// PassRoleWildcard reports policies that allow passing any role.
var PassRoleWildcard = &scan.Rule{
	ID:        "IAM-007",
	Aliases:   []string{"F38", "F39", "F40"},
	Title:     "IAM policy allows iam:PassRole on every role",
	Severity:  scan.Failure,
	Resources: identityTypes,
	Doc: `iam:PassRole on Resource "*" lets the holder hand any role in the
account, including administrator roles, to a service it controls (a Lambda
function, an EC2 instance), and so act with that role's permissions: a
classic privilege escalation. Any action pattern that covers iam:PassRole
counts, such as "iam:*", "iam:Pass*" or "*".

Bad:

~~~yaml
Deployer:
  Type: AWS::IAM::Policy
  Properties:
    PolicyName: deploy
    Roles: [!Ref CiRole]
    PolicyDocument:
      Statement:
        - Effect: Allow
          Action: [lambda:CreateFunction, iam:PassRole]
          Resource: "*"
~~~

Good:

~~~yaml
Deployer:
  Type: AWS::IAM::Policy
  Properties:
    PolicyName: deploy
    Roles: [!Ref CiRole]
    PolicyDocument:
      Statement:
        - Effect: Allow
          Action: iam:PassRole
          Resource: !GetAtt FunctionRole.Arn
~~~
`,
	Fix: "Limit iam:PassRole to the ARNs of the roles that may be passed.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, st := range policy.ResourceStatements(p.Eval, r, policy.Inline) {
				if !st.Allows() || !anyString(st.Strings("Resource"), func(s string) bool { return s == "*" }) {
					continue
				}
				for _, v := range st.Strings("Action") {
					if s, ok := v.Str(); ok && policy.ActionMatches(s, "iam:PassRole") {
						rep.Report(r, v, "policy allows %s on Resource \"*\", which passes any role", s)
					}
				}
			}
		}
	},
}

func anyString(vals []prop.Val, f func(string) bool) bool {
	for _, v := range vals {
		if s, ok := v.Str(); ok && f(s) {
			return true
		}
	}
	return false
}
