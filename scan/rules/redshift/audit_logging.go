package redshift

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// AuditLoggingOff reports Redshift clusters that do not keep audit logs.
var AuditLoggingOff = &scan.Rule{
	ID:        "REDSHIFT-004",
	Title:     "Redshift cluster has no audit logging",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Redshift::Cluster"},
	Doc: `Without LoggingProperties the cluster keeps no connection, user or
user-activity log outside its own system tables, which hold only a few days:
who connected and what they ran cannot be established after an incident
(AWS Security Hub Redshift.4). Send the logs to S3 or CloudWatch Logs.

Bad:

~~~yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    NodeType: ra3.xlplus
    Encrypted: true
~~~

Good:

~~~yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    NodeType: ra3.xlplus
    Encrypted: true
    LoggingProperties:
      LogDestinationType: cloudwatch
      LogExports: [connectionlog, userlog, useractivitylog]
~~~
`,
	Fix: "Set LoggingProperties (BucketName, or LogDestinationType: cloudwatch with LogExports).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "LoggingProperties") {
				if v.Absent {
					rep.Report(r, v, "Redshift cluster has no audit logging: %s", v.State("LoggingProperties"))
				}
			}
		}
	},
}
