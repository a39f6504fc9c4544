package cfn

import (
	"strings"
	"sync"
)

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

// rank orders origins by how much a value built from them can be trusted to
// be what deploys: a value computed from several parts takes the origin of
// its weakest part, so a Join of a literal and a default is a default.
func (o Origin) rank() int {
	switch o {
	case Literal:
		return 0
	case ParamSupplied:
		return 1
	case ParamDefault:
		return 2
	case ParamAllowed:
		return 3
	}
	return 4
}

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
	// Site is the node of the evaluated property where the value flows in:
	// the literal itself, or the Ref, Fn::Sub, Fn::FindInMap... that produced
	// it. Node may lie elsewhere (a parameter's Default, a mapping), so
	// findings about the property should point at Site. For an Absent value
	// from a missing key it is the mapping that lacks the key.
	Site *Node
	// Mapping is "Map.TopKey.SecondKey" when the value was picked out of
	// Mappings by keys that are not all literal, so a finding can say which
	// entry it is about.
	Mapping string

	// partial is set when Text is a partly known string, such as the
	// result of Fn::Sub, that reads as it is inside a larger string.
	partial bool
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
	if v.Mapping != "" {
		parts = append(parts, "via mapping "+v.Mapping)
	}
	if len(v.Conds) > 0 {
		parts = append(parts, "when "+strings.Join(v.Conds, " and "))
	}
	return strings.Join(parts, ", ")
}

// fragment returns how v reads inside a string built from it.
func (v Value) fragment() string {
	if s, ok := v.String(); ok {
		return s
	}
	if v.Absent {
		return ""
	}
	if v.partial {
		return v.Text
	}
	if ref, ok := strings.CutPrefix(v.Text, "Ref "); ok {
		return "${" + ref + "}"
	}
	if v.Text != "" {
		return "${" + v.Text + "}"
	}
	return "${" + v.Node.Kind.String() + "}"
}

// Evaluator resolves intrinsic functions of one template into sets of
// possible values.
//
// Parameters: a supplied value is the value. Without one, the parameter's
// Default is the value (Origin ParamDefault): that is what deploys when
// nobody overrides it, and checking it catches insecure defaults. Without a
// default, each of AllowedValues is possible (Origin ParamAllowed), since a
// deployer must pick one of them. Otherwise the value is Unknown. Parameters
// of an AWS::SSM::Parameter::Value<...> type are always Unknown: their
// default and supplied values name an SSM parameter, not the value.
//
// Conditions: only supplied values and literals decide a condition; a
// condition that depends on a default, an allowed value or a pseudo
// parameter keeps both Fn::If branches, each tagged in Value.Conds, so rules
// see every branch that could deploy.
//
// Cost: evaluation is lazy, one node at a time, so a template is never
// forked per condition. Each node yields at most MaxValues values and
// nesting deeper than MaxDepth gives an Unknown value; Truncated lists the
// nodes where either limit cut the result. An Evaluator is safe for
// concurrent use.
type Evaluator struct {
	t        *Template
	supplied map[string]string

	// conds holds every condition of the template, decided or not. It is
	// filled by NewEvaluator and read-only afterwards.
	conds map[string]condState

	mu    sync.Mutex
	memo  map[*Node][]Value
	cut   []*Node
	keys  map[*Pair]*Node // see KeyNode
	memo2 map[any]any     // see Memo
}

// Limits of evaluation; see Evaluator.
const (
	MaxValues = 64
	MaxDepth  = 64
)

// NewEvaluator returns an evaluator for t with the given supplied parameter
// values (may be nil). Pseudo parameters may be supplied too, under their
// names ("AWS::Region").
func NewEvaluator(t *Template, supplied map[string]string) *Evaluator {
	if t == nil {
		t = &Template{}
	}
	// Templates hold a few intrinsic calls per resource; sizing the memo
	// for them spares rehashing it as it fills.
	e := &Evaluator{t: t, supplied: supplied, memo: make(map[*Node][]Value, 4*len(t.Resources))}
	e.evalConditions()
	return e
}

// Template returns the template being evaluated.
func (e *Evaluator) Template() *Template { return e.t }

// KeyNode returns a String node at the key of a mapping pair, for findings
// about a property that point at its key. It is made once per pair and
// template, since every rule that walks the property asks for it.
func (e *Evaluator) KeyNode(p *Pair) *Node {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := e.keys[p]
	if n == nil {
		if e.keys == nil {
			e.keys = map[*Pair]*Node{}
		}
		n = &Node{Kind: String, Value: p.Key, Start: p.KeyStart}
		e.keys[p] = n
	}
	return n
}

// AppendValues appends the values of n to buf and returns it: Values
// without an allocation for the common literal case, for the property
// walkers that every rule runs.
func (e *Evaluator) AppendValues(buf []Value, n *Node) []Value {
	if n == nil {
		return append(buf, Value{Absent: true})
	}
	if _, _, ok := n.Intrinsic(); !ok {
		return append(buf, Value{Node: n, Site: n})
	}
	return append(buf, e.shared(n)...)
}

// Values returns every value n could take when deployed. A nil n gives one
// Absent value. The slice is the caller's to keep.
func (e *Evaluator) Values(n *Node) []Value {
	if n == nil {
		return []Value{{Absent: true}}
	}
	if _, _, ok := n.Intrinsic(); !ok {
		return []Value{{Node: n, Site: n}}
	}
	return append([]Value(nil), e.shared(n)...)
}

// shared returns the values of the intrinsic call n from the memo, which
// callers must not modify.
func (e *Evaluator) shared(n *Node) []Value {
	e.mu.Lock()
	vs, ok := e.memo[n]
	e.mu.Unlock()
	if !ok {
		vs = e.values(n, 0)
		e.mu.Lock()
		e.memo[n] = vs
		e.mu.Unlock()
	}
	return vs
}

// args evaluates the arguments of a function, one input each for combos.
// Literal arguments share one allocation, as most arguments are literal.
func (e *Evaluator) args(nodes []*Node, depth int, prefix ...[]Value) [][]Value {
	inputs := make([][]Value, len(prefix)+len(nodes))
	copy(inputs, prefix)
	lits := make([]Value, len(inputs))
	for i := len(prefix); i < len(inputs); i++ {
		a := nodes[i-len(prefix)]
		if _, _, ok := a.Intrinsic(); ok || a == nil {
			inputs[i] = e.values(a, depth)
		} else {
			lits[i] = Value{Node: a, Site: a}
			inputs[i] = lits[i : i+1 : i+1]
		}
	}
	return inputs
}

// appendUnder appends the values of child node c as reached through p.
func (e *Evaluator) appendUnder(out []Value, p Value, c *Node, skipAbsent bool) []Value {
	if _, _, ok := c.Intrinsic(); !ok {
		// A literal takes the parent's origin and conditions as they are;
		// the parent is known, so Text and partial are empty.
		v := p
		v.Node, v.Site = c, c
		return append(out, v)
	}
	vs := e.shared(c)
	if out == nil {
		out = make([]Value, 0, len(vs))
	}
	for _, v := range vs {
		if skipAbsent && v.Absent {
			continue
		}
		if v, ok := under(p, v); ok {
			out = append(out, v)
		}
	}
	return out
}

// Path evaluates n, then for each key the child of every possible mapping,
// and returns the possible values at the end, each carrying the conditions
// and origins met on the way. A missing key gives an Absent value whose
// Site is the mapping; a key below an Unknown value gives an Unknown value.
func (e *Evaluator) Path(n *Node, keys ...string) []Value {
	cur := e.Values(n)
	for _, k := range keys {
		cur = e.step(n, cur, k)
	}
	return cur
}

// PathFrom is Path starting from a value already evaluated, such as an
// element returned by Items; the results keep v's conditions and origin.
func (e *Evaluator) PathFrom(v Value, keys ...string) []Value {
	if len(keys) == 0 {
		return []Value{v}
	}
	cur := e.child(nil, v, keys[0])
	for _, k := range keys[1:] {
		cur = e.step(v.Site, cur, k)
	}
	return cur
}

// step returns the children at key k of every value of cur.
func (e *Evaluator) step(at *Node, cur []Value, k string) []Value {
	next := make([]Value, 0, len(cur))
	for _, p := range cur {
		next = e.child(next, p, k)
	}
	return e.capValues(at, next)
}

// child appends the values of key k of p to out.
func (e *Evaluator) child(out []Value, p Value, k string) []Value {
	switch {
	case p.Absent:
		return append(out, p)
	case p.Origin == Unknown:
		u := e.unknown(p.Node, p.Text+"."+k)
		u.Conds, u.Param, u.Site = p.Conds, p.Param, p.Site
		return append(out, u)
	case p.Node.Kind == Map:
		if c := p.Node.Get(k); c != nil {
			return e.appendUnder(out, p, c, false)
		}
		return append(out, Value{Absent: true, Origin: p.Origin, Param: p.Param, Conds: p.Conds, Site: p.Node, Mapping: p.Mapping})
	}
	return append(out, Value{Absent: true, Origin: p.Origin, Param: p.Param, Conds: p.Conds, Site: p.Site})
}

// Items returns the possible elements of a list property: the items of
// every list the property could be, each item evaluated. Absent items
// (Fn::If with AWS::NoValue) are skipped; a value that is not a list counts
// as a list of itself, as CloudFormation accepts for policy actions and
// resources; an Unknown list gives one Unknown value.
func (e *Evaluator) Items(n *Node) []Value {
	var out []Value
	for _, p := range e.Values(n) {
		out = e.items(out, p)
	}
	return out
}

// ItemsFrom is Items of a value already evaluated, such as one returned by
// Path; the elements keep v's conditions and origin.
func (e *Evaluator) ItemsFrom(v Value) []Value { return e.items(nil, v) }

func (e *Evaluator) items(out []Value, p Value) []Value {
	switch {
	case p.Absent:
	case p.Origin == Unknown || p.Node.Kind != Seq:
		out = append(out, p)
	default:
		for _, it := range p.Node.Items {
			out = e.appendUnder(out, p, it, true)
		}
	}
	return out
}

// Truncated returns the nodes whose values were cut short by MaxValues or
// MaxDepth, so a caller can say the analysis there is incomplete.
func (e *Evaluator) Truncated() []*Node {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]*Node(nil), e.cut...)
}

func (e *Evaluator) truncate(n *Node) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, c := range e.cut {
		if c == n {
			return
		}
	}
	e.cut = append(e.cut, n)
}

// capValues keeps at most MaxValues of vs, recording the cut at n.
func (e *Evaluator) capValues(n *Node, vs []Value) []Value {
	if len(vs) <= MaxValues {
		return vs
	}
	e.truncate(n)
	return vs[:MaxValues:MaxValues]
}

// values evaluates n at the given nesting depth. The values it returns carry
// only the conditions met below n.
func (e *Evaluator) values(n *Node, depth int) []Value {
	if n == nil {
		return []Value{{Absent: true}}
	}
	name, arg, ok := n.Intrinsic()
	if !ok {
		return []Value{{Node: n, Site: n}}
	}
	if depth > MaxDepth {
		e.truncate(n)
		return []Value{e.unknown(n, name+" nested too deeply")}
	}
	d := depth + 1
	var out []Value
	switch name {
	case "Ref":
		out = e.ref(n, arg)
	case "Fn::If":
		out = e.fnIf(n, arg, d)
	case "Fn::Sub":
		out = e.sub(n, arg, d)
	case "Fn::Join":
		out = e.join(n, arg, d)
	case "Fn::Select":
		out = e.selectFn(n, arg, d)
	case "Fn::Split":
		out = e.split(n, arg, d)
	case "Fn::FindInMap":
		out = e.findInMap(n, arg, d)
	case "Fn::Base64":
		// The encoded text is what rules need to read (user data), so the
		// encoding is left to deploy time.
		out = e.values(arg, d)
	case "Fn::GetAtt":
		out = e.getAtt(n, arg, d)
	case "Fn::ImportValue":
		out = e.importValue(n, arg, d)
	case "Fn::GetAZs":
		out = e.getAZs(n, arg, d)
	case "Fn::Cidr":
		out = e.cidr(n, arg, d)
	case "Fn::Length":
		out = e.length(n, arg, d)
	case "Fn::ToJsonString":
		out = e.toJSON(n, arg, d)
	case "Condition", "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
		out = e.condValue(n, d)
	default:
		out = []Value{e.unknown(n, name)}
	}
	for i := range out {
		if out[i].Site == nil {
			out[i].Site = n
		}
	}
	return e.capValues(n, out)
}

// fnIf keeps both branches unless the condition is decided.
func (e *Evaluator) fnIf(n, arg *Node, depth int) []Value {
	if arg == nil || arg.Kind != Seq || len(arg.Items) != 3 {
		return []Value{e.unknown(n, "Fn::If")}
	}
	cond, _ := arg.Items[0].Text()
	if v, decided := e.condition(cond, depth); decided {
		if v {
			return e.values(arg.Items[1], depth)
		}
		return e.values(arg.Items[2], depth)
	}
	out := e.appendValues(make([]Value, 0, 2), arg.Items[1], depth)
	t := withCond(out, cond)
	out = e.appendValues(t, arg.Items[2], depth)
	f := withCond(out[len(t):], "!"+cond)
	if len(t)+len(f) <= MaxValues {
		return out[:len(t)+len(f)]
	}
	// Share the room between the branches so that neither goes unseen.
	e.truncate(n)
	nt, nf := MaxValues/2, MaxValues/2
	if len(t) < nt {
		nt, nf = len(t), MaxValues-len(t)
	} else if len(f) < nf {
		nt, nf = MaxValues-len(f), len(f)
	}
	return append(t[:nt:nt], f[:nf]...)
}

// appendValues appends the values of n to out, sparing literals the
// allocation of a slice of their own.
func (e *Evaluator) appendValues(out []Value, n *Node, depth int) []Value {
	if _, _, ok := n.Intrinsic(); ok || n == nil {
		return append(out, e.values(n, depth)...)
	}
	return append(out, Value{Node: n, Site: n})
}

// withCond tags each value with cond, dropping values that need its
// negation (a nested Fn::If on the same condition). It reuses vs, which
// values always returns fresh.
func withCond(vs []Value, cond string) []Value {
	// Conds slices are never appended to in place, so values without
	// conditions of their own can share one.
	only := []string{cond}
	out := vs[:0]
	for _, v := range vs {
		if len(v.Conds) == 0 {
			v.Conds = only
			out = append(out, v)
		} else if c, ok := mergeConds(only, v.Conds); ok {
			v.Conds = c
			out = append(out, v)
		}
	}
	return out
}

// negate returns the opposite of a Conds entry.
func negate(c string) string {
	if strings.HasPrefix(c, "!") {
		return c[1:]
	}
	return "!" + c
}

// mergeConds returns the conditions of a then those of b not already in a;
// ok is false when they contradict. The result never shares spare capacity,
// so appending to it cannot change another value's Conds.
func mergeConds(a, b []string) (c []string, ok bool) {
	if len(b) == 0 {
		return a, true
	}
	if len(a) == 0 {
		return b, true
	}
	out := make([]string, len(a), len(a)+len(b))
	copy(out, a)
next:
	for _, x := range b {
		for _, y := range a {
			if x == y {
				continue next
			}
			if x == negate(y) {
				return nil, false
			}
		}
		out = append(out, x)
	}
	return out[:len(out):len(out)], true
}

// under returns child value v as reached through parent value p: with the
// conditions of both and the weaker origin.
func under(p, v Value) (Value, bool) {
	c, ok := mergeConds(p.Conds, v.Conds)
	if !ok {
		return Value{}, false
	}
	v.Conds = c
	if p.Origin.rank() > v.Origin.rank() {
		v.Origin, v.Param = p.Origin, p.Param
	}
	if v.Mapping == "" {
		v.Mapping = p.Mapping
	}
	return v, true
}

// combo is one choice of a value for each of several inputs of a function.
type combo struct {
	vals    []Value
	origin  Origin
	param   string
	conds   []string
	mapping string
}

// combos returns every choice of one value per input, up to MaxValues,
// skipping choices whose conditions contradict. Inputs whose origin is
// weaker decide the origin of the choice.
func (e *Evaluator) combos(n *Node, inputs [][]Value) []combo {
	single := true
	for _, in := range inputs {
		single = single && len(in) == 1
	}
	if single {
		// The common case, every input known to one value, needs no search.
		c := combo{vals: make([]Value, len(inputs))}
		for i, in := range inputs {
			if !c.add(in[0]) {
				return nil
			}
			c.vals[i] = in[0]
		}
		return []combo{c}
	}
	// Choices grow as chains back to the previous input's choice, so that a
	// function with many inputs costs linear, not quadratic, time.
	type link struct {
		prev *link
		i    int // index of the value chosen in its input
		c    combo
	}
	cur := []*link{{}}
	for _, in := range inputs {
		next := make([]*link, 0, min(len(cur)*len(in), MaxValues))
	fill:
		for _, l := range cur {
			for i, v := range in {
				if len(next) == MaxValues {
					e.truncate(n)
					break fill
				}
				c := l.c
				if c.add(v) {
					next = append(next, &link{prev: l, i: i, c: c})
				}
			}
		}
		cur = next
	}
	out := make([]combo, len(cur))
	for k, l := range cur {
		out[k] = l.c
		out[k].vals = make([]Value, len(inputs))
		for j := len(inputs) - 1; j >= 0; j-- {
			out[k].vals[j] = inputs[j][l.i]
			l = l.prev
		}
	}
	return out
}

// add folds v's conditions and origin into c; it is false when the
// conditions contradict.
func (c *combo) add(v Value) bool {
	conds, ok := mergeConds(c.conds, v.Conds)
	if !ok {
		return false
	}
	c.conds = conds
	if v.Origin.rank() > c.origin.rank() {
		c.origin, c.param = v.Origin, v.Param
	}
	if c.mapping == "" {
		c.mapping = v.Mapping
	}
	return true
}

// value returns a value computed from the choice c.
func (c combo) value(node *Node) Value {
	return Value{Node: node, Origin: c.origin, Param: c.param, Conds: c.conds, Mapping: c.mapping}
}

// unknownFrom returns an Unknown value computed from the choice c.
func (e *Evaluator) unknownFrom(c combo, n *Node, text string, partial bool) Value {
	v := e.unknown(n, text)
	v.partial, v.Conds, v.Mapping = partial, c.conds, c.mapping
	if c.origin == Unknown {
		v.Param = c.param
	}
	return v
}

func (e *Evaluator) unknown(n *Node, text string) Value {
	node := &Node{Kind: String, Value: text}
	if n != nil {
		node.Start, node.End = n.Start, n.End
	}
	return Value{Node: node, Origin: Unknown, Text: text}
}

// str returns a synthetic string node placed at n.
func str(n *Node, s string) *Node {
	return &Node{Kind: String, Value: s, Start: n.Start, End: n.End}
}

// Forget drops the memoised values. The scanner calls it once the rules of
// one template have run, so thousands of templates kept for cross-template
// rules do not keep every evaluated value alive too.
func (e *Evaluator) Forget() {
	e.mu.Lock()
	e.memo = map[*Node][]Value{}
	e.keys = nil
	e.memo2 = nil
	e.mu.Unlock()
}

// Memo returns the value stored under key for this template, computing it
// with f the first time: many rules read the same policy statements, and
// reading them once per template rather than once per rule matters with
// hundreds of rules. Forget clears it. f must not call Memo.
func (e *Evaluator) Memo(key any, f func() any) any {
	e.mu.Lock()
	v, ok := e.memo2[key]
	e.mu.Unlock()
	if ok {
		return v
	}
	v = f()
	e.mu.Lock()
	if e.memo2 == nil {
		e.memo2 = map[any]any{}
	}
	e.memo2[key] = v
	e.mu.Unlock()
	return v
}
