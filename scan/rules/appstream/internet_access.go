package appstream

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// DefaultInternetAccess reports fleets and image builders whose streaming
// instances get a public IP address.
var DefaultInternetAccess = &scan.Rule{
	ID:        "APPSTREAM-002",
	Title:     "AppStream instances have default internet access",
	Severity:  scan.Warning,
	Resources: []string{"AWS::AppStream::Fleet", "AWS::AppStream::ImageBuilder"},
	Doc: `With EnableDefaultInternetAccess, every streaming instance of the fleet
(or the image builder) gets a public IP address in a public subnet: users
can reach the whole internet from inside the session and the instances are
addressable from it, outside the controls of your VPC. The AppStream 2.0
security documentation recommends private subnets with a NAT gateway
instead, so egress goes through your own routing, security groups and
inspection. The default fleet limit is also lower for fleets with default
internet access. cfn_nag has no such check.

Bad:

~~~yaml
Resources:
  Fleet:
    Type: AWS::AppStream::Fleet
    Properties:
      InstanceType: stream.standard.medium
      EnableDefaultInternetAccess: true
~~~

Good:

~~~yaml
Resources:
  Fleet:
    Type: AWS::AppStream::Fleet
    Properties:
      InstanceType: stream.standard.medium
      VpcConfig:
        SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
~~~
`,
	Fix:   "Remove EnableDefaultInternetAccess and give the fleet private subnets with a NAT gateway.",
	Check: check.MustNotBeTrue("streaming instances get a public IP address", "EnableDefaultInternetAccess"),
}
