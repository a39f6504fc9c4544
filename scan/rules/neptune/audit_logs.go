package neptune

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// AuditLogsNotExported reports Neptune clusters that do not send audit
// logs to CloudWatch Logs.
var AuditLogsNotExported = &scan.Rule{
	ID:        "NEPTUNE-003",
	Title:     "Neptune cluster does not export audit logs",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Neptune::DBCluster"},
	Doc: `Neptune audit logs record every query and who sent it. They reach
CloudWatch Logs, where they are kept and can be alarmed on, only when
EnableCloudwatchLogsExports includes "audit" (AWS Security Hub Neptune.2);
the cluster parameter group must also set neptune_enable_audit_log to 1.

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
    EnableCloudwatchLogsExports: [audit]
    DBClusterParameterGroupName: !Ref AuditParams
~~~
`,
	Fix:   "Add audit to EnableCloudwatchLogsExports and set neptune_enable_audit_log: 1 in the cluster parameter group.",
	Check: check.DatabaseLogExport("Neptune audit logs are not exported", "audit", "EnableCloudwatchLogsExports"),
}
