package opsworks

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// AppSourcePasswordInTemplate reports app repository passwords that end up
// in the template or the console.
var AppSourcePasswordInTemplate = &scan.Rule{
	ID:        "OPSWORKS-004",
	Aliases:   []string{"F67"},
	Title:     "OpsWorks app source repository password is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::OpsWorks::App"},
	Doc: `AppSource.Password is the password (or, for an S3 bundle, the secret
access key) OpsWorks uses to fetch the app's code. Written as a literal, or
taken from a parameter with a Default, it sits in plain text in the
template and in every copy of it; a parameter without NoEcho shows it in
the console and in DescribeStacks. Use a dynamic reference to Secrets
Manager or an SSM SecureString, or a NoEcho parameter without Default.
Unlike cfn_nag, values supplied in a parameter file and both branches of
Fn::If are checked.

Bad:

~~~yaml
Resources:
  App:
    Type: AWS::OpsWorks::App
    Properties:
      StackId: !Ref Stack
      Name: web
      Type: other
      AppSource:
        Type: git
        Url: https://git.example.com/web.git
        Username: deploy
        Password: hunter2
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
      AppSource:
        Type: git
        Url: https://git.example.com/web.git
        Username: deploy
        Password: "{{resolve:ssm-secure:/web/git-password:1}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} or {{resolve:ssm-secure:...}} dynamic reference, or a NoEcho parameter without Default.",
	Check: check.CFNSecret([]string{check.SecretsManager, check.SSMSecure}, "AppSource", "Password"),
}
