package secretsmanager

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// KmsKeyMissing reports secrets encrypted with the AWS managed key.
var KmsKeyMissing = &scan.Rule{
	ID:        "SECRETSMANAGER-001",
	Aliases:   []string{"W77"},
	Title:     "Secrets Manager secret is not encrypted with a customer managed KMS key",
	Severity:  scan.Warning,
	Resources: []string{"AWS::SecretsManager::Secret"},
	Doc: `Without KmsKeyId a secret is encrypted with the AWS managed key
aws/secretsmanager, whose key policy you cannot change: every principal of
the account with secretsmanager:GetSecretValue can read it, and the secret
cannot be shared with another account (a cross-account pipeline needs a
customer managed key whose policy names the consuming role). Naming the
AWS managed key explicitly (alias/aws/secretsmanager) is reported too;
cfn_nag only checks that KmsKeyId is set.

Bad:

~~~yaml
DbSecret:
  Type: AWS::SecretsManager::Secret
  Properties:
    GenerateSecretString:
      SecretStringTemplate: '{"username":"admin"}'
      GenerateStringKey: password
~~~

Good:

~~~yaml
DbSecret:
  Type: AWS::SecretsManager::Secret
  Properties:
    KmsKeyId: !Ref SecretsKey
    GenerateSecretString:
      SecretStringTemplate: '{"username":"admin"}'
      GenerateStringKey: password
~~~
`,
	Fix: "Set KmsKeyId to a customer managed KMS key.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "KmsKeyId") {
				if v.Absent {
					rep.Report(r, v, "secret %s is encrypted with the AWS managed key: KmsKeyId is not set", r.ID)
				} else if s, ok := v.Str(); ok && strings.HasSuffix(s, "alias/aws/secretsmanager") {
					rep.Report(r, v, "secret %s is encrypted with the AWS managed key %s", r.ID, s)
				}
			}
		}
	},
}
