package ec2

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// EgressOpenToWorld reports security group egress rules to every address.
var EgressOpenToWorld = &scan.Rule{
	ID:        "SG-005",
	Aliases:   []string{"W5"},
	Title:     "Security group egress is open to the world",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupEgress"},
	Doc: `An egress rule with CIDR 0.0.0.0/0 or ::/0 lets an instance open
connections to any host on the internet: a compromised workload can then
download tools and send data out freely. Name the networks, prefix lists or
security groups the workload talks to. Rules in SecurityGroupEgress and
standalone AWS::EC2::SecurityGroupEgress resources are checked, each
reported where it is written. cfn_nag reads literal CIDRs only; here
parameter defaults, supplied values and both branches of Fn::If count too.

Bad:

~~~yaml
App:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: app
    SecurityGroupEgress:
      - IpProtocol: tcp
        FromPort: 443
        ToPort: 443
        CidrIp: 0.0.0.0/0
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
        DestinationPrefixListId: !Ref S3PrefixList
~~~
`,
	Fix: "Restrict the egress CIDR to the networks the workload needs, or use a destination security group or prefix list.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, ent := range egress(p.Eval, r) {
				for _, key := range []string{"CidrIp", "CidrIpv6"} {
					for _, v := range prop.Field(p.Eval, []prop.Val{ent}, key) {
						if s, ok := v.Str(); ok && worldOpen(s) {
							rep.Report(r, v, "security group egress is open to the world: %s", v.State(key))
						}
					}
				}
			}
		}
	},
}
