package redshift

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// PubliclyAccessible reports Redshift clusters and serverless workgroups
// reachable from the internet.
var PubliclyAccessible = &scan.Rule{
	ID:        "REDSHIFT-003",
	Title:     "Redshift cluster is publicly accessible",
	Severity:  scan.Failure,
	Resources: []string{"AWS::Redshift::Cluster", "AWS::RedshiftServerless::Workgroup"},
	Doc: `PubliclyAccessible: true gives the cluster (or serverless workgroup)
a public address, so only its security group stands between the warehouse
and the internet (AWS Security Hub Redshift.1). Reach it from inside the
VPC, through a VPN, or with the Redshift Data API.

Bad:

~~~yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    NodeType: ra3.xlplus
    PubliclyAccessible: true
~~~

Good:

~~~yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    NodeType: ra3.xlplus
    PubliclyAccessible: false
    ClusterSubnetGroupName: !Ref PrivateSubnets
~~~
`,
	Fix:   "Set PubliclyAccessible: false and place the cluster in private subnets.",
	Check: check.MustNotBeTrue("Redshift is reachable from the internet", "PubliclyAccessible"),
}
