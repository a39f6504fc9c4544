package serverless

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// accessLogKey is the access log property of a SAM API type.
func accessLogKey(r *cfn.Resource) string {
	if r.Type == "AWS::Serverless::HttpApi" {
		return "AccessLogSettings"
	}
	return "AccessLogSetting"
}

// APIAccessLogging reports SAM APIs without access logs.
var APIAccessLogging = &scan.Rule{
	ID:        "SAM-004",
	Title:     "AWS SAM API does not write access logs",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Serverless::Api", "AWS::Serverless::HttpApi"},
	Doc: `Without AccessLogSetting (AccessLogSettings for an HttpApi) the stage
SAM creates logs no requests: who called what, from where and with what
result cannot be told after an incident. A setting in Globals.Api or
Globals.HttpApi counts. This is the SAM counterpart of cfn_nag's W69 on
AWS::ApiGateway::Stage and W46 on AWS::ApiGatewayV2::Stage, which cfn_nag
cannot apply before the transform; the finding is the API's and can be
suppressed there.

Bad:

~~~yaml
Api:
  Type: AWS::Serverless::Api
  Properties:
    StageName: prod
~~~

Good:

~~~yaml
Api:
  Type: AWS::Serverless::Api
  Properties:
    StageName: prod
    AccessLogSetting:
      DestinationArn: !GetAtt ApiLogs.Arn
      Format: '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","status":"$context.status"}'
~~~
`,
	Fix: "Add AccessLogSetting (HttpApi: AccessLogSettings) with a CloudWatch Logs destination.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			key := accessLogKey(r)
			for _, v := range prop.ServerlessGet(p.Eval, p.Template, r, key) {
				if v.Absent {
					rep.Report(r, v.Val, "API does not write access logs: %s is not set", key)
				}
			}
		}
	},
}

// SimpleTableEncryption reports SAM simple tables without server-side
// encryption with KMS.
var SimpleTableEncryption = &scan.Rule{
	ID:        "SAM-005",
	Title:     "AWS SAM simple table does not turn on server-side encryption with KMS",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Serverless::SimpleTable"},
	Doc: `DynamoDB encrypts every table at rest, by default with a key AWS owns
and manages out of your sight. With SSESpecification.SSEEnabled true the
table uses a KMS key whose use CloudTrail records and whose key policy you
control. An SSESpecification in Globals.SimpleTable counts; "true" as a
string counts. This is the SAM counterpart of the DynamoDB table checks,
reported at the SimpleTable.

Bad:

~~~yaml
Sessions:
  Type: AWS::Serverless::SimpleTable
  Properties:
    PrimaryKey: {Name: id, Type: String}
~~~

Good:

~~~yaml
Sessions:
  Type: AWS::Serverless::SimpleTable
  Properties:
    PrimaryKey: {Name: id, Type: String}
    SSESpecification:
      SSEEnabled: true
~~~
`,
	Fix: "Add SSESpecification with SSEEnabled: true.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.ServerlessGet(p.Eval, p.Template, r, "SSESpecification", "SSEEnabled") {
				if v.NotTrue() {
					rep.Report(r, v.Val, "table is not encrypted with a KMS key: %s%s", v.State("SSEEnabled"), v.From())
				}
			}
		}
	},
}

// APIDomainTLS reports SAM API custom domains that accept TLS 1.0.
var APIDomainTLS = &scan.Rule{
	ID:        "SAM-006",
	Title:     "AWS SAM API custom domain accepts TLS 1.0",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Serverless::Api", "AWS::Serverless::HttpApi"},
	Doc: `Domain.SecurityPolicy TLS_1_0 lets clients connect to the API's
custom domain with TLS 1.0 and 1.1, which are deprecated (RFC 8996) and
fail PCI DSS. Use TLS_1_2. A setting in Globals.Api or Globals.HttpApi
counts. This is the SAM counterpart of the check on
AWS::ApiGateway::DomainName, reported at the SAM API.

Bad:

~~~yaml
Api:
  Type: AWS::Serverless::Api
  Properties:
    StageName: prod
    Domain:
      DomainName: api.example.com
      CertificateArn: !Ref Certificate
      SecurityPolicy: TLS_1_0
~~~

Good:

~~~yaml
Api:
  Type: AWS::Serverless::Api
  Properties:
    StageName: prod
    Domain:
      DomainName: api.example.com
      CertificateArn: !Ref Certificate
      SecurityPolicy: TLS_1_2
~~~
`,
	Fix: "Set Domain.SecurityPolicy to TLS_1_2.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.ServerlessGet(p.Eval, p.Template, r, "Domain", "SecurityPolicy") {
				if s, ok := v.Str(); ok && s == "TLS_1_0" {
					rep.Report(r, v.Val, "custom domain accepts TLS 1.0: SecurityPolicy is TLS_1_0%s", v.From())
				}
			}
		}
	},
}
