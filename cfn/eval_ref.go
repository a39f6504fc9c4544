package cfn

import "strings"

// pseudoParams are the parameters every stack has. Their values are known
// only at deploy time unless supplied.
var pseudoParams = map[string]bool{
	"AWS::AccountId": true, "AWS::Region": true, "AWS::StackName": true,
	"AWS::StackId": true, "AWS::Partition": true, "AWS::URLSuffix": true,
	"AWS::NotificationARNs": true,
}

// IsPseudoParameter reports whether name is a pseudo parameter such as
// AWS::Region (AWS::NoValue included).
func IsPseudoParameter(name string) bool { return pseudoParams[name] || name == "AWS::NoValue" }

// IsListParameterType reports whether a parameter of type typ is a list,
// whose Ref gives a list split on commas.
func IsListParameterType(typ string) bool {
	return typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<")
}

func isSSMParameterType(typ string) bool {
	return strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<")
}

// ref evaluates Ref.
func (e *Evaluator) ref(n, arg *Node) []Value {
	name, ok := arg.Text()
	if !ok || arg.Kind != String {
		return []Value{e.unknown(n, "Ref")}
	}
	return e.refName(n, name)
}

// refName evaluates a Ref to name, also used for the variables of Fn::Sub.
func (e *Evaluator) refName(n *Node, name string) []Value {
	if name == "AWS::NoValue" {
		return []Value{{Absent: true}}
	}
	if p := e.t.Parameter(name); p != nil {
		return e.paramValues(n, p)
	}
	if pseudoParams[name] {
		if s, ok := e.supplied[name]; ok {
			return []Value{{Node: paramNode(n, s, name == "AWS::NotificationARNs"), Origin: ParamSupplied, Param: name}}
		}
	}
	v := e.unknown(n, "Ref "+name)
	return []Value{v}
}

// paramValues returns the possible values of a parameter; see Evaluator for
// the choice.
func (e *Evaluator) paramValues(n *Node, p *Parameter) []Value {
	unknown := func() []Value {
		v := e.unknown(n, "Ref "+p.Name)
		v.Param = p.Name
		return []Value{v}
	}
	if isSSMParameterType(p.Type) {
		return unknown()
	}
	list := IsListParameterType(p.Type)
	if s, ok := e.supplied[p.Name]; ok {
		return []Value{{Node: paramNode(n, s, list), Origin: ParamSupplied, Param: p.Name}}
	}
	if p.Default != nil {
		d := p.Default
		if s, ok := d.Text(); ok && list {
			d = paramNode(d, s, true)
		}
		return []Value{{Node: d, Origin: ParamDefault, Param: p.Name}}
	}
	if len(p.AllowedValues) > 0 && !list {
		out := make([]Value, 0, len(p.AllowedValues))
		for _, a := range p.AllowedValues {
			out = append(out, Value{Node: a, Origin: ParamAllowed, Param: p.Name})
		}
		return out
	}
	return unknown()
}

// paramNode returns the node for a parameter given as text, placed at at: a
// string, or for list types a list of the comma-separated members, each
// trimmed of spaces as CloudFormation does.
func paramNode(at *Node, s string, list bool) *Node {
	if !list {
		return str(at, s)
	}
	l := &Node{Kind: Seq, Start: at.Start, End: at.End, Items: []*Node{}}
	if s == "" {
		return l
	}
	for _, part := range strings.Split(s, ",") {
		l.Items = append(l.Items, str(at, strings.TrimSpace(part)))
	}
	return l
}

// getAtt evaluates Fn::GetAtt: always Unknown, rendered "X.Attr".
func (e *Evaluator) getAtt(n, arg *Node, depth int) []Value {
	var res string
	var attrs []Value
	switch {
	case arg != nil && arg.Kind == String:
		r, a, _ := strings.Cut(arg.Value, ".")
		res, attrs = r, []Value{{Node: str(arg, a)}}
	case arg != nil && arg.Kind == Seq && len(arg.Items) == 2:
		res, _ = arg.Items[0].Text()
		// The attribute name may be a Ref to a parameter.
		attrs = e.values(arg.Items[1], depth)
	default:
		return []Value{e.unknown(n, "Fn::GetAtt")}
	}
	var out []Value
	for _, c := range e.combos(n, [][]Value{attrs}) {
		text := res + "." + strings.TrimSuffix(strings.TrimPrefix(c.vals[0].fragment(), "${"), "}")
		out = append(out, e.unknownFrom(c, n, text, false))
	}
	return out
}

// importValue evaluates Fn::ImportValue: Unknown, named by the export.
func (e *Evaluator) importValue(n, arg *Node, depth int) []Value {
	var out []Value
	for _, c := range e.combos(n, [][]Value{e.values(arg, depth)}) {
		out = append(out, e.unknownFrom(c, n, "Fn::ImportValue "+c.vals[0].fragment(), false))
	}
	return out
}

// getAZs evaluates Fn::GetAZs: an Unknown list.
func (e *Evaluator) getAZs(n, arg *Node, depth int) []Value {
	var out []Value
	for _, c := range e.combos(n, [][]Value{e.values(arg, depth)}) {
		region := c.vals[0].fragment()
		if region == "" {
			region = "${AWS::Region}"
		}
		out = append(out, e.unknownFrom(c, n, "Fn::GetAZs "+region, false))
	}
	return out
}
