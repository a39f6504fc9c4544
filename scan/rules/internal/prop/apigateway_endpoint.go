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

// APIGatewayConsistent reports whether two values can hold together once
// the parameter one of them comes from is known. The evaluator keeps both
// branches of a condition that depends on a parameter default, so an
// endpoint type taken from the default EDGE would otherwise meet a
// certificate chosen by !If [IsRegional, ...] on the REGIONAL branch,
// although IsRegional is false exactly when the default applies. Each value
// from a parameter default or allowed value decides the conditions of the
// other as if that value were supplied.
func APIGatewayConsistent(t *cfn.Template, a, b Val) bool {
	return paramAgrees(t, a, b) && paramAgrees(t, b, a)
}

// paramAgrees reports whether b's conditions can hold when a's parameter
// has a's value.
func paramAgrees(t *cfn.Template, a, b Val) bool {
	if len(b.Conds) == 0 || a.Param == "" || (a.Origin != cfn.ParamDefault && a.Origin != cfn.ParamAllowed) {
		return true
	}
	s, ok := a.Str()
	if !ok {
		return true
	}
	e := cfn.NewEvaluator(t, map[string]string{a.Param: s})
	for _, c := range b.Conds {
		name, negated := strings.CutPrefix(c, "!")
		if v, decided := e.Condition(name); decided && v == negated {
			return false
		}
	}
	return true
}
