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
// of both values and the origin of cause, the value that makes loc wrong
// (an endpoint type from a parameter default). ok is false when the two
// cannot hold together.
func because(loc, cause prop.Val) (prop.Val, bool) {
	out, ok := prop.Both(loc, cause)
	if ok && cause.Origin != cfn.Unknown {
		out.Origin, out.Param = cause.Origin, cause.Param
		if cause.Mapping != "" {
			out.Mapping = cause.Mapping
		}
	}
	return out, ok
}
