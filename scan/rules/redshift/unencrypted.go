package redshift

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// Unencrypted reports Redshift clusters that may store data unencrypted.
var Unencrypted = &scan.Rule{
	ID:        "REDSHIFT-001",
	Aliases:   []string{"F28"},
	Title:     "Redshift cluster is not encrypted",
	Severity:  scan.Failure,
	Resources: []string{"AWS::Redshift::Cluster"},
	Doc: `A cluster whose Encrypted is not true may be created unencrypted:
its data blocks, system metadata and snapshots are then readable by
whoever obtains the storage or a snapshot, and turning encryption on later
is a long resize or migration. Say Encrypted: true, with KmsKeyId for a key
whose policy you control, so the template does not depend on a default.

Bad:

~~~yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    ClusterType: multi-node
    NodeType: ra3.xlplus
    NumberOfNodes: 2
    DBName: analytics
~~~

Good:

~~~yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    ClusterType: multi-node
    NodeType: ra3.xlplus
    NumberOfNodes: 2
    DBName: analytics
    Encrypted: true
    KmsKeyId: !Ref WarehouseKey
~~~
`,
	Fix:   "Set Encrypted: true (with KmsKeyId for your own key).",
	Check: check.MustBeTrue("Redshift cluster is not encrypted", "Encrypted"),
}
