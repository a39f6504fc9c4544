package kinesis

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// HTTPEndpointAccessKey reports HTTP endpoint access keys kept in the
// template.
var HTTPEndpointAccessKey = &scan.Rule{
	ID:        "FIREHOSE-004",
	Title:     "Firehose HTTP endpoint access key is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{deliveryStreamType},
	Doc: `HttpEndpointDestinationConfiguration.EndpointConfiguration.AccessKey
is the API key Firehose presents to the destination (Datadog, New Relic,
Dynatrace, your own service...): whoever holds it can write to, and often
read from, that account. cfn_nag checks the Redshift password and the
Splunk token but not this key, which is the same kind of secret. Written
as a literal, or taken from a parameter with a Default, it sits in plain
text in the template; a parameter without NoEcho shows its value in the
console. Pass it with a {{resolve:secretsmanager:...}} dynamic reference, a
NoEcho parameter without Default, or SecretsManagerConfiguration.

Bad:

~~~yaml
Delivery:
  Type: AWS::KinesisFirehose::DeliveryStream
  Properties:
    HttpEndpointDestinationConfiguration:
      EndpointConfiguration:
        Url: https://aws-kinesis-http-intake.logs.datadoghq.com/v1/input
        AccessKey: 0123456789abcdef0123456789abcdef
~~~

Good:

~~~yaml
Delivery:
  Type: AWS::KinesisFirehose::DeliveryStream
  Properties:
    HttpEndpointDestinationConfiguration:
      EndpointConfiguration:
        Url: https://aws-kinesis-http-intake.logs.datadoghq.com/v1/input
        AccessKey: "{{resolve:secretsmanager:firehose/datadog:SecretString:key}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference, a NoEcho parameter without Default, or SecretsManagerConfiguration.",
	Check: check.Secret([]string{check.SecretsManager}, "HttpEndpointDestinationConfiguration", "EndpointConfiguration", "AccessKey"),
}
