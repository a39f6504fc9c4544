package ec2

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// EgressAllProtocols reports egress rules for every protocol and port.
var EgressAllProtocols = &scan.Rule{
	ID:        "SG-007",
	Aliases:   []string{"W40"},
	Title:     "Security group egress allows all protocols",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupEgress"},
	Doc: `IpProtocol -1 lets the workload send any protocol to any port of
the destination, which is what malware needs to tunnel data out (DNS, ICMP,
odd ports). List the protocols and ports the workload uses.

Bad:

~~~yaml
App:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: app
    SecurityGroupEgress:
      - IpProtocol: "-1"
        CidrIp: 10.0.0.0/8
~~~

Good:

~~~yaml
App:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: app
    SecurityGroupEgress:
      - IpProtocol: tcp
        FromPort: 443
        ToPort: 443
        CidrIp: 10.0.0.0/8
~~~
`,
	Fix: "Name the protocol (tcp, udp, icmp) and the ports instead of -1.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, ent := range egress(p.Eval, r) {
				for _, v := range prop.Field(p.Eval, []prop.Val{ent}, "IpProtocol") {
					if s, ok := v.Str(); ok && s == "-1" {
						rep.Report(r, v, "security group egress allows all protocols and ports: IpProtocol is -1")
					}
				}
			}
		}
	},
}
