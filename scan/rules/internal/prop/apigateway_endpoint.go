package prop

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
)

// APIGatewayEndpoint is one possible endpoint type of an API Gateway custom
// domain name or REST API.
type APIGatewayEndpoint struct {
	// Type is EDGE, REGIONAL or PRIVATE in upper case, or "" when the
	// template does not say before deploy.
	Type string
	// Val is where the type comes from: an item of EndpointConfiguration.Types,
	// or the missing property when the default (EDGE) applies. Its Conds and
	// Origin say when the type holds.
	Val Val
	// Default is set when no type is written and EDGE is the default.
	Default bool
}

// APIGatewayEndpoints returns the possible endpoint types of an
// AWS::ApiGateway::DomainName or AWS::ApiGateway::RestApi: the items of
// EndpointConfiguration.Types, EDGE when they are missing, and REGIONAL for
// an AWS::ApiGatewayV2::DomainName, which can be nothing else.
func APIGatewayEndpoints(e *cfn.Evaluator, r *cfn.Resource) []APIGatewayEndpoint {
	if r.Type == "AWS::ApiGatewayV2::DomainName" {
		return []APIGatewayEndpoint{{Type: "REGIONAL", Val: Properties(e, r)[0]}}
	}
	var out []APIGatewayEndpoint
	for _, v := range Get(e, r, "EndpointConfiguration", "Types") {
		if v.Absent {
			out = append(out, APIGatewayEndpoint{Type: "EDGE", Val: v, Default: true})
			continue
		}
		items := Items(e, []Val{v})
		if len(items) == 0 {
			out = append(out, APIGatewayEndpoint{Type: "EDGE", Val: v, Default: true})
		}
		for _, it := range items {
			s, _ := it.Str()
			out = append(out, APIGatewayEndpoint{Type: strings.ToUpper(strings.TrimSpace(s)), Val: it})
		}
	}
	return out
}

// Describe names the endpoint type for messages, saying when it is the
// default. Where a written type came from (a parameter, a branch) is left
// to the finding's suffix, which merges it with the other values involved.
func (ep APIGatewayEndpoint) Describe() string {
	if ep.Default {
		return ep.Type + " (the default when EndpointConfiguration.Types is not set)"
	}
	return ep.Type
}
