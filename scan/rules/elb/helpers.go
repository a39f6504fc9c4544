package elb

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// attribute returns the possible values of the LoadBalancerAttributes
// entry with the given key. When no entry has the key it returns one
// absent value pointing at the list (or the resource), with the key in its
// path, so a finding can say the attribute is not set.
func attribute(e *cfn.Evaluator, r *cfn.Resource, key string) []prop.Val {
	var out []prop.Val
	for _, list := range prop.Get(e, r, "LoadBalancerAttributes") {
		found := false
		for _, it := range prop.Items(e, []prop.Val{list}) {
			for _, k := range prop.Field(e, []prop.Val{it}, "Key") {
				if s, ok := k.Str(); ok && s == key {
					found = true
					out = append(out, prop.Field(e, []prop.Val{it}, "Value")...)
				}
			}
		}
		if !found && (list.Absent || list.Known()) {
			v := list
			if !v.Absent {
				v.Value = cfn.Value{Absent: true, Conds: v.Conds, Origin: v.Origin, Param: v.Param}
			}
			v.Path = "Properties.LoadBalancerAttributes"
			out = append(out, v)
		}
	}
	return out
}

// lbType returns the load balancer's type in lower case, "application"
// when not set.
func lbType(e *cfn.Evaluator, r *cfn.Resource) string {
	for _, v := range prop.Get(e, r, "Type") {
		if s, ok := v.Str(); ok {
			return strings.ToLower(s)
		}
		if !v.Absent {
			return ""
		}
	}
	return "application"
}

// attrState says what an attribute holds, for messages.
func attrState(key string, v prop.Val) string {
	if v.Absent {
		return key + " is not set"
	}
	return v.State(key)
}
