package ec2

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// NACLAllowAllPorts reports TCP and UDP allow entries for every port.
var NACLAllowAllPorts = &scan.Rule{
	ID:        "NACL-003",
	Aliases:   []string{"W67"},
	Title:     "Network ACL TCP/UDP allow entry covers all ports",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EC2::NetworkAclEntry"},
	Doc: `A TCP or UDP allow entry without a PortRange, or with ports 0 to
65535, lets through traffic to every service in the subnet. Allow the ports
the subnet serves, and the ephemeral range (1024-65535) for return traffic.
Unlike cfn_nag, deny entries are not reported: denying all ports is what a
deny entry is for.

Bad:

~~~yaml
AllowTcp:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref Acl
    RuleNumber: 100
    Protocol: 6
    RuleAction: allow
    CidrBlock: 10.0.0.0/8
    PortRange: {From: 0, To: 65535}
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
	Fix: "Set PortRange to the ports the subnet serves.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, e := range naclEntries(p) {
			if e.action != "allow" || (e.proto != "6" && e.proto != "17") {
				continue
			}
			for _, from := range prop.Get(p.Eval, e.r, "PortRange", "From") {
				for _, to := range prop.Get(p.Eval, e.r, "PortRange", "To") {
					if from.Absent || to.Absent {
						v := from
						if !to.Absent {
							v = to
						}
						if v.Absent && len(v.Path) > len("Properties.PortRange") {
							v.Path = "Properties.PortRange"
						}
						rep.Report(e.r, v, "network ACL allow entry covers all ports: PortRange is not set")
						continue
					}
					f, ok1 := from.Int()
					t, ok2 := to.Int()
					if v, ok := prop.Both(from, to); ok && ok1 && ok2 && f <= 0 && t >= 65535 {
						rep.Report(e.r, v, "network ACL allow entry covers all ports: %d to %d", f, t)
					}
				}
			}
		}
	},
}
