package amazonmq

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// UserPassword reports broker user passwords kept in the template.
var UserPassword = &scan.Rule{
	ID:        "MQ-001",
	Aliases:   []string{"F52"},
	Title:     "Amazon MQ broker user password is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{brokerType},
	Doc: `Each of a broker's Users logs in to the broker with its Password. A
password written as a literal, or taken from a parameter with a Default,
sits in plain text in the template and in every copy of it (source control,
S3, the CloudFormation console); a parameter without NoEcho shows its value
in the console and in DescribeStacks. Pass it with a
{{resolve:secretsmanager:...}} dynamic reference (accepted even as a
parameter default) or a NoEcho parameter without Default. Every user in the
list is checked, in every Fn::If branch.

Bad:

~~~yaml
Broker:
  Type: AWS::AmazonMQ::Broker
  Properties:
    BrokerName: orders
    EngineType: ACTIVEMQ
    Users:
      - Username: app
        Password: correct-horse-battery
~~~

Good:

~~~yaml
Broker:
  Type: AWS::AmazonMQ::Broker
  Properties:
    BrokerName: orders
    EngineType: ACTIVEMQ
    Users:
      - Username: app
        Password: "{{resolve:secretsmanager:mq/app:SecretString:password}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference or a NoEcho parameter without Default.",
	Check: check.MQSecretItems([]string{check.SecretsManager}, "Users", "Password"),
}
