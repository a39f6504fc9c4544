package ec2

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// PublicIPAssigned reports instances and launch templates whose network
// interfaces get a public IPv4 address.
var PublicIPAssigned = &scan.Rule{
	ID:        "EC2-007",
	Title:     "Instance network interface gets a public IP address",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EC2::Instance", "AWS::EC2::LaunchTemplate"},
	Doc: `An instance with a public IPv4 address is reachable from the
internet as soon as a security group allows it, and bypasses the load
balancers, NAT gateways and firewalls meant to stand in front of it (AWS
Security Hub EC2.9 and EC2.25). Put instances in private subnets and expose
services through a load balancer; reach instances with Session Manager.

Bad:

~~~yaml
Server:
  Type: AWS::EC2::Instance
  Properties:
    ImageId: ami-0123456789abcdef0
    NetworkInterfaces:
      - DeviceIndex: "0"
        SubnetId: !Ref Subnet
        AssociatePublicIpAddress: true
~~~

Good:

~~~yaml
Server:
  Type: AWS::EC2::Instance
  Properties:
    ImageId: ami-0123456789abcdef0
    NetworkInterfaces:
      - DeviceIndex: "0"
        SubnetId: !Ref PrivateSubnet
~~~
`,
	Fix: "Remove AssociatePublicIpAddress (or set it to false) and launch the instance in a private subnet.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			base := prop.Properties(p.Eval, r)
			if r.Type == "AWS::EC2::LaunchTemplate" {
				base = prop.Get(p.Eval, r, "LaunchTemplateData")
			}
			for _, ni := range prop.Items(p.Eval, prop.Field(p.Eval, base, "NetworkInterfaces")) {
				for _, v := range prop.Field(p.Eval, []prop.Val{ni}, "AssociatePublicIpAddress") {
					if v.True() {
						rep.Report(r, v, "network interface gets a public IP address: %s", v.State("AssociatePublicIpAddress"))
					}
				}
			}
		}
	},
}
