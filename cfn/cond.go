package cfn

// condState is what is known of one condition.
type condState uint8

const (
	condUnvisited condState = iota
	condVisiting            // being evaluated; met again means a cycle
	condUndecided
	condFalse
	condTrue
)

// evalConditions decides every condition once, so that lookups afterwards
// only read the map and the evaluator can be shared between goroutines.
func (e *Evaluator) evalConditions() {
	e.conds = make(map[string]condState, len(e.t.Conditions))
	for name := range e.t.Conditions {
		e.condition(name, 0)
	}
}

// Condition reports the value of the named condition and whether supplied
// parameter values and literals decide it. An undefined condition, one that
// depends on a default, an allowed value or a pseudo parameter not
// supplied, and one in a cycle are undecided.
func (e *Evaluator) Condition(name string) (value, decided bool) {
	s := e.conds[name]
	return s == condTrue, s == condTrue || s == condFalse
}

func (e *Evaluator) condition(name string, depth int) (value, decided bool) {
	switch e.conds[name] {
	case condTrue:
		return true, true
	case condFalse:
		return false, true
	case condUndecided, condVisiting:
		return false, false
	}
	n, ok := e.t.Conditions[name]
	if !ok {
		return false, false
	}
	e.conds[name] = condVisiting
	value, decided = e.condExpr(n, depth+1)
	switch {
	case !decided:
		e.conds[name] = condUndecided
	case value:
		e.conds[name] = condTrue
	default:
		e.conds[name] = condFalse
	}
	return value, decided
}

// condExpr evaluates a condition function.
func (e *Evaluator) condExpr(n *Node, depth int) (value, decided bool) {
	if depth > MaxDepth {
		e.truncate(n)
		return false, false
	}
	name, arg, ok := n.Intrinsic()
	if !ok {
		switch s, _ := n.Text(); s {
		case "true", "True":
			return true, true
		case "false", "False":
			return false, true
		}
		return false, false
	}
	var args []*Node
	if arg != nil && arg.Kind == Seq {
		args = arg.Items
	}
	switch name {
	case "Condition":
		s, _ := arg.Text()
		return e.condition(s, depth)
	case "Fn::Not":
		if len(args) != 1 {
			return false, false
		}
		v, d := e.condExpr(args[0], depth+1)
		return !v && d, d
	case "Fn::And", "Fn::Or":
		// A decisive operand (false for And, true for Or) decides the whole
		// even when the others are undecided.
		decisive := name == "Fn::Or"
		all := len(args) > 0
		for _, a := range args {
			v, d := e.condExpr(a, depth+1)
			if d && v == decisive {
				return decisive, true
			}
			all = all && d
		}
		return !decisive, all
	case "Fn::Equals":
		if len(args) != 2 {
			return false, false
		}
		a, ok1 := decidedText(e.values(args[0], depth+1))
		b, ok2 := decidedText(e.values(args[1], depth+1))
		return ok1 && ok2 && a == b, ok1 && ok2
	}
	return false, false
}

// decidedText returns the text of a value set that is one scalar decided by
// literals and supplied values alone.
func decidedText(vs []Value) (string, bool) {
	if len(vs) != 1 {
		return "", false
	}
	v := vs[0]
	if v.Absent || len(v.Conds) > 0 || v.Mapping != "" || (v.Origin != Literal && v.Origin != ParamSupplied) {
		return "", false
	}
	return v.Node.Text()
}

// condValue evaluates a condition function written where a value is
// expected: a boolean when decided, else Unknown.
func (e *Evaluator) condValue(n *Node, depth int) []Value {
	v, decided := e.condExpr(n, depth)
	if decided {
		b := &Node{Kind: Bool, Value: "false", Start: n.Start, End: n.End}
		if v {
			b.Value = "true"
		}
		return []Value{{Node: b}}
	}
	name, arg, _ := n.Intrinsic()
	if s, ok := arg.Text(); ok && name == "Condition" {
		name += " " + s
	}
	return []Value{e.unknown(n, name)}
}
