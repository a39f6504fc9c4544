package ec2

import (
	"net/netip"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// naclEntry is what the network ACL rules need to know of one
// AWS::EC2::NetworkAclEntry.
type naclEntry struct {
	r      *cfn.Resource
	acl    string // the NetworkAclId as written: a literal ID or "Ref Acl"
	egress bool
	ipv6   bool
	proto  string // as a number: "6", "17", "-1"...
	action string // "allow" or "deny", lower case
	cidr   prop.Val
	// hasCIDR is set when cidr holds a known prefix.
	hasCIDR  bool
	prefix   netip.Prefix
	from, to int // the port range; ok only when ported
	ported   bool
}

// naclProtocols maps protocol names to the numbers NACL entries use.
var naclProtocols = map[string]string{"tcp": "6", "udp": "17", "icmp": "1", "icmpv6": "58", "all": "-1"}

// first returns the first known string among vals, or the symbolic text of
// an unknown value.
func first(vals []prop.Val) (string, prop.Val, bool) {
	for _, v := range vals {
		if s, ok := v.Str(); ok {
			return s, v, true
		}
	}
	for _, v := range vals {
		if !v.Absent {
			return v.Text, v, false
		}
	}
	if len(vals) > 0 {
		return "", vals[0], false
	}
	return "", prop.Val{}, false
}

// naclEntries reads the network ACL entries among the pass's resources.
func naclEntries(p *scan.Pass) []*naclEntry {
	var out []*naclEntry
	for _, r := range p.Resources() {
		if r.Type != "AWS::EC2::NetworkAclEntry" {
			continue
		}
		e := &naclEntry{r: r}
		e.acl, _, _ = first(prop.Get(p.Eval, r, "NetworkAclId"))
		for _, v := range prop.Get(p.Eval, r, "Egress") {
			e.egress = e.egress || v.True()
		}
		proto, _, _ := first(prop.Get(p.Eval, r, "Protocol"))
		e.proto = strings.TrimSpace(proto)
		if n, ok := naclProtocols[strings.ToLower(e.proto)]; ok {
			e.proto = n
		}
		action, _, _ := first(prop.Get(p.Eval, r, "RuleAction"))
		e.action = strings.ToLower(action)
		for _, key := range []string{"CidrBlock", "Ipv6CidrBlock"} {
			s, v, ok := first(prop.Get(p.Eval, r, key))
			if v.Absent {
				continue
			}
			e.cidr, e.ipv6 = v, key == "Ipv6CidrBlock"
			if ok {
				if pfx, err := netip.ParsePrefix(strings.TrimSpace(s)); err == nil {
					e.prefix, e.hasCIDR = pfx.Masked(), true
				}
			}
		}
		if e.proto == "6" || e.proto == "17" {
			_, fv, _ := first(prop.Get(p.Eval, r, "PortRange", "From"))
			_, tv, _ := first(prop.Get(p.Eval, r, "PortRange", "To"))
			from, ok1 := fv.Int()
			to, ok2 := tv.Int()
			if ok1 && ok2 {
				e.from, e.to, e.ported = from, to, true
			}
		}
		out = append(out, e)
	}
	return out
}

// direction names an entry's direction for messages.
func (e *naclEntry) direction() string {
	if e.egress {
		return "egress"
	}
	return "ingress"
}

// overlaps reports whether two entries' address ranges may overlap; an
// unknown range may overlap anything of its family.
func (e *naclEntry) overlaps(o *naclEntry) bool {
	if !e.hasCIDR || !o.hasCIDR {
		return true
	}
	return e.prefix.Overlaps(o.prefix)
}
