package prop

import (
	"strconv"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
)

// serverlessGlobalsSection maps an AWS SAM resource type to the section of
// the Globals block that SAM merges into it.
var serverlessGlobalsSection = map[string]string{
	"AWS::Serverless::Function":     "Function",
	"AWS::Serverless::Api":          "Api",
	"AWS::Serverless::HttpApi":      "HttpApi",
	"AWS::Serverless::SimpleTable":  "SimpleTable",
	"AWS::Serverless::LayerVersion": "LayerVersion",
}

// ServerlessGlobal returns the possible values that the SAM Globals section
// gives the property at keys of resources of type typ (Globals.Function.
// Runtime for a function's Runtime), with the path the property has on the
// resource ("Properties.Runtime"). It returns nothing when the template has
// no Globals, the type takes none, or Globals does not set the property.
// SAM applies such a value to every resource of the type that does not set
// the property itself; a rule reporting it should clear At so that the
// finding points at (and can be suppressed on) the resource.
func ServerlessGlobal(e *cfn.Evaluator, t *cfn.Template, typ string, keys ...string) []Val {
	section := serverlessGlobalsSection[typ]
	if section == "" || t == nil || t.Globals == nil {
		return nil
	}
	sec := t.Globals.Get(section)
	if sec == nil {
		return nil
	}
	var vals []Val
	for _, v := range e.Values(sec) {
		vals = append(vals, Val{Value: v, Path: "Properties", At: v.Site})
	}
	for _, k := range keys {
		vals = Field(e, vals, k)
	}
	out := vals[:0]
	for _, v := range vals {
		if !v.Absent {
			out = append(out, v)
		}
	}
	return out
}

// ServerlessGlobalLine returns the line of the Globals section that sets the
// property at keys for resources of type typ, for messages; 0 when unknown.
func ServerlessGlobalLine(t *cfn.Template, typ string, keys ...string) int {
	section := serverlessGlobalsSection[typ]
	if section == "" || t == nil || t.Globals == nil {
		return 0
	}
	n := t.Globals.Get(section)
	line := 0
	for _, k := range keys {
		p := n.Pair(k)
		if p == nil {
			return line
		}
		line, n = p.KeyStart.Line, p.Value
	}
	return line
}

// ServerlessGlobalName is "Globals.Function.Runtime" for a function's Runtime.
func ServerlessGlobalName(typ string, keys ...string) string {
	return "Globals." + serverlessGlobalsSection[typ] + "." + strings.Join(keys, ".")
}

// ServerlessVal is a possible value of a property of a resource, which for
// an AWS SAM resource may come from the Globals section.
type ServerlessVal struct {
	Val
	// Global is empty for a value of the resource itself, and says where
	// Globals sets it otherwise ("Globals.Function.Runtime, line 4"), for
	// messages.
	Global string
}

// From is " (set in Globals.Function.Runtime, line 4)" for a value from
// Globals and "" otherwise, to append to a message.
func (v ServerlessVal) From() string {
	if v.Global == "" {
		return ""
	}
	return " (set in " + v.Global + ")"
}

// ServerlessGet returns the possible values of r's property at keys. For an
// AWS SAM resource that does not set the property, the values Globals gives
// it stand in, pointed at the resource (At nil) so that the finding is the
// resource's and its Metadata can suppress it.
func ServerlessGet(e *cfn.Evaluator, t *cfn.Template, r *cfn.Resource, keys ...string) []ServerlessVal {
	var out []ServerlessVal
	var globals []Val
	looked := false
	for _, v := range Get(e, r, keys...) {
		if !v.Absent {
			out = append(out, ServerlessVal{Val: v})
			continue
		}
		if !looked {
			globals, looked = ServerlessGlobal(e, t, r.Type, keys...), true
		}
		if len(globals) == 0 {
			out = append(out, ServerlessVal{Val: v})
			continue
		}
		where := ServerlessGlobalName(r.Type, keys...)
		if line := ServerlessGlobalLine(t, r.Type, keys...); line > 0 {
			where += ", line " + strconv.Itoa(line)
		}
		for _, g := range globals {
			if conds, ok := mergeConds(v.Conds, g.Conds); ok {
				g.Conds, g.At, g.key, g.written = conds, v.At, nil, false
				out = append(out, ServerlessVal{Val: g, Global: where})
			}
		}
	}
	return out
}
