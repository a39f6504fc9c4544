package ec2

import (
	"cmp"
	"slices"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// NACLOverlappingPorts reports network ACL entries whose ports and
// addresses overlap another entry of the same ACL and direction.
var NACLOverlappingPorts = &scan.Rule{
	ID:        "NACL-005",
	Aliases:   []string{"W72"},
	Title:     "Network ACL entries overlap in ports",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EC2::NetworkAclEntry"},
	Doc: `Entries of one network ACL are evaluated in rule-number order and
the first match wins, so an entry whose ports (and addresses) overlap an
earlier one is partly or wholly ineffective, and the ACL no longer does what
it reads as. Entries are compared within one ACL, direction, address family
and protocol (TCP or UDP). cfn_nag also compares TCP with UDP entries and
entries for disjoint CIDR blocks, which cannot shadow each other; here they
are not reported. Each overlapping entry is reported once, naming the entry
it overlaps.

Bad:

~~~yaml
AllowWeb:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref Acl
    RuleNumber: 100
    Protocol: 6
    RuleAction: allow
    CidrBlock: 0.0.0.0/0
    PortRange: {From: 80, To: 443}
AllowHttps:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref Acl
    RuleNumber: 110
    Protocol: 6
    RuleAction: allow
    CidrBlock: 0.0.0.0/0
    PortRange: {From: 443, To: 443}
~~~

Good:

~~~yaml
AllowHttp:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref Acl
    RuleNumber: 100
    Protocol: 6
    RuleAction: allow
    CidrBlock: 0.0.0.0/0
    PortRange: {From: 80, To: 80}
AllowHttps:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref Acl
    RuleNumber: 110
    Protocol: 6
    RuleAction: allow
    CidrBlock: 0.0.0.0/0
    PortRange: {From: 443, To: 443}
~~~
`,
	Fix: "Make the port ranges of the ACL's entries disjoint, or merge the entries.",
	Check: func(p *scan.Pass) {
		type key struct {
			acl          string
			egress, ipv6 bool
			proto        string
		}
		groups := map[key][]*naclEntry{}
		var order []key
		for _, e := range naclEntries(p) {
			if !e.ported || e.acl == "" {
				continue
			}
			k := key{e.acl, e.egress, e.ipv6, e.proto}
			if groups[k] == nil {
				order = append(order, k)
			}
			groups[k] = append(groups[k], e)
		}
		rep := prop.NewReporter(p)
		for _, k := range order {
			es := groups[k]
			slices.SortStableFunc(es, func(a, b *naclEntry) int { return cmp.Compare(a.from, b.from) })
			// Sweep by start port, keeping the entries whose range is still
			// open; only those can overlap the next one, so the work grows
			// with the overlaps found (and an ACL holds at most 40 entries per
			// direction by quota).
			var open []*naclEntry
			for _, e := range es {
				live := open[:0]
				for _, o := range open {
					if o.to >= e.from {
						live = append(live, o)
					}
				}
				open = live
				for _, o := range open {
					if e.overlaps(o) {
						later, earlier := e, o
						if ruleNumber(p, o) > ruleNumber(p, e) {
							later, earlier = o, e
						}
						for _, v := range prop.Get(p.Eval, later.r, "PortRange") {
							rep.Report(later.r, v, "network ACL entry's ports %d-%d overlap those of %s (%d-%d)", later.from, later.to, earlier.r.ID, earlier.from, earlier.to)
						}
						break
					}
				}
				open = append(open, e)
			}
		}
	},
}

// ruleNumber returns an entry's rule number, or 0 when unknown.
func ruleNumber(p *scan.Pass, e *naclEntry) int {
	for _, v := range prop.Get(p.Eval, e.r, "RuleNumber") {
		if n, ok := v.Int(); ok {
			return n
		}
	}
	return 0
}
