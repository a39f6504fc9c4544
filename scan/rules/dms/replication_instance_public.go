package dms

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// ReplicationInstancePublic reports replication instances that get a
// public address.
var ReplicationInstancePublic = &scan.Rule{
	ID:        "DMS-003",
	Aliases:   []string{"W91"},
	Title:     "DMS replication instance is publicly accessible",
	Severity:  scan.Warning,
	Resources: []string{"AWS::DMS::ReplicationInstance"},
	Doc: `PubliclyAccessible defaults to true: a replication instance created
without it gets a public IP address, reachable from the internet through
its security group, while it holds credentials to both databases of the
migration (AWS Security Hub DMS.1). Say PubliclyAccessible: false; as in
cfn_nag, leaving it out is reported.

Bad:

~~~yaml
Replicator:
  Type: AWS::DMS::ReplicationInstance
  Properties:
    ReplicationInstanceClass: dms.t3.medium
~~~

Good:

~~~yaml
Replicator:
  Type: AWS::DMS::ReplicationInstance
  Properties:
    ReplicationInstanceClass: dms.t3.medium
    PubliclyAccessible: false
    ReplicationSubnetGroupIdentifier: !Ref PrivateSubnets
~~~
`,
	Fix: "Set PubliclyAccessible: false.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "PubliclyAccessible") {
				if v.Absent || v.True() {
					rep.Report(r, v, "DMS replication instance is publicly accessible: %s", v.State("PubliclyAccessible"))
				}
			}
		}
	},
}
