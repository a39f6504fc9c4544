package apigateway

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// Resource types of this package.
const (
	typeDeployment   = "AWS::ApiGateway::Deployment"
	typeStage        = "AWS::ApiGateway::Stage"
	typeMethod       = "AWS::ApiGateway::Method"
	typeUsagePlan    = "AWS::ApiGateway::UsagePlan"
	typeRestAPI      = "AWS::ApiGateway::RestApi"
	typeDomain       = "AWS::ApiGateway::DomainName"
	typeBasePath     = "AWS::ApiGateway::BasePathMapping"
	typeV2Stage      = "AWS::ApiGatewayV2::Stage"
	typeV2Route      = "AWS::ApiGatewayV2::Route"
	typeV2API        = "AWS::ApiGatewayV2::Api"
	typeV2Domain     = "AWS::ApiGatewayV2::DomainName"
	typeV2ApiMapping = "AWS::ApiGatewayV2::ApiMapping"
)

// requirePath reports each possible value of vals where the property at
// keys is missing, naming the outermost missing key, and returns the values
// found at the end.
func requirePath(p *scan.Pass, rep *prop.Reporter, r *cfn.Resource, vals []prop.Val, what string, keys ...string) []prop.Val {
	for _, k := range keys {
		vals = prop.Field(p.Eval, vals, k)
		present := vals[:0:0]
		for _, v := range vals {
			if v.Absent {
				rep.Report(r, v, "%s: %s is not set", what, k)
			} else {
				present = append(present, v)
			}
		}
		vals = present
	}
	return vals
}

// stageNames returns the possible values of a deployment's StageName that
// create a stage: present ones.
func stageNames(e *cfn.Evaluator, r *cfn.Resource) []prop.Val {
	var out []prop.Val
	for _, v := range prop.Get(e, r, "StageName") {
		if !v.Absent {
			out = append(out, v)
		}
	}
	return out
}

// createsStage reports whether a deployment may create a stage (has a
// StageName) under conditions compatible with those of v, so that findings
// about its StageDescription are limited to the branches that create one.
func createsStage(e *cfn.Evaluator, r *cfn.Resource, v prop.Val) bool {
	for _, s := range stageNames(e, r) {
		if prop.Compatible(s.Conds, v.Conds) {
			return true
		}
	}
	return false
}

// refTarget returns the logical id a value refers to when it is a Ref to a
// resource or parameter ("Ref X"), or "".
func refTarget(v prop.Val) string {
	if v.Origin != cfn.Unknown || v.Absent {
		return ""
	}
	s, ok := strings.CutPrefix(v.Text, "Ref ")
	if !ok || strings.ContainsAny(s, " ${}") {
		return ""
	}
	return s
}

// sameValue reports whether two values are known to be equal: equal known
// strings, or the same unknown expression.
func sameValue(a, b prop.Val) bool {
	if a.Absent || b.Absent {
		return false
	}
	if sa, ok := a.Str(); ok {
		sb, ok := b.Str()
		return ok && sa == sb
	}
	if _, ok := b.Str(); ok {
		return false
	}
	return a.Origin == cfn.Unknown && b.Origin == cfn.Unknown && a.Text == b.Text
}

// because returns loc, the value a finding points at, with the conditions
// of both loc and cause (the value that makes loc wrong, such as an endpoint
// type) and the less certain origin of the two, an unknown one yielding to
// a parameter. ok is false when the two cannot hold together, also once the
// parameter behind one of them is known (prop.APIGatewayConsistent).
func because(t *cfn.Template, loc, cause prop.Val) (prop.Val, bool) {
	if !prop.APIGatewayConsistent(t, loc, cause) {
		return prop.Val{}, false
	}
	out, ok := prop.Both(loc, cause)
	if ok && out.Origin == cfn.Unknown {
		// An unknown value (a certificate Ref, an attribute) says nothing
		// a reader can act on; the parameter behind the other one does.
		for _, v := range []prop.Val{cause, loc} {
			if v.Origin != cfn.Unknown && v.Origin != cfn.Literal {
				out.Origin, out.Param = v.Origin, v.Param
				break
			}
		}
	}
	return out, ok
}
