package redshift

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// AdminPasswordInTemplate reports Redshift Serverless admin passwords that
// end up in the template or the console.
var AdminPasswordInTemplate = &scan.Rule{
	ID:        "REDSHIFT-008",
	Title:     "Redshift Serverless admin password is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::RedshiftServerless::Namespace"},
	Doc: `An AdminUserPassword written as a literal, or taken from a parameter
with a Default, sits in plain text in the template and every copy of it; a
parameter without NoEcho shows its value in the console and DescribeStacks.
Let Redshift manage the password (ManageAdminPassword: true), or use a
dynamic reference to Secrets Manager or a NoEcho parameter without a
Default. An {{resolve:ssm:...}} reference is plain text and is reported.

A NoEcho parameter with an empty Default, the usual way to make a secret
optional, reveals nothing and is accepted (cfn_nag reports it).

Bad:

~~~yaml
Namespace:
  Type: AWS::RedshiftServerless::Namespace
  Properties:
    NamespaceName: analytics
    AdminUsername: admin
    AdminUserPassword: Sup3rSecret
~~~

Good:

~~~yaml
Namespace:
  Type: AWS::RedshiftServerless::Namespace
  Properties:
    NamespaceName: analytics
    AdminUsername: admin
    ManageAdminPassword: true
~~~
`,
	Fix:   "Use ManageAdminPassword: true, a {{resolve:secretsmanager:...}} reference or a NoEcho parameter without Default.",
	Check: check.DatabaseSecret([]string{check.SecretsManager, check.SSMSecure}, "AdminUserPassword"),
}
