package docdb

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// AuditLogsNotExported reports DocumentDB clusters that do not send audit
// logs to CloudWatch Logs.
var AuditLogsNotExported = &scan.Rule{
	ID:        "DOCDB-004",
	Title:     "DocumentDB cluster does not export audit logs",
	Severity:  scan.Warning,
	Resources: []string{"AWS::DocDB::DBCluster"},
	Doc: `Audit logs record authentication attempts, user and role changes and
DDL: who tried to get in and what they changed. They reach CloudWatch Logs
only when EnableCloudwatchLogsExports includes "audit" (AWS Security Hub
DocumentDB.4); the cluster parameter group must also set audit_logs to
enabled.

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
  Properties:
    StorageEncrypted: true
    EnableCloudwatchLogsExports: [audit]
    DBClusterParameterGroupName: !Ref AuditParams
~~~
`,
	Fix:   "Add audit to EnableCloudwatchLogsExports and set audit_logs: enabled in the cluster parameter group.",
	Check: check.DatabaseLogExport("DocumentDB audit logs are not exported", "audit", "EnableCloudwatchLogsExports"),
}
