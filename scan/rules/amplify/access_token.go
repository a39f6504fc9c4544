package amplify

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// AccessTokenInTemplate reports Amplify apps whose repository access token
// ends up in the template or the console.
var AccessTokenInTemplate = &scan.Rule{
	ID:        "AMPLIFY-001",
	Aliases:   []string{"F41"},
	Title:     "Amplify app AccessToken is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::Amplify::App"},
	Doc: `AccessToken is the personal access token Amplify uses to read a GitHub
repository and install its webhook: whoever reads it can act on the
repository as its owner. Written as a literal, or taken from a parameter
with a Default, it sits in plain text in the template and in every copy of
it; a parameter without NoEcho shows it in the console and in
DescribeStacks. Use a Secrets Manager dynamic reference (CloudFormation
does not resolve ssm-secure references for Amplify) or a NoEcho parameter
without Default. Unlike cfn_nag, values supplied in a parameter file and
both branches of Fn::If are checked.

Bad:

~~~yaml
Resources:
  App:
    Type: AWS::Amplify::App
    Properties:
      Name: web
      Repository: https://github.com/example/web
      AccessToken: ghp_0123456789abcdefghijklmnopqrstuvwxyz
~~~

Good:

~~~yaml
Resources:
  App:
    Type: AWS::Amplify::App
    Properties:
      Name: web
      Repository: https://github.com/example/web
      AccessToken: "{{resolve:secretsmanager:github-token}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference or a NoEcho parameter without Default.",
	Check: check.CFNSecret([]string{check.SecretsManager}, "AccessToken"),
}
