package neptune

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// IAMAuthDisabled reports Neptune clusters that any client in the network
// can query.
var IAMAuthDisabled = &scan.Rule{
	ID:        "NEPTUNE-004",
	Title:     "Neptune cluster does not use IAM authentication",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Neptune::DBCluster"},
	Doc: `Neptune has no database users: without IamAuthEnabled: true, anything
that can reach the cluster's port can read and change the whole graph, and
access cannot be granted or revoked per application (AWS Security Hub
Neptune.7). With IAM authentication every request is signed by a role that
IAM allows to connect.

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
  Properties:
    StorageEncrypted: true
    IamAuthEnabled: true
~~~
`,
	Fix:   "Set IamAuthEnabled: true and grant neptune-db:connect to the application's role.",
	Check: check.MustBeTrue("Neptune cluster does not use IAM authentication", "IamAuthEnabled"),
}
