package dms

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// PasswordInTemplate reports DMS endpoint passwords that end up in the
// template or the console.
var PasswordInTemplate = &scan.Rule{
	ID:        "DMS-001",
	Aliases:   []string{"F37"},
	Title:     "DMS endpoint password is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::DMS::Endpoint"},
	Doc: `The endpoint Password opens the source or target database of the
migration. Written as a literal, or taken from a parameter with a Default,
it sits in plain text in the template and every copy of it; a parameter
without NoEcho shows its value in the console and DescribeStacks. Use a
Secrets Manager dynamic reference, a NoEcho parameter without a Default, or
better the endpoint's <Engine>Settings.SecretsManagerSecretId.
CloudFormation does not resolve ssm-secure references here, so one is
reported too; an {{resolve:ssm:...}} reference is plain text.

A NoEcho parameter with an empty Default, the usual way to make a secret
optional, reveals nothing and is accepted (cfn_nag reports it).

Bad:

~~~yaml
Source:
  Type: AWS::DMS::Endpoint
  Properties:
    EndpointType: source
    EngineName: postgres
    ServerName: db.internal
    Port: 5432
    Username: dms
    Password: Sup3rSecret
~~~

Good:

~~~yaml
Source:
  Type: AWS::DMS::Endpoint
  Properties:
    EndpointType: source
    EngineName: postgres
    PostgreSqlSettings:
      SecretsManagerSecretId: !Ref SourceSecret
      SecretsManagerAccessRoleArn: !GetAtt DmsSecretsRole.Arn
~~~
`,
	Fix:   "Use <Engine>Settings.SecretsManagerSecretId, a {{resolve:secretsmanager:...}} reference or a NoEcho parameter without Default.",
	Check: check.DatabaseSecretsManagerSecret("Password"),
}
