package docdb

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// DeletionProtection reports DocumentDB clusters that a stack change or
// one API call can delete.
var DeletionProtection = &scan.Rule{
	ID:        "DOCDB-003",
	Title:     "DocumentDB cluster has no deletion protection",
	Severity:  scan.Warning,
	Resources: []string{"AWS::DocDB::DBCluster"},
	Doc: `Without DeletionProtection: true, deleting the stack, a change that
replaces the cluster, or one DeleteDBCluster call destroys it (AWS Security
Hub DocumentDB.5).

Bad:

~~~yaml
Docs:
  Type: AWS::DocDB::DBCluster
  Properties:
    StorageEncrypted: true
~~~

Good:

~~~yaml
Docs:
  Type: AWS::DocDB::DBCluster
  DeletionPolicy: Snapshot
  Properties:
    StorageEncrypted: true
    DeletionProtection: true
~~~
`,
	Fix:   "Set DeletionProtection: true.",
	Check: check.MustBeTrue("DocumentDB cluster has no deletion protection", "DeletionProtection"),
}
