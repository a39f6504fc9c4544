package ec2

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// IngressPortRange reports ingress rules that open a range of ports.
var IngressPortRange = &scan.Rule{
	ID:        "SG-002",
	Aliases:   []string{"W27"},
	Title:     "Security group ingress opens a range of ports",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"},
	Doc: `A TCP or UDP ingress rule whose FromPort and ToPort differ opens every
port in between, usually far more than the service needs, and exposes
whatever else happens to listen on the host. Only tcp and udp rules are
checked: for ICMP the two fields hold a type and a code, not a range, and
rules for all protocols (-1) are a separate concern.

Bad:

~~~yaml
Web:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: !Ref WebGroup
    IpProtocol: tcp
    FromPort: 0
    ToPort: 65535
    SourceSecurityGroupId: !Ref LoadBalancerGroup
~~~

Good:

~~~yaml
Web:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: !Ref WebGroup
    IpProtocol: tcp
    FromPort: 443
    ToPort: 443
    SourceSecurityGroupId: !Ref LoadBalancerGroup
~~~
`,
	Fix: "Open only the ports the service listens on, one rule per port.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, ing := range ingress(p.Eval, r) {
				one := []prop.Val{ing}
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
							rep.Report(r, v, "security group ingress opens ports %d to %d", f, t)
						}
					}
				}
			}
		}
	},
}
