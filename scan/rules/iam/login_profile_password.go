package iam

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// LoginProfilePassword reports console passwords kept in the template.
var LoginProfilePassword = &scan.Rule{
	ID:        "IAM-013",
	Aliases:   []string{"F51"},
	Title:     "IAM user console password is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::IAM::User"},
	Doc: `A LoginProfile Password written as a literal, or taken from a parameter
with a Default, sits in plain text in the template and every copy of it; a
parameter without NoEcho shows the password in the console and in
DescribeStacks. Pass it through a NoEcho parameter without a Default, or a
{{resolve:secretsmanager:...}} or {{resolve:ssm-secure:...}} dynamic
reference ({{resolve:ssm:...}} is plain text and is reported). A dynamic
reference is accepted even as a parameter default.

Bad:

~~~yaml
Alice:
  Type: AWS::IAM::User
  Properties:
    LoginProfile:
      Password: Welcome123!
      PasswordResetRequired: true
~~~

Good:

~~~yaml
Alice:
  Type: AWS::IAM::User
  Properties:
    LoginProfile:
      Password: "{{resolve:secretsmanager:alice-initial-password}}"
      PasswordResetRequired: true
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference or a NoEcho parameter without Default.",
	Check: check.Secret([]string{check.SecretsManager, check.SSMSecure}, "LoginProfile", "Password"),
}
