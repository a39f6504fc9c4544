package cloudformation

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
)

// deployed reports whether an output may be deployed: its Condition is not
// decided false by the supplied parameters.
func deployed(u *scan.Unit, o *cfn.Output) bool {
	if o.Condition == "" || u.Eval == nil {
		return true
	}
	v, decided := u.Eval.Condition(o.Condition)
	return !decided || v
}

// templates returns the set's units with one unit per template, for rules
// that look at each template on its own: a template deployed as several
// stacks is checked once.
func templates(units []*scan.Unit) []*scan.Unit {
	seen := map[*cfn.Template]bool{}
	var out []*scan.Unit
	for _, u := range units {
		if !seen[u.Template] {
			seen[u.Template] = true
			out = append(out, u)
		}
	}
	return out
}

// keyNode returns a node at a mapping key's position, for findings about a
// key rather than its value.
func keyNode(key string, at cfn.Pos) *cfn.Node {
	return &cfn.Node{Kind: cfn.String, Value: key, Start: at}
}
