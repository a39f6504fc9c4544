package opsworks

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// CookbooksPasswordInTemplate reports custom cookbook repository
// passwords that end up in the template or the console.
var CookbooksPasswordInTemplate = &scan.Rule{
	ID:        "OPSWORKS-002",
	Aliases:   []string{"F62"},
	Title:     "OpsWorks custom cookbooks repository password is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::OpsWorks::Stack"},
	Doc: `CustomCookbooksSource.Password is the password (or, for an S3 archive,
the secret access key) OpsWorks uses to fetch the stack's Chef cookbooks;
whoever holds it can read, and often change, the code that configures every
instance. Written as a literal, or taken from a parameter with a Default, it
sits in plain text in the template and in every copy of it; a parameter
without NoEcho shows it in the console and in DescribeStacks. Use a dynamic
reference to Secrets Manager or an SSM SecureString, or a NoEcho parameter
without Default. Unlike cfn_nag, values supplied in a parameter file and
both branches of Fn::If are checked.

Bad:

~~~yaml
Resources:
  Stack:
    Type: AWS::OpsWorks::Stack
    Properties:
      UseCustomCookbooks: true
      CustomCookbooksSource:
        Type: git
        Url: https://git.example.com/cookbooks.git
        Username: deploy
        Password: hunter2
~~~

Good:

~~~yaml
Resources:
  Stack:
    Type: AWS::OpsWorks::Stack
    Properties:
      UseCustomCookbooks: true
      CustomCookbooksSource:
        Type: git
        Url: https://git.example.com/cookbooks.git
        Username: deploy
        Password: "{{resolve:secretsmanager:cookbooks:SecretString:password}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} or {{resolve:ssm-secure:...}} dynamic reference, or a NoEcho parameter without Default.",
	Check: check.CFNSecret([]string{check.SecretsManager, check.SSMSecure}, "CustomCookbooksSource", "Password"),
}
