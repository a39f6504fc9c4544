package amplify

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// OauthTokenInTemplate reports Amplify apps whose repository OAuth token
// ends up in the template or the console.
var OauthTokenInTemplate = &scan.Rule{
	ID:        "AMPLIFY-002",
	Aliases:   []string{"F58"},
	Title:     "Amplify app OauthToken is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::Amplify::App"},
	Doc: `OauthToken is the OAuth token Amplify uses to read a Bitbucket or
CodeCommit repository and create its webhook and deploy key: whoever reads
it can act on the repository. Written as a literal, or taken from a
parameter with a Default, it sits in plain text in the template and in
every copy of it; a parameter without NoEcho shows it in the console and
in DescribeStacks. Use a Secrets Manager dynamic reference (CloudFormation
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
      Repository: https://bitbucket.org/example/web
      OauthToken: 9f8e7d6c5b4a
~~~

Good:

~~~yaml
Resources:
  App:
    Type: AWS::Amplify::App
    Properties:
      Name: web
      Repository: https://bitbucket.org/example/web
      OauthToken: "{{resolve:secretsmanager:bitbucket-token}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference or a NoEcho parameter without Default.",
	Check: check.CFNSecret([]string{check.SecretsManager}, "OauthToken"),
}
