package iam

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// ConsolePassword reports IAM users given a console password.
var ConsolePassword = &scan.Rule{
	ID:        "IAM-020",
	Title:     "IAM user has a console password",
	Severity:  scan.Warning,
	Resources: []string{"AWS::IAM::User"},
	Doc: `A LoginProfile gives an IAM user a long-lived console password. AWS
recommends that people sign in through federation (IAM Identity Center or
an identity provider) with temporary credentials, and keeping IAM users for
the few cases that need them; a password created by a stack is also known
to whoever deployed it and is not tied to MFA. How the password itself is
passed is checked by IAM-013 (F51).

Bad:

~~~yaml
Alice:
  Type: AWS::IAM::User
  Properties:
    Groups: [!Ref Developers]
    LoginProfile:
      Password: "{{resolve:secretsmanager:alice}}"
      PasswordResetRequired: true
~~~

Good:

~~~yaml
# People sign in through IAM Identity Center; the stack grants a role.
DeveloperRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument: {...}
~~~
`,
	Fix: "Give people access through IAM Identity Center or a federated role instead of a LoginProfile.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "LoginProfile") {
				if !v.Absent {
					rep.Report(r, v, "user %s has a console password (LoginProfile)", r.ID)
				}
			}
		}
	},
}
