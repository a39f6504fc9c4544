package kinesis

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// SplunkHECToken reports Splunk HEC tokens kept in the template.
var SplunkHECToken = &scan.Rule{
	ID:        "FIREHOSE-003",
	Aliases:   []string{"F68"},
	Title:     "Firehose Splunk HEC token is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{deliveryStreamType},
	Doc: `SplunkDestinationConfiguration.HECToken lets whoever holds it send
events into your Splunk indexes. Written as a literal, or taken from a
parameter with a Default, it sits in plain text in the template and every
copy of it; a parameter without NoEcho shows its value in the console. Pass
it with a {{resolve:secretsmanager:...}} dynamic reference (accepted even as
a parameter default), a NoEcho parameter without Default, or let Firehose
read it from Secrets Manager (SecretsManagerConfiguration).

Bad:

~~~yaml
Delivery:
  Type: AWS::KinesisFirehose::DeliveryStream
  Properties:
    SplunkDestinationConfiguration:
      HECEndpoint: https://splunk.example.com:8088
      HECEndpointType: Event
      HECToken: 8f7e6d5c-1234-5678-9abc-def012345678
~~~

Good:

~~~yaml
Delivery:
  Type: AWS::KinesisFirehose::DeliveryStream
  Properties:
    SplunkDestinationConfiguration:
      HECEndpoint: https://splunk.example.com:8088
      HECEndpointType: Event
      HECToken: "{{resolve:secretsmanager:firehose/splunk:SecretString:token}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference, a NoEcho parameter without Default, or SecretsManagerConfiguration.",
	Check: check.Secret([]string{check.SecretsManager}, "SplunkDestinationConfiguration", "HECToken"),
}
