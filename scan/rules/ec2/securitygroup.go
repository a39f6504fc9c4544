package ec2

import (
	"net/netip"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// ingress returns the possible ingress entries of a security group (its
// SecurityGroupIngress list) or of a standalone ingress resource (its
// Properties).
func ingress(e *cfn.Evaluator, r *cfn.Resource) []prop.Val {
	return entries(e, r, "AWS::EC2::SecurityGroupIngress", "SecurityGroupIngress")
}

// entries is shared by the dozen security group rules through the
// template's memo; callers must not modify the slice.
func entries(e *cfn.Evaluator, r *cfn.Resource, standalone, list string) []prop.Val {
	return e.Memo(entriesKey{r, list}, func() any { return readEntries(e, r, standalone, list) }).([]prop.Val)
}

type entriesKey struct {
	r    *cfn.Resource
	list string
}

func readEntries(e *cfn.Evaluator, r *cfn.Resource, standalone, list string) []prop.Val {
	if r.Type == standalone {
		return prop.Properties(e, r)
	}
	var out []prop.Val
	for _, v := range prop.Items(e, prop.Get(e, r, list)) {
		if v.Node != nil && v.Node.Kind == cfn.Map {
			out = append(out, v)
		}
	}
	return out
}

// worldOpen reports whether a CIDR admits every address: 0.0.0.0/0, ::/0
// or any spelling of them.
func worldOpen(cidr string) bool {
	p, err := netip.ParsePrefix(strings.TrimSpace(cidr))
	return err == nil && p.Bits() == 0
}

// portProtocol reports whether an IpProtocol value uses ports: tcp and udp
// by name or number. Other protocols (icmp, -1) give FromPort and ToPort
// other meanings.
func portProtocol(v prop.Val) bool {
	s, ok := v.Str()
	if !ok {
		return !v.Absent // unknown: assume ports matter
	}
	switch strings.ToLower(s) {
	case "tcp", "udp", "6", "17":
		return true
	}
	return false
}

// egress returns the possible egress entries of a security group (its
// SecurityGroupEgress list) or of a standalone egress resource.
func egress(e *cfn.Evaluator, r *cfn.Resource) []prop.Val {
	return entries(e, r, "AWS::EC2::SecurityGroupEgress", "SecurityGroupEgress")
}

// allEntries returns the ingress and egress entries of r with the word
// that names their direction.
func allEntries(e *cfn.Evaluator, r *cfn.Resource) (ins, outs []prop.Val) {
	switch r.Type {
	case "AWS::EC2::SecurityGroupIngress":
		return ingress(e, r), nil
	case "AWS::EC2::SecurityGroupEgress":
		return nil, egress(e, r)
	}
	return ingress(e, r), egress(e, r)
}

// ports returns the port ranges an entry may open, as (from, to, at)
// triples; an entry for all protocols opens every port.
type portRange struct {
	from, to int
	at       prop.Val
}

func entryPorts(e *cfn.Evaluator, ent prop.Val) []portRange {
	one := []prop.Val{ent}
	var out []portRange
	for _, proto := range prop.Field(e, one, "IpProtocol") {
		s, ok := proto.Str()
		if !ok {
			continue
		}
		if s == "-1" || strings.EqualFold(s, "all") {
			out = append(out, portRange{0, 65535, proto})
			continue
		}
		if !portProtocol(proto) {
			continue
		}
		for _, from := range prop.Field(e, one, "FromPort") {
			for _, to := range prop.Field(e, one, "ToPort") {
				f, ok1 := from.Int()
				t, ok2 := to.Int()
				if v, ok := prop.Both(from, to); ok && ok1 && ok2 {
					if f == -1 && t == -1 {
						f, t = 0, 65535
					}
					out = append(out, portRange{f, t, v})
				}
			}
		}
	}
	return out
}
