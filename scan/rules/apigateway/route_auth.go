package apigateway

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// V2RouteNoAuthorization reports HTTP API routes and WebSocket $connect
// routes anyone can call.
var V2RouteNoAuthorization = &scan.Rule{
	ID:        "APIGW-013",
	Title:     "HTTP or WebSocket API route has no authorization",
	Severity:  scan.Warning,
	Resources: []string{typeV2Route},
	Doc: `A route with AuthorizationType NONE (the default) can be called by
anyone on the internet. Use JWT, AWS_IAM or a CUSTOM (Lambda) authorizer.
WebSocket APIs authorize only the $connect route, so their other routes
($disconnect, $default, custom route keys) are not reported; nor are
OPTIONS routes, which answer CORS preflight requests.

Bad:

~~~yaml
GetItems:
  Type: AWS::ApiGatewayV2::Route
  Properties:
    ApiId: !Ref HttpApi
    RouteKey: GET /items
    Target: !Sub integrations/${Integration}
~~~

Good:

~~~yaml
GetItems:
  Type: AWS::ApiGatewayV2::Route
  Properties:
    ApiId: !Ref HttpApi
    RouteKey: GET /items
    AuthorizationType: JWT
    AuthorizerId: !Ref Authorizer
    Target: !Sub integrations/${Integration}
~~~
`,
	Fix: "Set AuthorizationType (JWT, AWS_IAM or CUSTOM) and an AuthorizerId.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			protocol := apiProtocol(p.Eval, p.Template, r)
			for _, key := range prop.Get(p.Eval, r, "RouteKey") {
				k, ok := key.Str()
				if !ok {
					continue
				}
				if !authorizable(k, protocol) {
					continue
				}
				for _, a := range prop.Get(p.Eval, r, "AuthorizationType") {
					s, known := a.Str()
					if !a.Absent && (!known || !strings.EqualFold(strings.TrimSpace(s), "NONE")) {
						continue
					}
					if both, ok := prop.Both(a, key); ok {
						rep.Report(r, both, "route %q of %s can be called without authorization: %s", k, r.ID, a.State("AuthorizationType"))
					}
				}
			}
		}
	},
}

// authorizable reports whether a route with this key can and should carry
// authorization.
func authorizable(key, protocol string) bool {
	switch {
	case strings.HasPrefix(strings.ToUpper(key), "OPTIONS "):
		return false
	case key == "$connect":
		return true
	case protocol == "WEBSOCKET":
		return false
	case strings.HasPrefix(key, "$"):
		// $default is an HTTP API catch-all too; other $ keys are WebSocket.
		return key == "$default" && protocol == "HTTP"
	}
	// An HTTP route key is "METHOD /path"; a WebSocket one is a bare name.
	return protocol == "HTTP" || (protocol == "" && strings.Contains(key, " /"))
}

// apiProtocol returns the ProtocolType of the route's API when the template
// declares it (HTTP or WEBSOCKET), or "".
func apiProtocol(e *cfn.Evaluator, t *cfn.Template, route *cfn.Resource) string {
	for _, v := range prop.Get(e, route, "ApiId") {
		api := t.Resource(refTarget(v))
		if api == nil || api.Type != typeV2API {
			continue
		}
		for _, pt := range prop.Get(e, api, "ProtocolType") {
			if s, ok := pt.Str(); ok {
				return strings.ToUpper(s)
			}
		}
	}
	return ""
}
