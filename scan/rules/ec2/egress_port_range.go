package ec2

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// EgressPortRange reports egress rules that open a range of ports.
var EgressPortRange = &scan.Rule{
	ID:        "SG-006",
	Aliases:   []string{"W29"},
	Title:     "Security group egress opens a range of ports",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupEgress"},
	Doc: `A TCP or UDP egress rule whose FromPort and ToPort differ lets the
workload connect out on every port in between, far more than the services it
calls. Only tcp and udp rules are checked (cfn_nag compares the two fields
for every protocol, although for ICMP they hold a type and a code); rules
for all protocols (-1) are reported by SG-007.

Bad:

~~~yaml
Out:
  Type: AWS::EC2::SecurityGroupEgress
  Properties:
    GroupId: !Ref App
    IpProtocol: tcp
    FromPort: 0
    ToPort: 65535
    DestinationSecurityGroupId: !Ref Db
~~~

Good:

~~~yaml
Out:
  Type: AWS::EC2::SecurityGroupEgress
  Properties:
    GroupId: !Ref App
    IpProtocol: tcp
    FromPort: 5432
    ToPort: 5432
    DestinationSecurityGroupId: !Ref Db
~~~
`,
	Fix: "Open only the ports the workload connects to, one rule per port.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, ent := range egress(p.Eval, r) {
				one := []prop.Val{ent}
				ported := false
				for _, v := range prop.Field(p.Eval, one, "IpProtocol") {
					ported = ported || portProtocol(v)
				}
				if !ported {
					continue
				}
				for _, from := range prop.Field(p.Eval, one, "FromPort") {
					for _, to := range prop.Field(p.Eval, one, "ToPort") {
						f, ok1 := from.Int()
						t, ok2 := to.Int()
						if v, ok := prop.Both(from, to); ok && ok1 && ok2 && f != t {
							rep.Report(r, v, "security group egress opens ports %d to %d", f, t)
						}
					}
				}
			}
		}
	},
}
