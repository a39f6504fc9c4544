package codepipeline

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// secretsManagerOnly is what keeps a pipeline secret out of the template:
// CloudFormation resolves {{resolve:ssm-secure:...}} only for a short list
// of resource types, and CodePipeline's are not among them.
var secretsManagerOnly = []string{check.SecretsManager}

// secretProblem says why v, a secret, is not kept secret, or "".
func secretProblem(t *cfn.Template, v prop.Val) string {
	if s, ok := v.Str(); ok && strings.HasPrefix(s, check.SSMSecure) {
		return "uses {{resolve:ssm-secure:...}}, which CloudFormation does not resolve for CodePipeline (the deploy fails); use {{resolve:secretsmanager:...}}"
	}
	return check.CICDSecretProblem(t, v, secretsManagerOnly)
}

// WebhookSecretToken reports webhook secret tokens written in the
// template.
var WebhookSecretToken = &scan.Rule{
	ID:        "CODEPIPELINE-001",
	Aliases:   []string{"F69"},
	Title:     "CodePipeline webhook secret token is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::CodePipeline::Webhook"},
	Doc: `The SecretToken of a GITHUB_HMAC webhook is the key that proves a
call comes from your repository host. Written as a literal or a parameter
Default it sits in plain text in the template and every copy of it; from a
parameter without NoEcho it shows in the console. Anyone holding it can
trigger the pipeline with a forged event. Use a Secrets Manager dynamic
reference or a NoEcho parameter without Default.

cfn_nag also accepts {{resolve:ssm-secure:...}}; CloudFormation does not
resolve that reference for CodePipeline webhooks and fails the deploy, so
it is reported here with its own message.

Bad:

~~~yaml
Hook:
  Type: AWS::CodePipeline::Webhook
  Properties:
    Authentication: GITHUB_HMAC
    AuthenticationConfiguration:
      SecretToken: 0123456789abcdef
    TargetPipeline: !Ref Pipeline
    TargetAction: Source
    TargetPipelineVersion: 1
    Filters: [{JsonPath: $.ref, MatchEquals: refs/heads/main}]
~~~

Good:

~~~yaml
Hook:
  Type: AWS::CodePipeline::Webhook
  Properties:
    Authentication: GITHUB_HMAC
    AuthenticationConfiguration:
      SecretToken: "{{resolve:secretsmanager:github-webhook:SecretString:token}}"
    TargetPipeline: !Ref Pipeline
    TargetAction: Source
    TargetPipelineVersion: 1
    Filters: [{JsonPath: $.ref, MatchEquals: refs/heads/main}]
~~~
`,
	Fix: "Use {{resolve:secretsmanager:...}} or a NoEcho parameter without Default for SecretToken.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "AuthenticationConfiguration", "SecretToken") {
				if why := secretProblem(p.Template, v); why != "" {
					rep.Report(r, v, "SecretToken %s", why)
				}
			}
		}
	},
}

// OAuthToken reports source action OAuth tokens written in the template.
var OAuthToken = &scan.Rule{
	ID:        "CODEPIPELINE-002",
	Title:     "CodePipeline action OAuth token is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::CodePipeline::Pipeline"},
	Doc: `A GitHub (version 1) source action authenticates with a personal
access token in Configuration.OAuthToken. Written as a literal or a
parameter Default it sits in plain text in the template; from a parameter
without NoEcho it shows in the console. The token usually grants access to
every repository of its owner. Use a Secrets Manager dynamic reference, or
better, a CodeStar connection (CodeStarSourceConnection), which needs no
token at all.

Bad:

~~~yaml
Pipeline:
  Type: AWS::CodePipeline::Pipeline
  Properties:
    RoleArn: !GetAtt PipelineRole.Arn
    Stages:
      - Name: Source
        Actions:
          - Name: Source
            ActionTypeId: {Category: Source, Owner: ThirdParty, Provider: GitHub, Version: "1"}
            Configuration:
              Owner: acme
              Repo: app
              Branch: main
              OAuthToken: ghp_0123456789abcdef
~~~

Good:

~~~yaml
Pipeline:
  Type: AWS::CodePipeline::Pipeline
  Properties:
    RoleArn: !GetAtt PipelineRole.Arn
    Stages:
      - Name: Source
        Actions:
          - Name: Source
            ActionTypeId: {Category: Source, Owner: ThirdParty, Provider: GitHub, Version: "1"}
            Configuration:
              Owner: acme
              Repo: app
              Branch: main
              OAuthToken: "{{resolve:secretsmanager:github:SecretString:token}}"
~~~
`,
	Fix: "Use a CodeStar connection, or {{resolve:secretsmanager:...}} / a NoEcho parameter without Default for OAuthToken.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			actions := prop.Items(p.Eval, prop.Field(p.Eval, prop.Items(p.Eval, prop.Get(p.Eval, r, "Stages")), "Actions"))
			for _, v := range prop.Field(p.Eval, prop.Field(p.Eval, actions, "Configuration"), "OAuthToken") {
				if why := secretProblem(p.Template, v); why != "" {
					rep.Report(r, v, "OAuthToken %s", why)
				}
			}
		}
	},
}
