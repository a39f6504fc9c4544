// Package prop walks resource properties through the evaluator, keeping for
// each possible value the property path and the node a finding should point
// at, and reports findings at most once per property.
package prop

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
)

// Val is one possible value of a property.
type Val struct {
	cfn.Value
	// Path is the property path relative to the resource, such as
	// "Properties.SecurityGroupIngress[0].CidrIp".
	Path string
	// At is the node in the resource a finding about this value points at:
	// the value itself when it is written in the resource, the intrinsic
	// that produced it otherwise (Value.Site), and the key of the nearest
	// enclosing property when the property is missing. Nil means the
	// resource.
	At *cfn.Node
	// key is a node at the property's key, for findings about missing
	// children; nil for Properties itself and list elements.
	key *cfn.Node
	// written is set when the value's node is written in the resource
	// itself, so that its children can be pointed at; a value from a
	// parameter or a mapping is pointed at where it flows in.
	written bool
}

// Properties returns the possible values of a resource's Properties.
func Properties(e *cfn.Evaluator, r *cfn.Resource) []Val {
	var out []Val
	for _, v := range e.Values(r.Properties) {
		val := Val{Value: v, Path: "Properties", written: v.Node != nil && v.Node == v.Site}
		if v.Node != r.Properties {
			// Properties built by an intrinsic (rare): point at it. A
			// missing property of a literal Properties block is reported at
			// the resource, not at its first property.
			val.At = v.Site
		}
		out = append(out, val)
	}
	return out
}

// Get returns the possible values of the property of r at the path keys.
func Get(e *cfn.Evaluator, r *cfn.Resource, keys ...string) []Val {
	vals := Properties(e, r)
	for _, k := range keys {
		vals = Field(e, vals, k)
	}
	return vals
}

// Field steps into key of each value. A value that is not a mapping gives
// an absent child, except an unknown one, which gives an unknown child.
func Field(e *cfn.Evaluator, vals []Val, key string) []Val {
	var out []Val
	for _, v := range vals {
		path := v.Path + "." + key
		if v.Absent || v.Node == nil || v.Node.Kind != cfn.Map {
			c := v
			c.Path, c.key, c.written = path, nil, false
			if v.Origin == cfn.Unknown && !v.Absent {
				c.Text = v.Text + "." + key
			} else {
				c.Value = cfn.Value{Absent: true, Conds: v.Conds, Origin: v.Origin, Param: v.Param, Mapping: v.Mapping}
				c.At = v.keyOr()
			}
			out = append(out, c)
			continue
		}
		pair := v.Node.Pair(key)
		if pair == nil {
			out = append(out, Val{Value: cfn.Value{Absent: true, Conds: v.Conds, Origin: v.Origin, Param: v.Param, Mapping: v.Mapping}, Path: path, At: v.keyOr()})
			continue
		}
		keyNode := e.KeyNode(pair)
		var buf [1]cfn.Value
		for _, cv := range e.AppendValues(buf[:0], pair.Value) {
			if c, ok := v.child(cv, keyNode, path); ok {
				out = append(out, c)
			}
		}
	}
	return out
}

// keyOr returns the node to blame for a missing child of v.
func (v Val) keyOr() *cfn.Node {
	if v.key != nil && v.written {
		return v.key
	}
	return v.At
}

// rank orders origins from most to least certain, as the evaluator does: a
// value reached through a parameter default is a default.
func rank(o cfn.Origin) int {
	switch o {
	case cfn.Literal:
		return 0
	case cfn.ParamSupplied:
		return 1
	case cfn.ParamDefault:
		return 2
	case cfn.ParamAllowed:
		return 3
	}
	return 4
}

// child combines cv, a value of a child of v, with what v knows. ok is
// false when their conditions contradict.
func (v Val) child(cv cfn.Value, key *cfn.Node, path string) (Val, bool) {
	conds, ok := mergeConds(v.Conds, cv.Conds)
	if !ok {
		return Val{}, false
	}
	c := Val{Value: cv, Path: path, key: key}
	c.Conds = conds
	if rank(v.Origin) > rank(cv.Origin) {
		c.Origin, c.Param = v.Origin, v.Param
	}
	if c.Mapping == "" {
		c.Mapping = v.Mapping
	}
	if v.written {
		c.At = cv.Site
		c.written = cv.Node != nil && cv.Node == cv.Site
	} else {
		c.At, c.key = v.At, v.key
	}
	if c.At == nil || c.At.Start.IsZero() {
		c.At = key
	}
	if key != nil && c.At != nil && c.At.Start.Line > key.Start.Line && (c.At.Kind == cfn.Map || c.At.Kind == cfn.Seq) {
		// A block collection starts on the line after its key; a finding
		// about the whole property reads better on the key's line.
		c.At = key
	}
	return c, true
}

// mergeConds returns a's conditions then b's not already in a; ok is false
// when they contradict.
func mergeConds(a, b []string) ([]string, bool) {
	if !Compatible(a, b) {
		return nil, false
	}
	out := append([]string(nil), a...)
	for _, c := range b {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, true
}

// Items returns the possible elements of list values, flattening Fn::If
// and skipping absent elements. A scalar or mapping stands for a list of
// itself (as policy documents allow); absent values give no elements.
func Items(e *cfn.Evaluator, vals []Val) []Val {
	var out []Val
	for _, v := range vals {
		switch {
		case v.Absent:
		case v.Origin != cfn.Unknown && v.Node != nil && v.Node.Kind == cfn.Seq:
			for i, item := range v.Node.Items {
				path := v.Path + "[" + strconv.Itoa(i) + "]"
				var buf [1]cfn.Value
				for _, cv := range e.AppendValues(buf[:0], item) {
					if cv.Absent {
						continue
					}
					if c, ok := v.child(cv, nil, path); ok {
						out = append(out, c)
					}
				}
			}
		default:
			out = append(out, v)
		}
	}
	return out
}

// Str returns the value as a string when it is a known scalar.
func (v Val) Str() (string, bool) { return v.String() }

// Int returns the value as an integer when it is a known number or numeric
// string.
func (v Val) Int() (int, bool) {
	s, ok := v.String()
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}

// True reports whether the value is known to be true.
func (v Val) True() bool {
	b, ok := v.Bool()
	return ok && b
}

// NotTrue reports whether the value is absent or known and not true. An
// unknown value is given the benefit of the doubt.
func (v Val) NotTrue() bool {
	return v.Absent || (v.Known() && !v.True())
}

// State says what a property holds, for messages: "Encrypted is not set",
// "Encrypted is false".
func (v Val) State(name string) string {
	if v.Absent {
		return name + " is not set"
	}
	if s, ok := v.String(); ok {
		if v.Node.Kind == cfn.String {
			return fmt.Sprintf("%s is %q", name, s)
		}
		return name + " is " + s
	}
	if v.Origin == cfn.Unknown {
		return name + " is " + v.Text
	}
	return name + " is a " + v.Node.Kind.String()
}

// Suffix is the origin of the value in parentheses with a leading space, or
// "" for a plain literal.
func (v Val) Suffix() string {
	if d := v.Describe(); d != "" {
		return " (" + d + ")"
	}
	return ""
}

// Compatible reports whether two condition lists can hold together: no
// condition appears in one and is negated in the other.
func Compatible(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == "!"+y || y == "!"+x {
				return false
			}
		}
	}
	return true
}

// Reporter reports findings for a pass, at most one per resource and path,
// appending where the offending value came from.
type Reporter struct {
	pass *scan.Pass
	seen map[string]bool
}

// NewReporter returns a reporter for p.
func NewReporter(p *scan.Pass) *Reporter { return &Reporter{pass: p} }

// Report records a finding about value v of resource r.
func (rep *Reporter) Report(r *cfn.Resource, v Val, format string, args ...any) {
	k := r.ID + "\x00" + v.Path
	if rep.seen[k] {
		return
	}
	if rep.seen == nil {
		// Most passes report nothing; the map is made on the first finding.
		rep.seen = map[string]bool{}
	}
	rep.seen[k] = true
	rep.pass.Report(scan.Diagnostic{Resource: r, At: v.At, Path: v.Path, Message: fmt.Sprintf(format, args...) + v.Suffix(), Related: owningGroup(rep.pass.Template, r)})
}

// owningGroup names the security group a standalone ingress or egress rule
// attaches to (GroupId: !Ref Sg or !GetAtt Sg.GroupId), so suppressions on
// the group cover findings on its rules, as cfn_nag users expect.
func owningGroup(t *cfn.Template, r *cfn.Resource) []string {
	if r.Type != "AWS::EC2::SecurityGroupIngress" && r.Type != "AWS::EC2::SecurityGroupEgress" {
		return nil
	}
	for _, key := range []string{"GroupId", "GroupName"} {
		name, arg, ok := r.Properties.Get(key).Intrinsic()
		if !ok {
			continue
		}
		var id string
		switch name {
		case "Ref":
			id, _ = arg.Text()
		case "Fn::GetAtt":
			if arg != nil && arg.Kind == cfn.Seq && len(arg.Items) > 0 {
				id, _ = arg.Items[0].Text()
			}
		}
		if g := t.Resource(id); g != nil && g.Type == "AWS::EC2::SecurityGroup" {
			return []string{id}
		}
	}
	return nil
}

// Both describes a finding that depends on two values together (FromPort
// and ToPort): a's location, the conditions of both, and the less certain
// origin. ok is false when the two cannot hold together.
func Both(a, b Val) (Val, bool) {
	conds, ok := mergeConds(a.Conds, b.Conds)
	if !ok {
		return Val{}, false
	}
	out := a
	out.Conds = conds
	if rank(b.Origin) > rank(a.Origin) {
		out.Origin, out.Param = b.Origin, b.Param
	}
	return out, true
}
