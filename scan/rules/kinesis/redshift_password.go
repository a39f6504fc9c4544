package kinesis

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// RedshiftPassword reports Redshift destination passwords kept in the
// template.
var RedshiftPassword = &scan.Rule{
	ID:        "FIREHOSE-002",
	Aliases:   []string{"F66"},
	Title:     "Firehose Redshift destination password is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{deliveryStreamType},
	Doc: `RedshiftDestinationConfiguration.Password is the password of the
database user Firehose loads data as. Written as a literal, or taken from a
parameter with a Default, it sits in plain text in the template and every
copy of it; a parameter without NoEcho shows its value in the console.
Pass it with a {{resolve:secretsmanager:...}} or {{resolve:ssm-secure:...}}
dynamic reference (accepted even as a parameter default), a NoEcho
parameter without Default, or let Firehose read it from Secrets Manager
(SecretsManagerConfiguration).

Bad:

~~~yaml
Delivery:
  Type: AWS::KinesisFirehose::DeliveryStream
  Properties:
    RedshiftDestinationConfiguration:
      ClusterJDBCURL: jdbc:redshift://warehouse:5439/dev
      Username: firehose
      Password: Firehose123
~~~

Good:

~~~yaml
Delivery:
  Type: AWS::KinesisFirehose::DeliveryStream
  Properties:
    RedshiftDestinationConfiguration:
      ClusterJDBCURL: jdbc:redshift://warehouse:5439/dev
      Username: firehose
      Password: "{{resolve:secretsmanager:firehose/redshift:SecretString:password}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference, a NoEcho parameter without Default, or SecretsManagerConfiguration.",
	Check: check.Secret([]string{check.SecretsManager, check.SSMSecure}, "RedshiftDestinationConfiguration", "Password"),
}
