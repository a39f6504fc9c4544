package apigateway

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// DeploymentAccessLogging reports deployments that create a stage without
// access logging.
var DeploymentAccessLogging = &scan.Rule{
	ID:        "APIGW-001",
	Aliases:   []string{"W45"},
	Title:     "API Gateway deployment creates a stage without access logging",
	Severity:  scan.Warning,
	Resources: []string{typeDeployment, typeStage},
	Doc: `A deployment with a StageName creates that stage itself, configured by
StageDescription. Without StageDescription.AccessLogSetting the stage
writes no access log: nobody can tell afterwards who called the API, from
where, and with what result. A setting without a DestinationArn logs
nothing either.

cfn_nag also reports deployments that create no stage (no StageName)
unless some Stage names them; such a deployment has no traffic of its own,
and the Stage is checked by APIGW-007, so this rule leaves it alone.

Bad:

~~~yaml
Deployment:
  Type: AWS::ApiGateway::Deployment
  Properties:
    RestApiId: !Ref Api
    StageName: prod
~~~

Good:

~~~yaml
Deployment:
  Type: AWS::ApiGateway::Deployment
  Properties:
    RestApiId: !Ref Api
    StageName: prod
    StageDescription:
      AccessLogSetting:
        DestinationArn: !GetAtt AccessLogs.Arn
        Format: '$context.requestId $context.identity.sourceIp $context.status'
~~~
`,
	Fix: "Add StageDescription.AccessLogSetting with a DestinationArn, or declare the stage as an AWS::ApiGateway::Stage with AccessLogSetting.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			if r.Type != typeDeployment {
				continue
			}
			var vals []prop.Val
			for _, v := range prop.Properties(p.Eval, r) {
				if createsStage(p.Eval, r, v) {
					vals = append(vals, v)
				}
			}
			requirePath(p, rep, r, vals, "deployment "+r.ID+" creates a stage without access logging", "StageDescription", "AccessLogSetting", "DestinationArn")
		}
	},
}

// StageAccessLogging reports REST API stages without access logging.
var StageAccessLogging = &scan.Rule{
	ID:        "APIGW-007",
	Aliases:   []string{"W69"},
	Title:     "API Gateway stage has no access logging",
	Severity:  scan.Warning,
	Resources: []string{typeStage},
	Doc: `Access logs record each request to the stage: caller, source address,
method, path, status and latency. Without them an incident cannot be
investigated and abuse goes unnoticed. An AccessLogSetting without a
DestinationArn logs nothing, so it is reported too.

Bad:

~~~yaml
Prod:
  Type: AWS::ApiGateway::Stage
  Properties:
    RestApiId: !Ref Api
    DeploymentId: !Ref Deployment
    StageName: prod
~~~

Good:

~~~yaml
Prod:
  Type: AWS::ApiGateway::Stage
  Properties:
    RestApiId: !Ref Api
    DeploymentId: !Ref Deployment
    StageName: prod
    AccessLogSetting:
      DestinationArn: !GetAtt AccessLogs.Arn
      Format: '$context.requestId $context.identity.sourceIp $context.status'
~~~
`,
	Fix: "Add AccessLogSetting with a DestinationArn (a CloudWatch Logs group or Firehose stream).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			requirePath(p, rep, r, prop.Properties(p.Eval, r), "stage "+r.ID+" has no access logging", "AccessLogSetting", "DestinationArn")
		}
	},
}

// V2StageAccessLogging reports HTTP and WebSocket API stages without access
// logging.
var V2StageAccessLogging = &scan.Rule{
	ID:        "APIGW-002",
	Aliases:   []string{"W46"},
	Title:     "HTTP or WebSocket API stage has no access logging",
	Severity:  scan.Warning,
	Resources: []string{typeV2Stage},
	Doc: `Access logs record each request to the stage: caller, source address,
route, status and latency. Without AccessLogSettings (and its
DestinationArn) an HTTP or WebSocket API stage keeps no record of who
called it.

Bad:

~~~yaml
Stage:
  Type: AWS::ApiGatewayV2::Stage
  Properties:
    ApiId: !Ref Api
    StageName: $default
    AutoDeploy: true
~~~

Good:

~~~yaml
Stage:
  Type: AWS::ApiGatewayV2::Stage
  Properties:
    ApiId: !Ref Api
    StageName: $default
    AutoDeploy: true
    AccessLogSettings:
      DestinationArn: !GetAtt AccessLogs.Arn
      Format: '$context.requestId $context.identity.sourceIp $context.status'
~~~
`,
	Fix: "Add AccessLogSettings with a DestinationArn.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			requirePath(p, rep, r, prop.Properties(p.Eval, r), "stage "+r.ID+" has no access logging", "AccessLogSettings", "DestinationArn")
		}
	},
}
