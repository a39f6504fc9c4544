package lambda

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// PermissionEventSourceToken reports an Alexa event source token written in
// the template.
var PermissionEventSourceToken = &scan.Rule{
	ID:        "LAMBDA-004",
	Aliases:   []string{"F45"},
	Title:     "Lambda permission EventSourceToken is written in the template",
	Severity:  scan.Failure,
	Resources: []string{"AWS::Lambda::Permission"},
	Doc: `EventSourceToken is the secret an Alexa Smart Home skill presents to
invoke the function. Written as a literal, as a parameter Default or through
a parameter without NoEcho, it is readable by anyone who can read the
template or describe the stack. Pass it through a NoEcho parameter without a
Default, or a {{resolve:secretsmanager:...}} or {{resolve:ssm-secure:...}}
dynamic reference; a {{resolve:ssm:...}} reference to a plain String
parameter is not a secret store and is reported.

Bad:

~~~yaml
AlexaInvoke:
  Type: AWS::Lambda::Permission
  Properties:
    FunctionName: !Ref Skill
    Action: lambda:InvokeFunction
    Principal: alexa-connectedhome.amazon.com
    EventSourceToken: amzn1.ask.skill.0000-token
~~~

Good:

~~~yaml
AlexaInvoke:
  Type: AWS::Lambda::Permission
  Properties:
    FunctionName: !Ref Skill
    Action: lambda:InvokeFunction
    Principal: alexa-connectedhome.amazon.com
    EventSourceToken: "{{resolve:secretsmanager:alexa-skill:SecretString:token}}"
~~~
`,
	Fix:   "Pass EventSourceToken through a NoEcho parameter without Default or a secretsmanager dynamic reference.",
	Check: check.Secret([]string{check.SecretsManager, check.SSMSecure}, "EventSourceToken"),
}
