package codepipeline

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// WebhookUnauthenticated reports webhooks that accept calls from anyone.
var WebhookUnauthenticated = &scan.Rule{
	ID:        "CODEPIPELINE-004",
	Title:     "CodePipeline webhook accepts unauthenticated calls",
	Severity:  scan.Warning,
	Resources: []string{"AWS::CodePipeline::Webhook"},
	Doc: `With Authentication UNAUTHENTICATED, the webhook URL starts the
pipeline for any caller who finds it: no secret, no IP restriction. Anyone
can then run your builds at will, and with crafted payloads steer which
revision is deployed. Use GITHUB_HMAC with a secret token, or IP with the
repository host's address ranges.

Bad:

~~~yaml
Hook:
  Type: AWS::CodePipeline::Webhook
  Properties:
    Authentication: UNAUTHENTICATED
    AuthenticationConfiguration: {}
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
	Fix: "Set Authentication: GITHUB_HMAC with a SecretToken from Secrets Manager (or IP with AllowedIPRange).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "Authentication") {
				if s, ok := v.Str(); ok && s == "UNAUTHENTICATED" {
					rep.Report(r, v, "CodePipeline webhook accepts calls from anyone: Authentication is UNAUTHENTICATED")
				}
			}
		}
	},
}
