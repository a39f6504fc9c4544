package rds

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// BackupDisabled reports instances whose automated backups are switched
// off.
var BackupDisabled = &scan.Rule{
	ID:        "RDS-006",
	Aliases:   []string{"W75"},
	Title:     "RDS instance has automated backups disabled",
	Severity:  scan.Warning,
	Resources: []string{"AWS::RDS::DBInstance"},
	Doc: `BackupRetentionPeriod: 0 turns off automated backups and
point-in-time recovery: a bad migration, a deleted table or a corrupted
volume can then be undone only from a manual snapshot, if there is one.
Leaving the property out keeps backups on (one day); see RDS-007 for
retention shorter than a week. Aurora instances and instances in a cluster
take their backups from the cluster and are not checked.

Bad:

~~~yaml
Db:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: mysql
    BackupRetentionPeriod: 0
~~~

Good:

~~~yaml
Db:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: mysql
    BackupRetentionPeriod: 7
~~~
`,
	Fix: "Set BackupRetentionPeriod to 7 days or more.",
	Check: checkStandalone(filter{},
		func(v prop.Val) bool { n, ok := v.Int(); return ok && n == 0 },
		func(v prop.Val) string {
			return "RDS automated backups are disabled: " + v.State("BackupRetentionPeriod")
		},
		"BackupRetentionPeriod"),
}
