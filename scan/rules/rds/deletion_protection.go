package rds

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// DeletionProtection reports databases that a stack update, a stack
// deletion or one API call can delete.
var DeletionProtection = &scan.Rule{
	ID:        "RDS-005",
	Aliases:   []string{"F80"},
	Title:     "RDS database has no deletion protection",
	Severity:  scan.Failure,
	Resources: []string{"AWS::RDS::DBInstance", "AWS::RDS::DBCluster"},
	Doc: `Without DeletionProtection: true, deleting the stack, a change that
replaces the database, or a single DeleteDBInstance call destroys it (with
its automated backups unless a final snapshot is taken). Protection makes
every deletion a deliberate two-step act. Aurora instances, and any instance
in a cluster (DBClusterIdentifier set), are protected by their cluster and
are not checked; cfn_nag checks only instances, this rule checks clusters
too.

Bad:

~~~yaml
Db:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.micro
~~~

Good:

~~~yaml
Db:
  Type: AWS::RDS::DBInstance
  DeletionPolicy: Snapshot
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.micro
    DeletionProtection: true
~~~
`,
	Fix: "Set DeletionProtection: true.",
	Check: checkStandalone(filter{}, prop.Val.NotTrue,
		func(v prop.Val) string {
			return "RDS database has no deletion protection: " + v.State("DeletionProtection")
		},
		"DeletionProtection"),
}
