package apigateway

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// MethodNoAuthorization reports REST API methods anyone can call.
var MethodNoAuthorization = &scan.Rule{
	ID:        "APIGW-003",
	Aliases:   []string{"W59"},
	Title:     "API Gateway method has no authorization",
	Severity:  scan.Warning,
	Resources: []string{typeMethod},
	Doc: `AuthorizationType NONE (also the default when it is not set) lets anyone
on the internet call the method; API keys do not change that, as they are
meant for usage plans, not for authorization. Use IAM, a Cognito user
pool or a Lambda authorizer. OPTIONS methods answer CORS preflight requests,
which browsers send without credentials, and are not reported.

Bad:

~~~yaml
GetItems:
  Type: AWS::ApiGateway::Method
  Properties:
    RestApiId: !Ref Api
    ResourceId: !Ref Items
    HttpMethod: GET
    AuthorizationType: NONE
~~~

Good:

~~~yaml
GetItems:
  Type: AWS::ApiGateway::Method
  Properties:
    RestApiId: !Ref Api
    ResourceId: !Ref Items
    HttpMethod: GET
    AuthorizationType: COGNITO_USER_POOLS
    AuthorizerId: !Ref Authorizer
~~~
`,
	Fix: "Set AuthorizationType to AWS_IAM, COGNITO_USER_POOLS or CUSTOM with an AuthorizerId.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			methods := prop.Get(p.Eval, r, "HttpMethod")
			for _, a := range prop.Get(p.Eval, r, "AuthorizationType") {
				s, known := a.Str()
				if !a.Absent && (!known || !strings.EqualFold(strings.TrimSpace(s), "NONE")) {
					continue
				}
				for _, m := range methods {
					if ms, ok := m.Str(); ok && strings.EqualFold(ms, "OPTIONS") {
						continue
					}
					if both, ok := prop.Both(a, m); ok {
						rep.Report(r, both, "method %s can be called without authorization: %s", r.ID, a.State("AuthorizationType"))
						break
					}
				}
			}
		}
	},
}
