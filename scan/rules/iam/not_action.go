package iam

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// AllowNotAction reports permission policies that allow everything except
// a list of actions.
var AllowNotAction = &scan.Rule{
	ID:        "IAM-003",
	Aliases:   []string{"W15", "W16", "W17"},
	Title:     "IAM policy allows with NotAction",
	Severity:  scan.Warning,
	Resources: identityTypes,
	Doc: `Allow with NotAction grants every action except the ones listed,
including actions AWS adds later. It is almost always broader than
intended; list the allowed actions instead. (Deny with NotAction is a
legitimate guard-rail pattern and is not reported.)

Bad:

~~~yaml
Ops:
  Type: AWS::IAM::Policy
  Properties:
    PolicyName: ops
    Groups: [!Ref OpsGroup]
    PolicyDocument:
      Statement:
        - Effect: Allow
          NotAction: iam:*
          Resource: "*"
~~~

Good:

~~~yaml
Ops:
  Type: AWS::IAM::Policy
  Properties:
    PolicyName: ops
    Groups: [!Ref OpsGroup]
    PolicyDocument:
      Statement:
        - Effect: Allow
          Action: [ec2:StartInstances, ec2:StopInstances]
          Resource: "*"
~~~
`,
	Fix: "Replace NotAction with an explicit Action list.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, st := range policy.ResourceStatements(p.Eval, r, policy.Inline) {
				if !st.Allows() {
					continue
				}
				for _, v := range st.Present("NotAction") {
					rep.Report(r, v, "policy allows every action except the ones in NotAction")
				}
			}
		}
	},
}
