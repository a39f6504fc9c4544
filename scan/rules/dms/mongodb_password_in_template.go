package dms

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// MongoDbPasswordInTemplate reports DMS MongoDB endpoint passwords that
// end up in the template or the console.
var MongoDbPasswordInTemplate = &scan.Rule{
	ID:        "DMS-002",
	Aliases:   []string{"F55"},
	Title:     "DMS MongoDB endpoint password is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::DMS::Endpoint"},
	Doc: `MongoDbSettings.Password opens the MongoDB source of the migration.
Written as a literal, or taken from a parameter with a Default, it sits in
plain text in the template and every copy of it; a parameter without NoEcho
shows its value in the console and DescribeStacks. Use
MongoDbSettings.SecretsManagerSecretId, a Secrets Manager dynamic reference
or a NoEcho parameter without a Default. CloudFormation does not resolve
ssm-secure references here, so one is reported too.

A NoEcho parameter with an empty Default, the usual way to make a secret
optional, reveals nothing and is accepted (cfn_nag reports it).

Bad:

~~~yaml
Source:
  Type: AWS::DMS::Endpoint
  Properties:
    EndpointType: source
    EngineName: mongodb
    MongoDbSettings:
      ServerName: mongo.internal
      Username: dms
      Password: Sup3rSecret
~~~

Good:

~~~yaml
Source:
  Type: AWS::DMS::Endpoint
  Properties:
    EndpointType: source
    EngineName: mongodb
    MongoDbSettings:
      SecretsManagerSecretId: !Ref MongoSecret
      SecretsManagerAccessRoleArn: !GetAtt DmsSecretsRole.Arn
~~~
`,
	Fix:   "Use MongoDbSettings.SecretsManagerSecretId, a {{resolve:secretsmanager:...}} reference or a NoEcho parameter without Default.",
	Check: check.DatabaseSecretsManagerSecret("MongoDbSettings", "Password"),
}
