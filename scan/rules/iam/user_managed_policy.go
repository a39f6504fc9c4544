package iam

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// UserManagedPolicy reports managed policies attached directly to users.
var UserManagedPolicy = &scan.Rule{
	ID:        "IAM-025",
	Title:     "IAM user has managed policies attached directly",
	Severity:  scan.Failure,
	Resources: []string{"AWS::IAM::User"},
	Doc: `ManagedPolicyArns on a user attach permissions to one person, where they
are hard to review and outlive a change of job. AWS Security Hub (IAM.2)
asks that users get permissions only through groups. This is the managed
policy counterpart of the inline-policy rule (cfn_nag F10), which does not
look at ManagedPolicyArns.

Bad:

~~~yaml
Alice:
  Type: AWS::IAM::User
  Properties:
    ManagedPolicyArns:
      - arn:aws:iam::aws:policy/ReadOnlyAccess
~~~

Good:

~~~yaml
Alice:
  Type: AWS::IAM::User
  Properties:
    Groups: [!Ref Auditors]
~~~
`,
	Fix: "Attach the managed policy to a group and add the user to the group.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Items(p.Eval, prop.Get(p.Eval, r, "ManagedPolicyArns")) {
				rep.Report(r, v, "user %s has a managed policy attached directly", r.ID)
			}
		}
	},
}
