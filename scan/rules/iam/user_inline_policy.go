package iam

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// UserInlinePolicy reports users with inline policies.
var UserInlinePolicy = &scan.Rule{
	ID:        "IAM-005",
	Aliases:   []string{"F10"},
	Title:     "IAM user has inline policies",
	Severity:  scan.Failure,
	Resources: []string{"AWS::IAM::User"},
	Doc: `Inline policies on a user give that one person permissions no one
else can see in a group and that vanish only with the user. Grant
permissions through groups so that access is reviewed and revoked in one
place.

Bad:

~~~yaml
Alice:
  Type: AWS::IAM::User
  Properties:
    Policies:
      - PolicyName: admin
        PolicyDocument: {...}
~~~

Good:

~~~yaml
Alice:
  Type: AWS::IAM::User
  Properties:
    Groups: [!Ref Admins]
~~~
`,
	Fix: "Move the policy to a group and add the user to the group.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Items(p.Eval, prop.Get(p.Eval, r, "Policies")) {
				rep.Report(r, v, "user %s has an inline policy", r.ID)
			}
		}
	},
}
