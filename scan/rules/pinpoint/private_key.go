package pinpoint

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// PrivateKeyInTemplate reports Apple push channels whose PrivateKey ends up in the
// template or the console.
var PrivateKeyInTemplate = &scan.Rule{
	ID:       "PINPOINT-001",
	Aliases:  []string{"F42", "F46", "F48", "F57"},
	Title:    "Pinpoint APNs channel PrivateKey is not kept secret",
	Severity: scan.Failure,
	Resources: []string{
		"AWS::Pinpoint::APNSChannel",
		"AWS::Pinpoint::APNSSandboxChannel",
		"AWS::Pinpoint::APNSVoipChannel",
		"AWS::Pinpoint::APNSVoipSandboxChannel",
	},
	Doc: `An APNs channel holds the private key of the APNs certificate (PrivateKey) that lets Pinpoint
send push notifications to every device of the app: whoever reads it can
push to your users as you. Written as a literal, or taken from a parameter
with a Default, it sits in plain text in the template and in every copy of
it; a parameter without NoEcho shows it in the console and in
DescribeStacks. Use a Secrets Manager dynamic reference (CloudFormation
does not resolve ssm-secure references for Pinpoint) or a NoEcho parameter
without Default. The rule covers the four APNs channel types (production,
sandbox, VoIP and VoIP sandbox); unlike cfn_nag it also checks values
supplied in a parameter file and both branches of Fn::If.

Bad:

~~~yaml
Resources:
  Push:
    Type: AWS::Pinpoint::APNSChannel
    Properties:
      ApplicationId: !Ref App
      PrivateKey: "-----BEGIN PRIVATE KEY-----\nMIGTAgEA..."
~~~

Good:

~~~yaml
Resources:
  Push:
    Type: AWS::Pinpoint::APNSChannel
    Properties:
      ApplicationId: !Ref App
      PrivateKey: "{{resolve:secretsmanager:apns:SecretString:PrivateKey}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference or a NoEcho parameter without Default.",
	Check: check.CFNSecret([]string{check.SecretsManager}, "PrivateKey"),
}
