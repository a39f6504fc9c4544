package docdb

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// StorageUnencrypted reports DocumentDB clusters whose storage may be
// unencrypted.
var StorageUnencrypted = &scan.Rule{
	ID:        "DOCDB-002",
	Title:     "DocumentDB storage is not encrypted",
	Severity:  scan.Failure,
	Resources: []string{"AWS::DocDB::DBCluster"},
	Doc: `StorageEncrypted defaults to false: the cluster's data, indexes,
backups and snapshots are then stored unencrypted, and encryption cannot be
turned on later without restoring into a new cluster (AWS Security Hub
DocumentDB.1).

Bad:

~~~yaml
Docs:
  Type: AWS::DocDB::DBCluster
  Properties:
    MasterUsername: docadmin
    ManageMasterUserPassword: true
~~~

Good:

~~~yaml
Docs:
  Type: AWS::DocDB::DBCluster
  Properties:
    MasterUsername: docadmin
    ManageMasterUserPassword: true
    StorageEncrypted: true
    KmsKeyId: !Ref DocsKey
~~~
`,
	Fix:   "Set StorageEncrypted: true (with KmsKeyId for your own key).",
	Check: check.MustBeTrue("DocumentDB storage is not encrypted", "StorageEncrypted"),
}
