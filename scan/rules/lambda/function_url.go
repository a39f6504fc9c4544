package lambda

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// FunctionURLNoAuth reports function URLs anyone can call.
var FunctionURLNoAuth = &scan.Rule{
	ID:        "LAMBDA-013",
	Title:     "Lambda function URL does not require authentication",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Lambda::Url", "AWS::Serverless::Function"},
	Doc: `A function URL with AuthType NONE is a public HTTPS endpoint: anyone
on the internet who finds it can invoke the function, as often as they like,
at your cost. Use AuthType AWS_IAM and sign requests, or put the function
behind API Gateway with an authorizer. A webhook that checks a signature
itself may be public by design; suppress the finding there with that reason.
For AWS SAM functions FunctionUrlConfig (also in Globals.Function) is read.
There is no cfn_nag equivalent.

Bad:

~~~yaml
WebhookUrl:
  Type: AWS::Lambda::Url
  Properties:
    TargetFunctionArn: !GetAtt Webhook.Arn
    AuthType: NONE
~~~

Good:

~~~yaml
WebhookUrl:
  Type: AWS::Lambda::Url
  Properties:
    TargetFunctionArn: !GetAtt Webhook.Arn
    AuthType: AWS_IAM
~~~
`,
	Fix: "Set AuthType to AWS_IAM, or front the function with an authenticated API.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			keys := []string{"AuthType"}
			if r.Type == "AWS::Serverless::Function" {
				keys = []string{"FunctionUrlConfig", "AuthType"}
			}
			for _, v := range prop.ServerlessGet(p.Eval, p.Template, r, keys...) {
				if s, ok := v.Str(); ok && s == "NONE" {
					rep.Report(r, v.Val, "function URL has AuthType NONE: anyone on the internet can invoke the function%s", v.From())
				}
			}
		}
	},
}

// LayerPublic reports layer versions shared with every account.
var LayerPublic = &scan.Rule{
	ID:        "LAMBDA-014",
	Title:     "Lambda layer version is shared with every AWS account",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Lambda::LayerVersionPermission"},
	Doc: `A LayerVersionPermission with Principal "*" and no OrganizationId
lets every AWS account download the layer's content, which often carries
internal code, configuration or credentials bundled by mistake. Share the
layer with named accounts, or with your organization through
OrganizationId. Layers published for the public on purpose can suppress
the finding with that reason. There is no cfn_nag equivalent.

Bad:

~~~yaml
SharedLayerAccess:
  Type: AWS::Lambda::LayerVersionPermission
  Properties:
    Action: lambda:GetLayerVersion
    LayerVersionArn: !Ref SharedLayer
    Principal: "*"
~~~

Good:

~~~yaml
SharedLayerAccess:
  Type: AWS::Lambda::LayerVersionPermission
  Properties:
    Action: lambda:GetLayerVersion
    LayerVersionArn: !Ref SharedLayer
    Principal: "*"
    OrganizationId: o-a1b2c3d4e5
~~~
`,
	Fix: "Name the accounts that use the layer, or set OrganizationId.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "Principal") {
				if s, ok := v.Str(); !ok || s != "*" {
					continue
				}
				if w, ok := missing(p, r, v, "OrganizationId"); ok {
					rep.Report(r, w, "layer version is shared with every AWS account: Principal is \"*\" and OrganizationId is not set")
				}
			}
		}
	},
}
