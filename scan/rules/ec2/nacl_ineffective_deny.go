package ec2

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// NACLPartialDeny reports deny entries that do not cover every address.
var NACLPartialDeny = &scan.Rule{
	ID:        "NACL-004",
	Aliases:   []string{"W71"},
	Title:     "Network ACL deny entry does not cover all addresses",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EC2::NetworkAcl", "AWS::EC2::NetworkAclEntry"},
	Doc: `A deny entry for part of the address space blocks only those
sources, which attackers change at will; it reads as protection while
giving little. Block by allowing only what is needed (the ACL ends in an
implicit deny) and keep deny entries for all addresses. cfn_nag checks only
entries whose ACL is declared in the same template; every entry is checked
here, and any spelling of 0.0.0.0/0 or ::/0 counts as all addresses.

Bad:

~~~yaml
DenyOne:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref Acl
    RuleNumber: 90
    Protocol: -1
    RuleAction: deny
    CidrBlock: 198.51.100.0/24
~~~

Good:

~~~yaml
DenyAll:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref Acl
    RuleNumber: 90
    Protocol: 6
    RuleAction: deny
    CidrBlock: 0.0.0.0/0
    PortRange: {From: 23, To: 23}
~~~
`,
	Fix: "Deny for 0.0.0.0/0 (or ::/0), and restrict sources with allow entries instead.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, e := range naclEntries(p) {
			if e.action != "deny" {
				continue
			}
			for _, key := range []string{"CidrBlock", "Ipv6CidrBlock"} {
				for _, v := range prop.Get(p.Eval, e.r, key) {
					if s, ok := v.Str(); ok && !worldOpen(s) {
						rep.Report(e.r, v, "network ACL deny entry covers only part of the addresses: %s", v.State(key))
					}
				}
			}
		}
	},
}
