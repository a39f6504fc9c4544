package iam

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// PolicyOnUser reports policies attached directly to users.
var PolicyOnUser = &scan.Rule{
	ID:        "IAM-004",
	Aliases:   []string{"F11", "F12"},
	Title:     "IAM policy is attached directly to users",
	Severity:  scan.Failure,
	Resources: []string{"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"},
	Doc: `Permissions attached to individual users drift apart and are hard to
review or revoke when people change roles. Attach policies to groups (or,
better, have people assume roles) and put users in the groups.

Bad:

~~~yaml
Deploy:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    Users: [!Ref Alice]
    PolicyDocument: {...}
~~~

Good:

~~~yaml
Deploy:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    Groups: [!Ref Deployers]
    PolicyDocument: {...}
~~~
`,
	Fix: "Attach the policy to a group (Groups) and add the users to it.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Items(p.Eval, prop.Get(p.Eval, r, "Users")) {
				rep.Report(r, v, "policy %s is attached directly to a user", r.ID)
			}
		}
	},
}
