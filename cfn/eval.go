package cfn

import "strings"

// Origin says where a possible value of a property came from.
type Origin uint8

// The origins of values.
const (
	Literal       Origin = iota // written in the property itself
	ParamDefault                // the Default of a parameter
	ParamSupplied               // a value supplied for a parameter (parameter file)
	ParamAllowed                // one of a parameter's AllowedValues
	Unknown                     // not known before deploy (a resource attribute, a pseudo parameter, ...)
)

var originNames = [...]string{"literal", "parameter default", "supplied parameter", "allowed value", "unknown"}

func (o Origin) String() string { return originNames[o] }

// Value is one possible value of a property.
type Value struct {
	// Node is the concrete value: a scalar, list or map whose children may
	// themselves need evaluating. It is nil when Absent. For Unknown values it
	// is a String node holding Text.
	Node   *Node
	Absent bool // the property is not set (missing, or Ref AWS::NoValue)
	Origin Origin
	// Param names the parameter the value came from, if any.
	Param string
	// Conds lists the Fn::If conditions on the way to this value, as
	// "Name" for the true branch and "!Name" for the false one.
	Conds []string
	// Text is a symbolic rendering of an Unknown value, such as
	// "${AWS::StackName}-VpcId".
	Text string
}

// Known reports whether the value is present and known before deploy.
func (v Value) Known() bool { return !v.Absent && v.Origin != Unknown }

// String returns the value as a string if it is a known scalar.
func (v Value) String() (string, bool) {
	if !v.Known() {
		return "", false
	}
	return v.Node.Text()
}

// Bool returns the value read as CloudFormation reads a boolean property:
// true, "true" and "True" are true. ok is false when the value is not a
// known boolean.
func (v Value) Bool() (b, ok bool) {
	s, known := v.String()
	if !known {
		return false, false
	}
	switch strings.ToLower(s) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// Describe says where the value came from, for finding messages; it is empty
// for a plain literal.
func (v Value) Describe() string {
	var parts []string
	switch v.Origin {
	case ParamDefault:
		parts = append(parts, "from the default of parameter "+v.Param)
	case ParamSupplied:
		parts = append(parts, "from the value supplied for parameter "+v.Param)
	case ParamAllowed:
		parts = append(parts, "from an allowed value of parameter "+v.Param)
	}
	if len(v.Conds) > 0 {
		parts = append(parts, "when "+strings.Join(v.Conds, " and "))
	}
	return strings.Join(parts, ", ")
}

// Evaluator resolves intrinsic functions of one template into sets of
// possible values. Only supplied parameter values decide conditions; other
// conditions keep both branches.
type Evaluator struct {
	t        *Template
	supplied map[string]string
}

// NewEvaluator returns an evaluator for t with the given supplied parameter
// values (may be nil).
func NewEvaluator(t *Template, supplied map[string]string) *Evaluator {
	return &Evaluator{t: t, supplied: supplied}
}

// Template returns the template being evaluated.
func (e *Evaluator) Template() *Template { return e.t }

// Values returns every value n could take when deployed. A nil n gives one
// Absent value.
func (e *Evaluator) Values(n *Node) []Value {
	return e.values(n, nil, 0)
}

const maxEvalDepth = 32

func (e *Evaluator) values(n *Node, conds []string, depth int) []Value {
	if n == nil {
		return []Value{{Absent: true, Conds: conds}}
	}
	name, arg, ok := n.Intrinsic()
	if !ok || depth > maxEvalDepth {
		return []Value{{Node: n, Conds: conds}}
	}
	switch name {
	case "Ref":
		ref, _ := arg.Text()
		if ref == "AWS::NoValue" {
			return []Value{{Absent: true, Conds: conds}}
		}
		if p := e.t.Parameter(ref); p != nil {
			if s, ok := e.supplied[ref]; ok {
				return []Value{{Node: &Node{Kind: String, Value: s, Start: n.Start}, Origin: ParamSupplied, Param: ref, Conds: conds}}
			}
			if p.Default != nil {
				return []Value{{Node: p.Default, Origin: ParamDefault, Param: ref, Conds: conds}}
			}
		}
		return []Value{unknown(n, "Ref "+ref, conds)}
	case "Fn::If":
		if arg == nil || arg.Kind != Seq || len(arg.Items) != 3 {
			return []Value{unknown(n, "Fn::If", conds)}
		}
		cond, _ := arg.Items[0].Text()
		t := e.values(arg.Items[1], appendCond(conds, cond), depth+1)
		f := e.values(arg.Items[2], appendCond(conds, "!"+cond), depth+1)
		return append(t, f...)
	}
	return []Value{unknown(n, name, conds)}
}

func appendCond(conds []string, c string) []string {
	out := make([]string, len(conds), len(conds)+1)
	copy(out, conds)
	return append(out, c)
}

func unknown(n *Node, text string, conds []string) Value {
	return Value{Node: &Node{Kind: String, Value: text, Start: n.Start, End: n.End}, Origin: Unknown, Text: text, Conds: conds}
}
