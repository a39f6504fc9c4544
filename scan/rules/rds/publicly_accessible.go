package rds

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
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
application, a bastion or a VPN. Leaving PubliclyAccessible out is
reported too, as cfn_nag does: RDS then makes the instance public whenever
the VPC of its subnets (or the default VPC) has an internet gateway, which
the template alone does not show.

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
	Fix: "Set PubliclyAccessible: false and place the instance in private subnets.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "PubliclyAccessible") {
				switch {
				case v.Absent:
					rep.Report(r, v, "RDS instance may be reachable from the internet: PubliclyAccessible is not set (public when the VPC has an internet gateway)")
				case v.True():
					rep.Report(r, v, "RDS instance is reachable from the internet: %s", v.State("PubliclyAccessible"))
				}
			}
		}
	},
}
