package ec2

import (
	"net/netip"
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// IngressCidrRange reports ingress rules whose CIDR is wider than one host.
var IngressCidrRange = &scan.Rule{
	ID:        "SG-008",
	Aliases:   []string{"W9"},
	Title:     "Security group ingress CIDR is wider than one host",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"},
	Doc: `An ingress CIDR that is not a single address (/32 for IPv4, /128 for
IPv6) admits every host of the range; often a source security group or a
prefix list says better who may connect. This is a warning to review, not
always an error: a VPC's own range is a common and fine choice. Values from
parameter defaults, supplied values and both branches of Fn::If are checked
(cfn_nag reads literals only).

Bad:

~~~yaml
Admin:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: !Ref Bastion
    IpProtocol: tcp
    FromPort: 22
    ToPort: 22
    CidrIp: 203.0.113.0/24
~~~

Good:

~~~yaml
Admin:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: !Ref Bastion
    IpProtocol: tcp
    FromPort: 22
    ToPort: 22
    CidrIp: 203.0.113.10/32
~~~
`,
	Fix: "Use a /32 (or /128) CIDR, a source security group or a managed prefix list.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, ing := range ingress(p.Eval, r) {
				for _, key := range []string{"CidrIp", "CidrIpv6"} {
					for _, v := range prop.Field(p.Eval, []prop.Val{ing}, key) {
						s, ok := v.Str()
						if !ok {
							continue
						}
						pfx, err := netip.ParsePrefix(strings.TrimSpace(s))
						if err == nil && pfx.Bits() != pfx.Addr().BitLen() {
							rep.Report(r, v, "security group ingress admits a range of addresses: %s", v.State(key))
						}
					}
				}
			}
		}
	},
}
