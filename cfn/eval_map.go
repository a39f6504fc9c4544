package cfn

import "strings"

// findInMap evaluates Fn::FindInMap, with the DefaultValue option of
// AWS::LanguageExtensions. A key not known before deploy matches every
// entry at its level, so each value it could pick is checked.
func (e *Evaluator) findInMap(n, arg *Node, depth int) []Value {
	if arg == nil || arg.Kind != Seq || (len(arg.Items) != 3 && len(arg.Items) != 4) {
		return []Value{e.unknown(n, "Fn::FindInMap")}
	}
	var def *Node
	if len(arg.Items) == 4 {
		def = arg.Items[3].Get("DefaultValue")
	}
	inputs := e.args(arg.Items[:3], depth)
	var out []Value
	for _, c := range e.combos(n, inputs) {
		// The origin of a picked value comes from the known keys only: an
		// Unknown key does not make the mapping's values unknown, it makes
		// all of them possible.
		v := Value{Origin: Literal, Conds: c.conds}
		chosen := false
		var keys [3]string
		known := [3]bool{}
		for i, k := range c.vals {
			keys[i], known[i] = k.String()
			if !known[i] {
				chosen = true
				continue
			}
			if k.Origin.rank() > v.Origin.rank() {
				v.Origin, v.Param = k.Origin, k.Param
			}
		}
		if v.Origin != Literal {
			chosen = true
		}
		var hits []Value
		var walk func(node *Node, level int, path []string)
		walk = func(node *Node, level int, path []string) {
			if level == 3 {
				h := v
				h.Node = node
				if chosen {
					h.Mapping = strings.Join(path, ".")
				}
				hits = append(hits, h)
				return
			}
			if known[level] {
				if child := node.Get(keys[level]); child != nil {
					walk(child, level+1, append(path, keys[level]))
				}
				return
			}
			for _, p := range node.pairs() {
				if len(hits) >= MaxValues {
					e.truncate(n)
					return
				}
				walk(p.Value, level+1, append(path[:len(path):len(path)], p.Key))
			}
		}
		walk(e.t.Mappings, 0, nil)
		if len(hits) > 0 {
			out = append(out, hits...)
			continue
		}
		if def != nil {
			for _, d := range e.values(def, depth) {
				if d, ok := under(c.value(nil), d); ok {
					out = append(out, d)
				}
			}
			continue
		}
		text := "Fn::FindInMap " + c.vals[0].fragment() + "." + c.vals[1].fragment() + "." + c.vals[2].fragment()
		out = append(out, e.unknownFrom(c, n, text, false))
	}
	return out
}
