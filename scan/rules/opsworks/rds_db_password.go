package opsworks

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// RdsDbPasswordInTemplate reports the passwords of RDS instances
// registered with an OpsWorks stack that end up in the template or the
// console.
var RdsDbPasswordInTemplate = &scan.Rule{
	ID:        "OPSWORKS-001",
	Aliases:   []string{"F54"},
	Title:     "OpsWorks stack RDS database password is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::OpsWorks::Stack"},
	Doc: `Each entry of a stack's RdsDbInstances registers an RDS instance with
OpsWorks together with its database user and password, which OpsWorks then
hands to the apps it deploys. Written as a literal, or taken from a
parameter with a Default, the DbPassword sits in plain text in the template
and in every copy of it; a parameter without NoEcho shows it in the console
and in DescribeStacks. Use a dynamic reference to Secrets Manager or an SSM
SecureString, or a NoEcho parameter without Default. Unlike cfn_nag, values
supplied in a parameter file and both branches of Fn::If are checked.

Bad:

~~~yaml
Resources:
  Stack:
    Type: AWS::OpsWorks::Stack
    Properties:
      Name: web
      RdsDbInstances:
        - RdsDbInstanceArn: !Sub "arn:aws:rds:${AWS::Region}:${AWS::AccountId}:db:web"
          DbUser: app
          DbPassword: Sup3rS3cret!
~~~

Good:

~~~yaml
Resources:
  Stack:
    Type: AWS::OpsWorks::Stack
    Properties:
      Name: web
      RdsDbInstances:
        - RdsDbInstanceArn: !Sub "arn:aws:rds:${AWS::Region}:${AWS::AccountId}:db:web"
          DbUser: app
          DbPassword: "{{resolve:ssm-secure:/web/db-password:1}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} or {{resolve:ssm-secure:...}} dynamic reference, or a NoEcho parameter without Default.",
	Check: checkRdsDbPassword,
}

func checkRdsDbPassword(p *scan.Pass) {
	rep := prop.NewReporter(p)
	allowed := []string{check.SecretsManager, check.SSMSecure}
	for _, r := range p.Resources() {
		items := prop.Items(p.Eval, prop.Get(p.Eval, r, "RdsDbInstances"))
		for _, v := range prop.Field(p.Eval, items, "DbPassword") {
			if why := check.CFNSecretProblem(p.Template, v, allowed); why != "" {
				rep.Report(r, v, "DbPassword %s", why)
			}
		}
	}
}
