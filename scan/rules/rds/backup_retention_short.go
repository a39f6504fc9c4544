package rds

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// BackupRetentionShort reports databases that keep automated backups for
// less than a week.
var BackupRetentionShort = &scan.Rule{
	ID:        "RDS-007",
	Title:     "RDS automated backups are kept for less than 7 days",
	Severity:  scan.Info,
	Resources: []string{"AWS::RDS::DBInstance", "AWS::RDS::DBCluster"},
	Doc: `Point-in-time recovery reaches back only as far as the backup
retention period, which is one day when BackupRetentionPeriod is not set.
A problem noticed after a weekend (a bad script, a silent data loss) is then
beyond repair. AWS Security Hub (RDS.11) asks for at least 7 days. Zero,
which disables backups, is RDS-006. Aurora instances, instances in a
cluster and read replicas (SourceDBInstanceIdentifier) are not checked.

Bad:

~~~yaml
Db:
  Type: AWS::RDS::DBCluster
  Properties:
    Engine: aurora-postgresql
    BackupRetentionPeriod: 1
~~~

Good:

~~~yaml
Db:
  Type: AWS::RDS::DBCluster
  Properties:
    Engine: aurora-postgresql
    BackupRetentionPeriod: 7
~~~
`,
	Fix: "Set BackupRetentionPeriod to 7 days or more.",
	Check: checkStandalone(filter{noReplicas: true},
		func(v prop.Val) bool {
			if v.Absent {
				return true
			}
			n, ok := v.Int()
			return ok && n > 0 && n < 7
		},
		func(v prop.Val) string {
			if v.Absent {
				return "RDS automated backups are kept for 1 day only: BackupRetentionPeriod is not set"
			}
			return "RDS automated backups are kept for less than 7 days: " + v.State("BackupRetentionPeriod")
		},
		"BackupRetentionPeriod"),
}
