package neptune

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// StorageUnencrypted reports Neptune clusters whose storage may be
// unencrypted.
var StorageUnencrypted = &scan.Rule{
	ID:        "NEPTUNE-001",
	Aliases:   []string{"F30"},
	Title:     "Neptune storage is not encrypted",
	Severity:  scan.Failure,
	Resources: []string{"AWS::Neptune::DBCluster"},
	Doc: `StorageEncrypted defaults to false: the graph, its backups and
snapshots are then stored unencrypted, and encryption cannot be turned on
later without restoring into a new cluster.

Bad:

~~~yaml
Graph:
  Type: AWS::Neptune::DBCluster
  Properties:
    DBSubnetGroupName: !Ref GraphSubnets
~~~

Good:

~~~yaml
Graph:
  Type: AWS::Neptune::DBCluster
  Properties:
    DBSubnetGroupName: !Ref GraphSubnets
    StorageEncrypted: true
    KmsKeyId: !Ref GraphKey
~~~
`,
	Fix:   "Set StorageEncrypted: true (with KmsKeyId for your own key).",
	Check: check.MustBeTrue("Neptune storage is not encrypted", "StorageEncrypted"),
}
