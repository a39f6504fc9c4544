package docdb

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// MasterPasswordInTemplate reports DocumentDB master passwords that end up
// in the template or the console.
var MasterPasswordInTemplate = &scan.Rule{
	ID:        "DOCDB-001",
	Aliases:   []string{"F70"},
	Title:     "DocumentDB master password is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::DocDB::DBCluster"},
	Doc: `A MasterUserPassword written as a literal, or taken from a parameter
with a Default, sits in plain text in the template and every copy of it; a
parameter without NoEcho shows its value in the console and DescribeStacks.
Use a Secrets Manager dynamic reference, a NoEcho parameter without a
Default (Secrets Manager can also rotate it).
CloudFormation does not resolve ssm-secure references here, so one is
reported too; an {{resolve:ssm:...}} reference is plain text.

A NoEcho parameter with an empty Default, the usual way to make a secret
optional, reveals nothing and is accepted (cfn_nag reports it).

Bad:

~~~yaml
Docs:
  Type: AWS::DocDB::DBCluster
  Properties:
    MasterUsername: docadmin
    MasterUserPassword: Sup3rSecret
~~~

Good:

~~~yaml
Docs:
  Type: AWS::DocDB::DBCluster
  Properties:
    MasterUsername: docadmin
    MasterUserPassword: !Sub "{{resolve:secretsmanager:${DocsSecret}:SecretString:password}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} reference or a NoEcho parameter without Default.",
	Check: check.DatabaseSecretsManagerSecret("MasterUserPassword"),
}
