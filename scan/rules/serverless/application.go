package serverless

import (
	"regexp"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// secretParameter matches parameter names that carry a secret, and
// notSecretParameter those that carry a reference to one or a setting.
var (
	secretParameter    = regexp.MustCompile(`(?i)(passw(or)?d|passwd|secret|token|api_?key|private_?key|access_?key|credential)`)
	notSecretParameter = regexp.MustCompile(`(?i)(arn|name|id|path|param|parameter|url|uri|length|ttl|expiry|expiration|rotation|enabled|version|type|policy)$`)
)

// ApplicationSecretParameter reports secrets passed in plain text to a
// nested SAM application.
var ApplicationSecretParameter = &scan.Rule{
	ID:        "SAM-007",
	Title:     "AWS SAM application is passed a secret in plain text",
	Severity:  scan.Failure,
	Resources: []string{"AWS::Serverless::Application"},
	Doc: `An AWS::Serverless::Application deploys a nested stack and passes it
Parameters. A parameter named like a secret (Password, Secret, Token,
ApiKey, PrivateKey, AccessKey, Credentials) whose value is written in the
parent template, as a literal or a parameter default, is in plain text in
the repository and in the parent stack, even when the nested application
declares it NoEcho. Pass a NoEcho parameter without Default through, or a
{{resolve:secretsmanager:...}} reference, or have the application read the
secret itself. Names ending in Arn, Name, Id, Path and the like hold a
reference and are not reported. There is no cfn_nag equivalent.

Bad:

~~~yaml
Database:
  Type: AWS::Serverless::Application
  Properties:
    Location:
      ApplicationId: arn:aws:serverlessrepo:us-east-1:111122223333:applications/postgres
      SemanticVersion: 1.2.0
    Parameters:
      MasterPassword: hunter2hunter2
~~~

Good:

~~~yaml
Database:
  Type: AWS::Serverless::Application
  Properties:
    Location:
      ApplicationId: arn:aws:serverlessrepo:us-east-1:111122223333:applications/postgres
      SemanticVersion: 1.2.0
    Parameters:
      MasterPassword: "{{resolve:secretsmanager:prod/db:SecretString:password}}"
~~~
`,
	Fix: "Pass the secret through a NoEcho parameter without Default or a secretsmanager dynamic reference.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, params := range prop.Get(p.Eval, r, "Parameters") {
				if !params.Known() || params.Node.Kind != cfn.Map {
					continue
				}
				for _, pair := range params.Node.Pairs {
					if !secretParameter.MatchString(pair.Key) || notSecretParameter.MatchString(pair.Key) {
						continue
					}
					for _, v := range prop.Field(p.Eval, []prop.Val{params}, pair.Key) {
						s, ok := v.Str()
						if !ok || s == "" || strings.HasPrefix(s, "{{resolve:secretsmanager:") || strings.HasPrefix(s, "{{resolve:ssm-secure:") {
							continue
						}
						rep.Report(r, v, "parameter %s of the nested application is written in the template in plain text", pair.Key)
					}
				}
			}
		}
	},
}
