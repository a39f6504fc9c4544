package iam

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// LoginProfileReset reports console passwords that the user is not made to
// change.
var LoginProfileReset = &scan.Rule{
	ID:        "IAM-014",
	Aliases:   []string{"W50"},
	Title:     "IAM user console password need not be changed at first sign-in",
	Severity:  scan.Warning,
	Resources: []string{"AWS::IAM::User"},
	Doc: `A password set by a template is known to whoever wrote or deployed it.
PasswordResetRequired: true makes the user choose a new one at first
sign-in, so the initial password stops working. Users without a
LoginProfile are not reported. ("true" as a string counts as true.)

Bad:

~~~yaml
Alice:
  Type: AWS::IAM::User
  Properties:
    LoginProfile:
      Password: !Ref InitialPassword
~~~

Good:

~~~yaml
Alice:
  Type: AWS::IAM::User
  Properties:
    LoginProfile:
      Password: !Ref InitialPassword
      PasswordResetRequired: true
~~~
`,
	Fix: "Set LoginProfile.PasswordResetRequired: true.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, lp := range prop.Get(p.Eval, r, "LoginProfile") {
				if lp.Absent {
					continue
				}
				for _, v := range prop.Field(p.Eval, []prop.Val{lp}, "PasswordResetRequired") {
					if v.NotTrue() {
						rep.Report(r, v, "user %s may keep the password set in the template: %s", r.ID, v.State("PasswordResetRequired"))
					}
				}
			}
		}
	},
}
