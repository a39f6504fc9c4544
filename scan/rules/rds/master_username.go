package rds

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// MasterUsernameInTemplate reports master user names written in the
// template.
var MasterUsernameInTemplate = &scan.Rule{
	ID:        "RDS-004",
	Aliases:   []string{"F24"},
	Title:     "RDS master user name is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::RDS::DBInstance"},
	Doc: `The master user name is half of the database's most powerful
credential. Written as a literal, or taken from a parameter with a Default
or without NoEcho, it is readable by anyone who can read the template or the
stack. Take it from Secrets Manager together with the password, or from a
NoEcho parameter without a Default. CloudFormation resolves only
secretsmanager dynamic references here, so an ssm-secure reference is
reported too (the deploy would fail). A parameter whose Default is itself a
secretsmanager reference is accepted.

A NoEcho parameter with an empty Default, the usual way to make a secret
optional, reveals nothing and is accepted (cfn_nag reports it).

Bad:

~~~yaml
Db:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    MasterUsername: postgres
    ManageMasterUserPassword: true
~~~

Good:

~~~yaml
Db:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    MasterUsername: !Sub "{{resolve:secretsmanager:${DbSecret}:SecretString:username}}"
    MasterUserPassword: !Sub "{{resolve:secretsmanager:${DbSecret}:SecretString:password}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference or a NoEcho parameter without Default.",
	Check: check.DatabaseSecretsManagerSecret("MasterUsername"),
}
