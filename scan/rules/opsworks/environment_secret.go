package opsworks

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// EnvironmentSecret reports app environment variables that look like
// secrets but are not marked Secure, or whose value is written in the
// template.
var EnvironmentSecret = &scan.Rule{
	ID:        "OPSWORKS-005",
	Title:     "OpsWorks app environment variable holds a secret in the open",
	Severity:  scan.Warning,
	Resources: []string{"AWS::OpsWorks::App"},
	Doc: `An OpsWorks app's Environment variables are shown in the OpsWorks console
and returned by DescribeApps unless the entry sets Secure: true, which OpsWorks
provides precisely for passwords and keys. The rule reports variables whose
name ends in password, secret, token or a secret key (API_KEY, PRIVATE_KEY),
not in a pointer to one (DB_PASSWORD_ARN), when Secure is not true, and, when
it is, still
reports a value written in the template itself (a literal, a parameter
default or a parameter without NoEcho). cfn_nag has no such check.

Bad:

~~~yaml
Resources:
  App:
    Type: AWS::OpsWorks::App
    Properties:
      StackId: !Ref Stack
      Name: web
      Type: other
      Environment:
        - Key: DB_PASSWORD
          Value: !Ref DbPassword
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
      Environment:
        - Key: DB_PASSWORD
          Value: !Ref DbPassword   # a NoEcho parameter without Default
          Secure: true
~~~
`,
	Fix:   "Set Secure: true on the variable and pass its value through a NoEcho parameter or a dynamic reference.",
	Check: checkEnvironmentSecret,
}

func checkEnvironmentSecret(p *scan.Pass) {
	rep := prop.NewReporter(p)
	allowed := []string{check.SecretsManager, check.SSMSecure}
	for _, r := range p.Resources() {
		for _, item := range prop.Items(p.Eval, prop.Get(p.Eval, r, "Environment")) {
			for _, k := range prop.Field(p.Eval, []prop.Val{item}, "Key") {
				name, ok := k.Str()
				if !ok || !check.CFNSecretName(name) {
					continue
				}
				reported := false
				for _, s := range prop.Field(p.Eval, []prop.Val{item}, "Secure") {
					if prop.Compatible(k.Conds, s.Conds) && s.NotTrue() {
						rep.Report(r, s, "environment variable %s looks like a secret but %s, so its value shows in the console and API", name, s.State("Secure"))
						reported = true
					}
				}
				if reported {
					continue
				}
				for _, v := range prop.Field(p.Eval, []prop.Val{item}, "Value") {
					if !prop.Compatible(k.Conds, v.Conds) {
						continue
					}
					if why := check.CFNSecretProblem(p.Template, v, allowed); why != "" {
						rep.Report(r, v, "environment variable %s looks like a secret and its value %s", name, why)
					}
				}
			}
		}
	}
}
