package ec2

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// IngressOpenToWorld reports security group ingress rules that admit every
// address.
var IngressOpenToWorld = &scan.Rule{
	ID:        "SG-001",
	Aliases:   []string{"W2"},
	Title:     "Security group ingress is open to the world",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"},
	Doc: `An ingress rule with CIDR 0.0.0.0/0 or ::/0 lets any host on the
internet reach the port, so anything listening there is exposed to scanning
and attack. This is right for a public load balancer and wrong almost
everywhere else; it is a warning so that the public cases can be suppressed
with a reason. Values coming from parameter defaults, supplied parameters
and either branch of Fn::If are checked, and every spelling of the
all-addresses prefix counts.

Bad:

~~~yaml
Parameters:
  AllowedCidr:
    Type: String
    Default: 0.0.0.0/0
Resources:
  Ssh:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: !Ref AllowedCidr
~~~

Good:

~~~yaml
Resources:
  Ssh:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 10.20.0.0/16
~~~
`,
	Fix: "Restrict the CIDR to the networks that need access, or use a source security group.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, ing := range ingress(p.Eval, r) {
				for _, key := range []string{"CidrIp", "CidrIpv6"} {
					for _, v := range prop.Field(p.Eval, []prop.Val{ing}, key) {
						if s, ok := v.Str(); ok && worldOpen(s) {
							rep.Report(r, v, "security group ingress is open to the world: %s", v.State(key))
						}
					}
				}
			}
		}
	},
}
