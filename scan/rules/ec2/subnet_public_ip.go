package ec2

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// SubnetMapPublicIP reports subnets that give every instance a public IP.
var SubnetMapPublicIP = &scan.Rule{
	ID:        "EC2-003",
	Aliases:   []string{"W33"},
	Title:     "Subnet assigns public IP addresses on launch",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EC2::Subnet"},
	Doc: `With MapPublicIpOnLaunch every instance and network interface
launched in the subnet gets a public IPv4 address, so a security group
mistake exposes it directly to the internet (AWS Security Hub EC2.15).
Give public addresses only to the resources that must have them, such as
load balancers and NAT gateways, which do not need this setting.

Bad:

~~~yaml
Public:
  Type: AWS::EC2::Subnet
  Properties:
    VpcId: !Ref Vpc
    CidrBlock: 10.0.0.0/24
    MapPublicIpOnLaunch: true
~~~

Good:

~~~yaml
Public:
  Type: AWS::EC2::Subnet
  Properties:
    VpcId: !Ref Vpc
    CidrBlock: 10.0.0.0/24
~~~
`,
	Fix:   "Remove MapPublicIpOnLaunch (or set it to false) and assign public addresses only where needed.",
	Check: check.MustNotBeTrue("subnet assigns a public IP to every instance", "MapPublicIpOnLaunch"),
}
