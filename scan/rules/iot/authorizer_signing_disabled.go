package iot

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// AuthorizerSigningDisabled reports custom authorizers that do not verify
// token signatures.
var AuthorizerSigningDisabled = &scan.Rule{
	ID:        "IOT-004",
	Title:     "IoT custom authorizer does not verify token signatures",
	Severity:  scan.Warning,
	Resources: []string{"AWS::IoT::Authorizer"},
	Doc: `A custom authorizer lets devices authenticate with a token that its
Lambda function checks. With SigningDisabled, AWS IoT no longer verifies the
token's signature against TokenSigningPublicKeys before invoking the
function, so anyone who knows the endpoint can invoke the authorizer with
arbitrary tokens: the function bears every guess (and its cost), and its
own validation is the only thing between the internet and your topics. The
AWS IoT developer guide recommends keeping signing enabled. String booleans,
parameter defaults and both branches of Fn::If are checked. cfn_nag has no
such check.

Bad:

~~~yaml
Resources:
  Authorizer:
    Type: AWS::IoT::Authorizer
    Properties:
      AuthorizerFunctionArn: !GetAtt AuthFunction.Arn
      SigningDisabled: true
      Status: ACTIVE
~~~

Good:

~~~yaml
Resources:
  Authorizer:
    Type: AWS::IoT::Authorizer
    Properties:
      AuthorizerFunctionArn: !GetAtt AuthFunction.Arn
      TokenKeyName: token
      TokenSigningPublicKeys:
        key1: !Ref SigningPublicKey
      Status: ACTIVE
~~~
`,
	Fix:   "Remove SigningDisabled and give the authorizer TokenKeyName and TokenSigningPublicKeys.",
	Check: check.MustNotBeTrue("custom authorizer accepts unsigned tokens", "SigningDisabled"),
}
