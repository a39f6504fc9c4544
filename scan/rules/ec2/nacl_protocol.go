package ec2

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// NACLAllowAllProtocols reports allow entries whose protocol opens every
// port.
var NACLAllowAllProtocols = &scan.Rule{
	ID:        "NACL-002",
	Aliases:   []string{"W66"},
	Title:     "Network ACL allow entry covers all ports through its protocol",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EC2::NetworkAclEntry"},
	Doc: `A network ACL entry with Protocol -1, or any protocol other than
6 (TCP), 17 (UDP) and 1 (ICMP), allows traffic on every port whatever
PortRange says. Protocol 58 (ICMPv6) is precise only with an IPv6 CIDR block
and an Icmp type and code; otherwise it allows all ICMP. Allow entries that
name TCP, UDP or ICMP and their ports instead. Deny entries are not
checked: denying everything is a valid choice.

Bad:

~~~yaml
AllowAll:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref Acl
    RuleNumber: 100
    Protocol: -1
    RuleAction: allow
    CidrBlock: 10.0.0.0/8
~~~

Good:

~~~yaml
AllowHttps:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref Acl
    RuleNumber: 100
    Protocol: 6
    RuleAction: allow
    CidrBlock: 10.0.0.0/8
    PortRange: {From: 443, To: 443}
~~~
`,
	Fix: "Use Protocol 6 (TCP), 17 (UDP) or 1 (ICMP) with a PortRange or Icmp type.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, e := range naclEntries(p) {
			if e.action != "allow" {
				continue
			}
			for _, v := range prop.Get(p.Eval, e.r, "Protocol") {
				s, ok := v.Str()
				if !ok {
					continue
				}
				if n, named := naclProtocols[s]; named {
					s = n
				}
				switch s {
				case "1", "6", "17":
					continue
				case "58":
					if e.ipv6 && icmpSet(p, e) {
						continue
					}
				}
				rep.Report(e.r, v, "network ACL allow entry covers all ports: %s", v.State("Protocol"))
			}
		}
	},
}

// icmpSet reports whether an entry names an ICMP type and code.
func icmpSet(p *scan.Pass, e *naclEntry) bool {
	for _, key := range []string{"Code", "Type"} {
		for _, v := range prop.Get(p.Eval, e.r, "Icmp", key) {
			if v.Absent {
				return false
			}
		}
	}
	return true
}
