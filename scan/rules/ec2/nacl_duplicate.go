package ec2

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// NACLDuplicateRuleNumber reports network ACL entries that reuse a rule
// number of the same ACL and direction.
var NACLDuplicateRuleNumber = &scan.Rule{
	ID:        "NACL-001",
	Aliases:   []string{"F79"},
	Title:     "Network ACL entries share a rule number",
	Severity:  scan.Failure,
	Resources: []string{"AWS::EC2::NetworkAcl", "AWS::EC2::NetworkAclEntry"},
	Doc: `Within one network ACL and direction (ingress or egress) every
entry needs its own RuleNumber: the number orders evaluation. Two entries
with the same number make the stack fail to create or update, or, when one
is replaced, leave the ACL briefly without the rule. Entries belong to the
same ACL when their NetworkAclId is the same Ref or literal ID; every value
of a RuleNumber written with Fn::If or a parameter is compared.

Bad:

~~~yaml
AllowHttps:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref Acl
    RuleNumber: 100
    Protocol: 6
    RuleAction: allow
    CidrBlock: 0.0.0.0/0
    PortRange: {From: 443, To: 443}
AllowSsh:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref Acl
    RuleNumber: 100
    Protocol: 6
    RuleAction: allow
    CidrBlock: 10.0.0.0/8
    PortRange: {From: 22, To: 22}
~~~

Good:

~~~yaml
AllowSsh:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref Acl
    RuleNumber: 110
    Protocol: 6
    RuleAction: allow
    CidrBlock: 10.0.0.0/8
    PortRange: {From: 22, To: 22}
~~~
`,
	Fix: "Give each entry of the ACL and direction a distinct RuleNumber.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		type key struct {
			acl    string
			egress bool
			num    int
		}
		owner := map[key]string{}
		for _, e := range naclEntries(p) {
			if e.acl == "" {
				continue
			}
			for _, v := range prop.Get(p.Eval, e.r, "RuleNumber") {
				n, ok := v.Int()
				if !ok {
					continue
				}
				k := key{e.acl, e.egress, n}
				if other, dup := owner[k]; dup && other != e.r.ID {
					rep.Report(e.r, v, "%s rule number %d of network ACL is also used by %s", e.direction(), n, other)
				} else if !dup {
					owner[k] = e.r.ID
				}
			}
		}
	},
}
