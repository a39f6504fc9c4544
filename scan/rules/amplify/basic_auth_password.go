package amplify

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// BasicAuthPasswordInTemplate reports Amplify basic-auth passwords that end
// up in the template or the console.
var BasicAuthPasswordInTemplate = &scan.Rule{
	ID:        "AMPLIFY-003",
	Aliases:   []string{"F50", "F60"},
	Title:     "Amplify basic authentication password is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::Amplify::App", "AWS::Amplify::Branch"},
	Doc: `BasicAuthConfig protects an Amplify app or branch (often a preview or
staging site) with a user name and password. Written as a literal, or taken
from a parameter with a Default, the password sits in plain text in the
template and in every copy of it; a parameter without NoEcho shows it in the
console and in DescribeStacks. Use a Secrets Manager dynamic reference
(CloudFormation does not resolve ssm-secure references for Amplify) or a
NoEcho parameter without Default. Beyond cfn_nag, the password an app gives
to automatically created branches (AutoBranchCreationConfig.BasicAuthConfig)
is checked too, with parameter files and both branches of Fn::If.

Bad:

~~~yaml
Resources:
  Staging:
    Type: AWS::Amplify::Branch
    Properties:
      AppId: !GetAtt App.AppId
      BranchName: staging
      BasicAuthConfig:
        Username: preview
        Password: letmein
~~~

Good:

~~~yaml
Resources:
  Staging:
    Type: AWS::Amplify::Branch
    Properties:
      AppId: !GetAtt App.AppId
      BranchName: staging
      BasicAuthConfig:
        Username: preview
        Password: "{{resolve:secretsmanager:staging-basic-auth:SecretString:password}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference or a NoEcho parameter without Default.",
	Check: checkBasicAuthPassword,
}

func checkBasicAuthPassword(p *scan.Pass) {
	rep := prop.NewReporter(p)
	allowed := []string{check.SecretsManager}
	for _, r := range p.Resources() {
		vals := prop.Get(p.Eval, r, "BasicAuthConfig", "Password")
		if r.Type == "AWS::Amplify::App" {
			vals = append(vals, prop.Get(p.Eval, r, "AutoBranchCreationConfig", "BasicAuthConfig", "Password")...)
		}
		for _, v := range vals {
			if why := check.CFNSecretProblem(p.Template, v, allowed); why != "" {
				rep.Report(r, v, "Password %s", why)
			}
		}
	}
}
