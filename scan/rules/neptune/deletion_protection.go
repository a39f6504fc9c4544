package neptune

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// DeletionProtection reports Neptune clusters that a stack change or one
// API call can delete.
var DeletionProtection = &scan.Rule{
	ID:        "NEPTUNE-002",
	Title:     "Neptune cluster has no deletion protection",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Neptune::DBCluster"},
	Doc: `Without DeletionProtection: true, deleting the stack, a change that
replaces the cluster, or one DeleteDBCluster call destroys the graph (AWS
Security Hub Neptune.4).

Bad:

~~~yaml
Graph:
  Type: AWS::Neptune::DBCluster
  Properties:
    StorageEncrypted: true
~~~

Good:

~~~yaml
Graph:
  Type: AWS::Neptune::DBCluster
  DeletionPolicy: Snapshot
  Properties:
    StorageEncrypted: true
    DeletionProtection: true
~~~
`,
	Fix:   "Set DeletionProtection: true.",
	Check: check.MustBeTrue("Neptune cluster has no deletion protection", "DeletionProtection"),
}
