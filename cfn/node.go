package cfn

import (
	"strconv"
	"strings"
)

// Kind is the type of a node as CloudFormation reads it. Scalars are typed by
// the YAML 1.1 rules CloudFormation applies, so `yes` is a Bool and `"yes"` a
// String.
type Kind uint8

// The node kinds.
const (
	Null Kind = iota
	Bool
	Int
	Float
	String
	Seq
	Map
)

var kindNames = [...]string{"null", "bool", "int", "float", "string", "list", "map"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Pos is a 1-based line and column in a template file. Columns count runes.
type Pos struct {
	Line, Col int
}

// IsZero reports whether p carries no position (a synthetic node).
func (p Pos) IsZero() bool { return p.Line == 0 }

func (p Pos) String() string { return strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col) }

// Node is one value of a template with its position. Short-form tags are
// expanded at load time, so `!Ref X` and `{Ref: X}` give the same node.
type Node struct {
	Kind  Kind
	Value string // scalar text; for Bool "true" or "false"
	Start Pos    // first character of the value
	End   Pos    // one past the last character, when known
	Tag   string // the short-form tag as written ("!GetAtt"), for messages only
	Items []*Node
	Pairs []Pair
}

// Pair is one key of a mapping, in file order.
type Pair struct {
	Key      string
	KeyStart Pos
	Value    *Node
}

// Get returns the value of key in a mapping node, or nil. It is safe on nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Map {
		return nil
	}
	for i := range n.Pairs {
		if n.Pairs[i].Key == key {
			return n.Pairs[i].Value
		}
	}
	return nil
}

// Pair returns the pair for key in a mapping node, or nil.
func (n *Node) Pair(key string) *Pair {
	if n == nil || n.Kind != Map {
		return nil
	}
	for i := range n.Pairs {
		if n.Pairs[i].Key == key {
			return &n.Pairs[i]
		}
	}
	return nil
}

// IsScalar reports whether n is a non-null scalar.
func (n *Node) IsScalar() bool {
	return n != nil && n.Kind >= Bool && n.Kind <= String
}

// Intrinsic reports whether n is an intrinsic function call, a mapping with
// one key that is "Ref", "Condition" or starts with "Fn::", and returns the
// function name and its argument.
func (n *Node) Intrinsic() (name string, arg *Node, ok bool) {
	if n == nil || n.Kind != Map || len(n.Pairs) != 1 {
		return "", nil, false
	}
	k := n.Pairs[0].Key
	if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
		return k, n.Pairs[0].Value, true
	}
	return "", nil, false
}

// Text returns the scalar text of n and whether n is a scalar.
func (n *Node) Text() (string, bool) {
	if !n.IsScalar() {
		return "", false
	}
	return n.Value, true
}
