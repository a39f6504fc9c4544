package rds

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// MasterPasswordInTemplate reports master passwords that end up in the
// template or the console.
var MasterPasswordInTemplate = &scan.Rule{
	ID:        "RDS-003",
	Aliases:   []string{"F23", "F34"},
	Title:     "RDS master password is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::RDS::DBCluster", "AWS::RDS::DBInstance"},
	Doc: `A MasterUserPassword written as a literal, or taken from a parameter
with a Default, sits in plain text in the template and in every copy of it
(source control, S3, the CloudFormation console). A parameter without NoEcho
shows its value in the console and in DescribeStacks. Use a dynamic
reference to Secrets Manager or an SSM SecureString, or let RDS manage the
password (ManageMasterUserPassword). A dynamic reference is accepted even as
a parameter default.

A NoEcho parameter with an empty Default, the usual way to make a secret
optional, reveals nothing and is accepted (cfn_nag reports it).

Bad:

~~~yaml
Parameters:
  DbPassword:
    Type: String
    Default: hunter2
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUsername: admin
      MasterUserPassword: !Ref DbPassword
~~~

Good:

~~~yaml
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUsername: admin
      MasterUserPassword: !Sub "{{resolve:secretsmanager:${DbSecret}:SecretString:password}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference, a NoEcho parameter without Default, or ManageMasterUserPassword: true.",
	Check: check.DatabaseSecret([]string{check.SecretsManager, check.SSMSecure}, "MasterUserPassword"),
}
