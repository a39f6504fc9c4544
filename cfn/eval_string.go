package cfn

import (
	"slices"
	"strconv"
	"strings"
)

// subPart is a piece of an Fn::Sub template: literal text or a variable.
type subPart struct {
	text  string
	isVar bool
}

// parseSub splits an Fn::Sub template into literal text and variables.
// "${!Name}" stands for the literal text "${Name}".
func parseSub(s string) []subPart {
	parts := make([]subPart, 0, 2*strings.Count(s, "${")+1)
	// Concatenating onto an empty lit does not copy, so text without
	// escapes costs no allocation.
	lit := ""
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			lit += s
			break
		}
		lit += s[:i]
		s = s[i+2:]
		if strings.HasPrefix(s, "!") {
			lit += "${"
			s = s[1:]
			continue
		}
		j := strings.IndexByte(s, '}')
		if j < 0 {
			lit += "${"
			continue
		}
		if lit != "" {
			parts = append(parts, subPart{text: lit})
			lit = ""
		}
		parts = append(parts, subPart{text: s[:j], isVar: true})
		s = s[j+1:]
	}
	if lit != "" {
		parts = append(parts, subPart{text: lit})
	}
	return parts
}

// sub evaluates Fn::Sub in its string and [string, {vars}] forms.
func (e *Evaluator) sub(n, arg *Node, depth int) []Value {
	var tmpl, vars *Node
	switch {
	case arg != nil && arg.Kind == String:
		tmpl = arg
	case arg != nil && arg.Kind == Seq && (len(arg.Items) == 1 || len(arg.Items) == 2):
		tmpl = arg.Items[0]
		if len(arg.Items) == 2 {
			vars = arg.Items[1]
		}
	default:
		return []Value{e.unknown(n, "Fn::Sub")}
	}
	var out []Value
	for _, tv := range e.values(tmpl, depth) {
		s, ok := tv.String()
		if !ok {
			u := e.unknown(n, "Fn::Sub "+tv.fragment())
			u.Conds = tv.Conds
			out = append(out, u)
			continue
		}
		parts := parseSub(s)
		// One input per distinct variable, after the template itself.
		inputs := make([][]Value, 1, len(parts)+1)
		inputs[0] = []Value{tv}
		names := make([]string, 1, len(parts)+1)
		for _, p := range parts {
			if p.isVar && !slices.Contains(names[1:], p.text) {
				names = append(names, p.text)
				inputs = append(inputs, e.subVar(n, vars, p.text, depth))
			}
		}
		for _, c := range e.combos(n, inputs) {
			var b strings.Builder
			known := true
			for _, p := range parts {
				if !p.isVar {
					b.WriteString(p.text)
					continue
				}
				v := c.vals[slices.Index(names, p.text)]
				if s, ok := v.String(); ok {
					b.WriteString(s)
					continue
				}
				known = false
				if v.Absent || v.Origin != Unknown {
					// AWS::NoValue or a list has no place in a string.
					b.WriteString("${" + p.text + "}")
				} else {
					b.WriteString(v.fragment())
				}
			}
			if known {
				out = append(out, c.value(str(n, b.String())))
			} else {
				out = append(out, e.unknownFrom(c, n, b.String(), true))
			}
		}
	}
	return out
}

// subVar returns the possible values of an Fn::Sub variable: from the
// variable map, else a parameter, pseudo parameter or resource, else a
// resource attribute written "X.Attr".
func (e *Evaluator) subVar(n, vars *Node, name string, depth int) []Value {
	if v := vars.Get(name); v != nil {
		return e.values(v, depth)
	}
	if strings.Contains(name, ".") && e.t.Parameter(name) == nil {
		v := e.unknown(n, name)
		return []Value{v}
	}
	return e.refName(n, name)
}

// join evaluates Fn::Join.
func (e *Evaluator) join(n, arg *Node, depth int) []Value {
	if arg == nil || arg.Kind != Seq || len(arg.Items) != 2 {
		return []Value{e.unknown(n, "Fn::Join")}
	}
	var out []Value
	for _, c := range e.combos(n, e.args(arg.Items, depth)) {
		sep, ok := c.vals[0].String()
		list := c.vals[1]
		if !ok || list.Absent || list.Origin == Unknown || list.Node.Kind != Seq {
			out = append(out, e.unknownFrom(c, n, "Fn::Join "+list.fragment(), false))
			continue
		}
		for _, ic := range e.combos(n, e.args(list.Node.Items, depth, []Value{c.value(nil)})) {
			var b strings.Builder
			known, first := true, true
			for _, v := range ic.vals[1:] {
				if v.Absent {
					// Fn::If with AWS::NoValue drops the item.
					continue
				}
				if !first {
					b.WriteString(sep)
				}
				first = false
				if s, ok := v.String(); ok {
					b.WriteString(s)
				} else {
					known = false
					b.WriteString(v.fragment())
				}
			}
			if known {
				out = append(out, ic.value(str(n, b.String())))
			} else {
				out = append(out, e.unknownFrom(ic, n, b.String(), true))
			}
		}
	}
	return out
}

// selectFn evaluates Fn::Select. An index not known before deploy makes
// every item possible.
func (e *Evaluator) selectFn(n, arg *Node, depth int) []Value {
	if arg == nil || arg.Kind != Seq || len(arg.Items) != 2 {
		return []Value{e.unknown(n, "Fn::Select")}
	}
	var out []Value
	for _, c := range e.combos(n, e.args(arg.Items, depth)) {
		idx, list := c.vals[0], c.vals[1]
		if list.Absent || list.Origin == Unknown || list.Node.Kind != Seq {
			out = append(out, e.unknownFrom(c, n, "Fn::Select "+idx.fragment()+" "+list.fragment(), false))
			continue
		}
		items := list.Node.Items
		carrier := c.value(nil)
		if s, ok := idx.String(); ok {
			i, err := strconv.Atoi(s)
			if err != nil || i < 0 || i >= len(items) {
				out = append(out, e.unknownFrom(c, n, "Fn::Select "+s+" out of range", false))
				continue
			}
			items = items[i : i+1]
		} else {
			// An index not known makes every item possible; it does not
			// make the items unknown.
			carrier.Origin, carrier.Param = list.Origin, list.Param
		}
		for _, it := range items {
			for _, v := range e.values(it, depth) {
				if v, ok := under(carrier, v); ok {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// split evaluates Fn::Split into a list of strings.
func (e *Evaluator) split(n, arg *Node, depth int) []Value {
	if arg == nil || arg.Kind != Seq || len(arg.Items) != 2 {
		return []Value{e.unknown(n, "Fn::Split")}
	}
	var out []Value
	for _, c := range e.combos(n, e.args(arg.Items, depth)) {
		sep, ok1 := c.vals[0].String()
		s, ok2 := c.vals[1].String()
		if !ok1 || !ok2 || sep == "" {
			out = append(out, e.unknownFrom(c, n, "Fn::Split "+c.vals[1].fragment(), false))
			continue
		}
		l := &Node{Kind: Seq, Start: n.Start, End: n.End}
		for _, part := range strings.Split(s, sep) {
			l.Items = append(l.Items, str(n, part))
		}
		out = append(out, c.value(l))
	}
	return out
}
