package redshift

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// MasterPasswordInTemplate reports Redshift master passwords that end up
// in the template or the console.
var MasterPasswordInTemplate = &scan.Rule{
	ID:        "REDSHIFT-002",
	Aliases:   []string{"F35"},
	Title:     "Redshift master password is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::Redshift::Cluster"},
	Doc: `A MasterUserPassword written as a literal, or taken from a parameter
with a Default, sits in plain text in the template and every copy of it; a
parameter without NoEcho shows its value in the console and DescribeStacks.
Use a Secrets Manager or ssm-secure dynamic reference, a NoEcho parameter
without a Default, or let Redshift manage the password
(ManageMasterPassword: true). An {{resolve:ssm:...}} reference is plain text
and is reported.

A NoEcho parameter with an empty Default, the usual way to make a secret
optional, reveals nothing and is accepted (cfn_nag reports it).

Bad:

~~~yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    MasterUsername: admin
    MasterUserPassword: Sup3rSecret
~~~

Good:

~~~yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    MasterUsername: admin
    ManageMasterPassword: true
~~~
`,
	Fix:   "Use ManageMasterPassword: true, a {{resolve:secretsmanager:...}} reference or a NoEcho parameter without Default.",
	Check: check.DatabaseSecret([]string{check.SecretsManager, check.SSMSecure}, "MasterUserPassword"),
}
