package cfn

import (
	"encoding/json"
	"net/netip"
	"strconv"
	"strings"
)

// cidr evaluates Fn::Cidr, computing the subnets when its inputs are known.
func (e *Evaluator) cidr(n, arg *Node, depth int) []Value {
	if arg == nil || arg.Kind != Seq || len(arg.Items) != 3 {
		return []Value{e.unknown(n, "Fn::Cidr")}
	}
	inputs := e.args(arg.Items[:3], depth)
	var out []Value
	for _, c := range e.combos(n, inputs) {
		block, ok1 := c.vals[0].String()
		count, ok2 := c.vals[1].String()
		bits, ok3 := c.vals[2].String()
		var subnets []string
		if ok1 && ok2 && ok3 {
			subnets = cidrSubnets(block, count, bits)
		}
		if subnets == nil {
			out = append(out, e.unknownFrom(c, n, "Fn::Cidr "+c.vals[0].fragment(), false))
			continue
		}
		l := &Node{Kind: Seq, Start: n.Start, End: n.End}
		for _, s := range subnets {
			l.Items = append(l.Items, str(n, s))
		}
		out = append(out, c.value(l))
	}
	return out
}

// cidrSubnets returns the first count subnets of block with hostBits host
// bits each, or nil when CloudFormation would reject the arguments.
func cidrSubnets(block, count, hostBits string) []string {
	p, err := netip.ParsePrefix(block)
	cnt, err2 := strconv.Atoi(count)
	hb, err3 := strconv.Atoi(hostBits)
	if err != nil || err2 != nil || err3 != nil || cnt < 1 || cnt > 256 || hb < 1 {
		return nil
	}
	p = p.Masked()
	size := p.Addr().BitLen()
	newLen := size - hb
	if newLen < p.Bits() || (newLen-p.Bits() < 9 && cnt > 1<<(newLen-p.Bits())) {
		return nil
	}
	addr := p.Addr()
	out := make([]string, 0, cnt)
	for range cnt {
		out = append(out, netip.PrefixFrom(addr, newLen).String())
		addr = addPow2(addr, hb)
	}
	return out
}

// addPow2 returns a + 2^k, wrapping silently; callers stay inside a block.
func addPow2(a netip.Addr, k int) netip.Addr {
	b := a.As16()
	first := 0
	if a.Is4() {
		first = 12
	}
	i := 15 - k/8
	carry := uint(1) << (k % 8)
	for ; i >= first && carry > 0; i-- {
		s := uint(b[i]) + carry
		b[i] = byte(s)
		carry = s >> 8
	}
	if a.Is4() {
		return netip.AddrFrom4([4]byte(b[12:]))
	}
	return netip.AddrFrom16(b)
}

// length evaluates Fn::Length of a list.
func (e *Evaluator) length(n, arg *Node, depth int) []Value {
	var out []Value
	for _, v := range e.values(arg, depth) {
		if v.Absent || v.Origin == Unknown || v.Node.Kind != Seq {
			u := e.unknown(n, "Fn::Length "+v.fragment())
			u.Conds = v.Conds
			out = append(out, u)
			continue
		}
		count := 0
		for _, it := range v.Node.Items {
			// An item that is AWS::NoValue on every branch does not count;
			// one that is absent on some branches is counted as present.
			for _, iv := range e.values(it, depth) {
				if !iv.Absent {
					count++
					break
				}
			}
		}
		l := &Node{Kind: Int, Value: strconv.Itoa(count), Start: n.Start, End: n.End}
		out = append(out, Value{Node: l, Origin: v.Origin, Param: v.Param, Conds: v.Conds, Mapping: v.Mapping})
	}
	return out
}

// toJSON evaluates Fn::ToJsonString when its whole argument has one known
// value; otherwise the result is Unknown.
func (e *Evaluator) toJSON(n, arg *Node, depth int) []Value {
	var b strings.Builder
	budget := 10000
	if v, ok := e.writeJSON(&b, arg, depth, &budget); ok {
		v.Node = str(n, b.String())
		return []Value{v}
	}
	return []Value{e.unknown(n, "Fn::ToJsonString")}
}

// writeJSON writes the single known value of n as JSON and returns a value
// carrying the weakest origin met. budget bounds the work on huge inputs.
func (e *Evaluator) writeJSON(b *strings.Builder, n *Node, depth int, budget *int) (Value, bool) {
	*budget--
	vs := e.values(n, depth)
	if *budget < 0 || len(vs) != 1 || !vs[0].Known() || len(vs[0].Conds) > 0 {
		return Value{}, false
	}
	acc := vs[0]
	acc.Node, acc.Site = nil, nil
	node := vs[0].Node
	child := func(c *Node) bool {
		v, ok := e.writeJSON(b, c, depth+1, budget)
		if ok && v.Origin.rank() > acc.Origin.rank() {
			acc.Origin, acc.Param = v.Origin, v.Param
		}
		return ok
	}
	switch node.Kind {
	case Null:
		b.WriteString("null")
	case Bool, Int, Float:
		b.WriteString(node.Value)
	case String:
		q, _ := json.Marshal(node.Value)
		b.Write(q)
	case Seq:
		b.WriteByte('[')
		for i, it := range node.Items {
			if i > 0 {
				b.WriteByte(',')
			}
			if !child(it) {
				return Value{}, false
			}
		}
		b.WriteByte(']')
	case Map:
		b.WriteByte('{')
		for i, p := range node.Pairs {
			if i > 0 {
				b.WriteByte(',')
			}
			q, _ := json.Marshal(p.Key)
			b.Write(q)
			b.WriteByte(':')
			if !child(p.Value) {
				return Value{}, false
			}
		}
		b.WriteByte('}')
	}
	return acc, true
}
