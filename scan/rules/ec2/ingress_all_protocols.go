package ec2

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// IngressAllProtocols reports ingress rules for every protocol and port.
var IngressAllProtocols = &scan.Rule{
	ID:        "SG-003",
	Aliases:   []string{"W42"},
	Title:     "Security group ingress allows all protocols",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"},
	Doc: `IpProtocol -1 admits every protocol on every port from the source,
so any service that ever listens on the instance is reachable. Even between
trusted groups, list the protocols and ports that are used.

Bad:

~~~yaml
FromApp:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: !Ref DbGroup
    IpProtocol: "-1"
    SourceSecurityGroupId: !Ref AppGroup
~~~

Good:

~~~yaml
FromApp:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: !Ref DbGroup
    IpProtocol: tcp
    FromPort: 5432
    ToPort: 5432
    SourceSecurityGroupId: !Ref AppGroup
~~~
`,
	Fix: "Name the protocol (tcp, udp, icmp) and the ports instead of -1.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, ing := range ingress(p.Eval, r) {
				for _, v := range prop.Field(p.Eval, []prop.Val{ing}, "IpProtocol") {
					if s, ok := v.Str(); ok && s == "-1" {
						rep.Report(r, v, "security group ingress allows all protocols and ports: IpProtocol is -1")
					}
				}
			}
		}
	},
}
