package apigateway

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// StageTracing reports REST API stages without X-Ray tracing.
var StageTracing = &scan.Rule{
	ID:        "APIGW-010",
	Title:     "API Gateway stage has no X-Ray tracing",
	Severity:  scan.Info,
	Resources: []string{typeStage, typeDeployment},
	Doc: `With TracingEnabled, API Gateway records an X-Ray trace of each request
through the stage and into its integrations, which is how a slow or failing
request is followed across services (AWS Security Hub control
APIGateway.3). It is off by default. For a deployment that creates its
stage (StageName), the setting is StageDescription.TracingEnabled.

Bad:

~~~yaml
Prod:
  Type: AWS::ApiGateway::Stage
  Properties:
    RestApiId: !Ref Api
    DeploymentId: !Ref Deployment
~~~

Good:

~~~yaml
Prod:
  Type: AWS::ApiGateway::Stage
  Properties:
    RestApiId: !Ref Api
    DeploymentId: !Ref Deployment
    TracingEnabled: true
~~~
`,
	Fix: "Set TracingEnabled: true (StageDescription.TracingEnabled for a deployment's stage).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			vals := prop.Properties(p.Eval, r)
			what := "stage " + r.ID + " is not traced"
			if r.Type == typeDeployment {
				var creating []prop.Val
				for _, v := range vals {
					if createsStage(p.Eval, r, v) {
						creating = append(creating, v)
					}
				}
				what = "stage created by deployment " + r.ID + " is not traced"
				vals = requirePath(p, rep, r, creating, what, "StageDescription")
			}
			for _, v := range prop.Field(p.Eval, vals, "TracingEnabled") {
				if v.NotTrue() {
					rep.Report(r, v, "%s: %s", what, v.State("TracingEnabled"))
				}
			}
		}
	},
}

// DataTrace reports stages that log full requests and responses.
var DataTrace = &scan.Rule{
	ID:        "APIGW-012",
	Title:     "API Gateway stage logs full request and response data",
	Severity:  scan.Warning,
	Resources: []string{typeStage, typeDeployment},
	Doc: `DataTraceEnabled writes the full body and headers of each request and
response to CloudWatch Logs: passwords, tokens and personal data end up in
a log group that many more people can read than the API's data. AWS
recommends against it for production APIs; enable it briefly to debug, not
in a template.

Bad:

~~~yaml
Prod:
  Type: AWS::ApiGateway::Stage
  Properties:
    RestApiId: !Ref Api
    DeploymentId: !Ref Deployment
    MethodSettings:
      - ResourcePath: /*
        HttpMethod: '*'
        LoggingLevel: INFO
        DataTraceEnabled: true
~~~

Good:

~~~yaml
Prod:
  Type: AWS::ApiGateway::Stage
  Properties:
    RestApiId: !Ref Api
    DeploymentId: !Ref Deployment
    MethodSettings:
      - ResourcePath: /*
        HttpMethod: '*'
        LoggingLevel: ERROR
        DataTraceEnabled: false
~~~
`,
	Fix: "Remove DataTraceEnabled or set it to false.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			settings := prop.Items(p.Eval, prop.Get(p.Eval, r, "MethodSettings"))
			if r.Type == typeDeployment {
				desc := present(prop.Get(p.Eval, r, "StageDescription"))
				settings = append(desc, prop.Items(p.Eval, prop.Field(p.Eval, desc, "MethodSettings"))...)
			}
			for _, v := range prop.Field(p.Eval, settings, "DataTraceEnabled") {
				if v.True() {
					rep.Report(r, v, "%s logs full requests and responses: %s", r.ID, v.State("DataTraceEnabled"))
				}
			}
		}
	},
}
