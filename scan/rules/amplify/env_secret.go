package amplify

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// EnvironmentSecret reports Amplify environment variables that look like
// secrets and whose value is written in the template.
var EnvironmentSecret = &scan.Rule{
	ID:        "AMPLIFY-004",
	Title:     "Amplify environment variable holds a secret in plain text",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Amplify::App", "AWS::Amplify::Branch"},
	Doc: `Amplify environment variables are configuration, not secret storage: they
are shown in the Amplify console and returned by GetApp and GetBranch to
anyone who may read the app, and a value written in the template also sits
in every copy of it. Amplify's documentation says to keep secrets in
Secrets Manager or SSM SecureString parameters and read them at build time.
The rule reports variables whose name ends in password, secret, token or a
secret key (API_KEY, PRIVATE_KEY), not in a pointer to one (DB_PASSWORD_ARN,
TOKEN_URL), and whose value is a literal, a parameter default or a parameter without
NoEcho. It looks at the app's EnvironmentVariables, those it gives new
branches (AutoBranchCreationConfig) and each branch's. cfn_nag has no such
check.

Bad:

~~~yaml
Resources:
  App:
    Type: AWS::Amplify::App
    Properties:
      Name: web
      EnvironmentVariables:
        - Name: STRIPE_SECRET_KEY
          Value: sk_live_0123456789
~~~

Good:

~~~yaml
Resources:
  App:
    Type: AWS::Amplify::App
    Properties:
      Name: web
      EnvironmentVariables:
        - Name: STRIPE_SECRET_KEY_ARN
          Value: !Ref StripeSecret
~~~
`,
	Fix:   "Keep the secret in Secrets Manager or an SSM SecureString and read it at build time; pass only its name or ARN.",
	Check: checkEnvironmentSecret,
}

func checkEnvironmentSecret(p *scan.Pass) {
	rep := prop.NewReporter(p)
	for _, r := range p.Resources() {
		lists := prop.Get(p.Eval, r, "EnvironmentVariables")
		if r.Type == "AWS::Amplify::App" {
			lists = append(lists, prop.Get(p.Eval, r, "AutoBranchCreationConfig", "EnvironmentVariables")...)
		}
		reportSecretVariables(p.Template, rep, r, prop.Items(p.Eval, lists), p.Eval)
	}
}

// reportSecretVariables reports the Name/Value items whose name looks like
// a secret and whose value is not kept secret.
func reportSecretVariables(t *cfn.Template, rep *prop.Reporter, r *cfn.Resource, items []prop.Val, e *cfn.Evaluator) {
	for _, item := range items {
		for _, n := range prop.Field(e, []prop.Val{item}, "Name") {
			name, ok := n.Str()
			if !ok || !check.CFNSecretName(name) {
				continue
			}
			for _, v := range prop.Field(e, []prop.Val{item}, "Value") {
				if !prop.Compatible(n.Conds, v.Conds) {
					continue
				}
				if s, ok := v.Str(); ok && s == "" {
					continue
				}
				if why := check.CFNSecretProblem(t, v, []string{check.SecretsManager}); why != "" {
					rep.Report(r, v, "environment variable %s looks like a secret and its value %s", name, why)
				}
			}
		}
	}
}
