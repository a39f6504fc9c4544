package apigateway

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// PrivateAPIWithoutPolicy reports private REST APIs without a resource
// policy.
var PrivateAPIWithoutPolicy = &scan.Rule{
	ID:        "APIGW-011",
	Title:     "Private REST API has no resource policy",
	Severity:  scan.Failure,
	Resources: []string{typeRestAPI},
	Doc: `A PRIVATE REST API is reached only through interface VPC endpoints,
and only as its resource policy allows: without a Policy nobody can invoke
it, and API Gateway refuses to deploy it ("Private REST API doesn't have a
resource policy attached to it"). The policy should name the VPC endpoints
(aws:SourceVpce) or VPCs allowed. A Body whose OpenAPI document carries
x-amazon-apigateway-policy counts as a policy; an API imported from
BodyS3Location is not reported, as its document is not in the template.

Bad:

~~~yaml
Api:
  Type: AWS::ApiGateway::RestApi
  Properties:
    Name: internal
    EndpointConfiguration:
      Types: [PRIVATE]
~~~

Good:

~~~yaml
Api:
  Type: AWS::ApiGateway::RestApi
  Properties:
    Name: internal
    EndpointConfiguration:
      Types: [PRIVATE]
      VpcEndpointIds: [!Ref ApiEndpoint]
    Policy:
      Statement:
        - Effect: Allow
          Principal: "*"
          Action: execute-api:Invoke
          Resource: execute-api:/*
          Condition:
            StringEquals:
              aws:SourceVpce: !Ref ApiEndpoint
~~~
`,
	Fix: "Add a Policy that allows execute-api:Invoke from your VPC endpoints (aws:SourceVpce).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			if hasImportedBody(p.Eval, r) {
				continue
			}
			for _, ep := range prop.APIGatewayEndpoints(p.Eval, r) {
				if ep.Type != "PRIVATE" {
					continue
				}
				for _, pol := range prop.Get(p.Eval, r, "Policy") {
					if !pol.Absent {
						continue
					}
					if both, ok := because(p.Template, pol, ep.Val); ok {
						rep.Report(r, both, "REST API %s is %s but has no resource policy: Policy is not set", r.ID, ep.Describe())
					}
				}
			}
		}
	},
}

// hasImportedBody reports whether the API's definition comes from
// BodyS3Location or from a Body that may carry its own policy.
func hasImportedBody(e *cfn.Evaluator, r *cfn.Resource) bool {
	for _, v := range prop.Get(e, r, "BodyS3Location") {
		if !v.Absent {
			return true
		}
	}
	for _, v := range prop.Get(e, r, "Body") {
		if v.Absent {
			continue
		}
		if v.Node == nil || v.Node.Kind != cfn.Map || v.Origin == cfn.Unknown {
			return true // a JSON string or something built: cannot tell
		}
		if v.Node.Get("x-amazon-apigateway-policy") != nil {
			return true
		}
	}
	return false
}
