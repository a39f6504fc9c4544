package rds

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// PubliclyAccessible reports database instances reachable from the
// internet.
var PubliclyAccessible = &scan.Rule{
	ID:        "RDS-002",
	Aliases:   []string{"F22"},
	Title:     "RDS instance is publicly accessible",
	Severity:  scan.Failure,
	Resources: []string{"AWS::RDS::DBInstance"},
	Doc: `PubliclyAccessible: true gives the instance a public DNS name and
address, so only its security group stands between the database and the
internet. Databases belong in private subnets, reached through the
application, a bastion or a VPN.

Bad:

~~~yaml
Db:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: mysql
    DBInstanceClass: db.t4g.micro
    PubliclyAccessible: true
~~~

Good:

~~~yaml
Db:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: mysql
    DBInstanceClass: db.t4g.micro
    PubliclyAccessible: false
    DBSubnetGroupName: !Ref PrivateSubnets
~~~
`,
	Fix:   "Set PubliclyAccessible: false and place the instance in private subnets.",
	Check: check.MustNotBeTrue("RDS instance is reachable from the internet", "PubliclyAccessible"),
}
