package iot

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// LoggingDisabled reports account logging configurations that turn AWS IoT
// logging off.
var LoggingDisabled = &scan.Rule{
	ID:        "IOT-005",
	Title:     "AWS IoT logging is disabled",
	Severity:  scan.Warning,
	Resources: []string{"AWS::IoT::Logging"},
	Doc: `AWS::IoT::Logging sets the account's AWS IoT logging to CloudWatch Logs.
With DefaultLogLevel DISABLED, connection attempts, authorization failures
and rule errors leave no trace, so a device abusing its credentials or a
broken rule goes unnoticed. AWS IoT Device Defender's audit reports disabled
logging (LOGGING_DISABLED_CHECK); ERROR or WARN keeps the cost low. Values
from parameters and both branches of Fn::If are checked. cfn_nag has no
such check.

Bad:

~~~yaml
Resources:
  Logging:
    Type: AWS::IoT::Logging
    Properties:
      AccountId: !Ref AWS::AccountId
      RoleArn: !GetAtt IotLoggingRole.Arn
      DefaultLogLevel: DISABLED
~~~

Good:

~~~yaml
Resources:
  Logging:
    Type: AWS::IoT::Logging
    Properties:
      AccountId: !Ref AWS::AccountId
      RoleArn: !GetAtt IotLoggingRole.Arn
      DefaultLogLevel: ERROR
~~~
`,
	Fix: "Set DefaultLogLevel to ERROR (or WARN, INFO, DEBUG).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "DefaultLogLevel") {
				if s, ok := v.Str(); ok && strings.EqualFold(s, "DISABLED") {
					rep.Report(r, v, "AWS IoT logging is disabled: DefaultLogLevel is %q", s)
				}
			}
		}
	},
}
