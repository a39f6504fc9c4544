package opsworks

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// SslPrivateKeyInTemplate reports app TLS private keys that end up in the
// template or the console.
var SslPrivateKeyInTemplate = &scan.Rule{
	ID:        "OPSWORKS-003",
	Aliases:   []string{"F61"},
	Title:     "OpsWorks app SSL private key is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::OpsWorks::App"},
	Doc: `SslConfiguration.PrivateKey is the private key of the app's TLS
certificate: whoever holds it can impersonate the site or decrypt traffic
captured with non-forward-secret ciphers. Written as a literal, or taken
from a parameter with a Default, it sits in plain text in the template and
in every copy of it; a parameter without NoEcho shows it in the console and
in DescribeStacks. Use a Secrets Manager dynamic reference (CloudFormation
does not resolve ssm-secure references for this property) or a NoEcho
parameter without Default. Unlike cfn_nag, values supplied in a parameter
file and both branches of Fn::If are checked.

Bad:

~~~yaml
Resources:
  App:
    Type: AWS::OpsWorks::App
    Properties:
      StackId: !Ref Stack
      Name: web
      Type: other
      EnableSsl: true
      SslConfiguration:
        Certificate: !Ref Certificate
        PrivateKey: "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA..."
~~~

Good:

~~~yaml
Resources:
  App:
    Type: AWS::OpsWorks::App
    Properties:
      StackId: !Ref Stack
      Name: web
      Type: other
      EnableSsl: true
      SslConfiguration:
        Certificate: !Ref Certificate
        PrivateKey: "{{resolve:secretsmanager:web-tls:SecretString:key}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference or a NoEcho parameter without Default.",
	Check: check.CFNSecret([]string{check.SecretsManager}, "SslConfiguration", "PrivateKey"),
}
