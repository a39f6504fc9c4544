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

func entries(e *cfn.Evaluator, r *cfn.Resource, standalone, list string) []prop.Val {
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
