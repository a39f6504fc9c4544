package secretsmanager

import (
	"github.com/safetynet-dev/safetynet/scan"
)

// SecretStringInTemplate reports secret values written in the template.
var SecretStringInTemplate = &scan.Rule{
	ID:        "SECRETSMANAGER-002",
	Title:     "Secrets Manager secret value is written in the template",
	Severity:  scan.Failure,
	Resources: []string{"AWS::SecretsManager::Secret"},
	Doc: `A SecretString written as a literal, or built from a parameter Default,
sits in plain text in the template and every copy of it (source control,
the S3 bucket CloudFormation reads it from, the console's template view),
which defeats keeping it in Secrets Manager. A parameter without NoEcho
shows it in the console and DescribeStacks. Let Secrets Manager generate
the value (GenerateSecretString), or pass it through a NoEcho parameter
without a Default. Values built from other resources' attributes (such as
an access key's SecretAccessKey) are not reported, nor dynamic references
to Secrets Manager or SSM SecureString anywhere in the value, nor
placeholders to be filled in after deploy (an empty string, "<>", "{}",
"null", or JSON whose secret-looking keys are empty or null). A JSON value
is reported by its keys that look secret (password, token, key...), so
a default user name next to a NoEcho password is not a finding.

Bad:

~~~yaml
ApiToken:
  Type: AWS::SecretsManager::Secret
  Properties:
    SecretString: '{"token":"3f9a1c..."}'
~~~

Good:

~~~yaml
DbSecret:
  Type: AWS::SecretsManager::Secret
  Properties:
    GenerateSecretString:
      SecretStringTemplate: '{"username":"admin"}'
      GenerateStringKey: password
      ExcludeCharacters: '"@/\'
~~~
`,
	Fix:   "Use GenerateSecretString, or a NoEcho parameter without Default.",
	Check: checkSecretString,
}
