package rds

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// inherits are the properties that make a database take its encryption
// from a snapshot or a source database, by type.
var inherits = map[string][]string{
	instanceType: {"DBSnapshotIdentifier", "SourceDBInstanceIdentifier", "SourceDBClusterIdentifier"},
	clusterType:  {"SnapshotIdentifier", "SourceDBClusterIdentifier"},
}

// StorageUnencrypted reports database clusters, and instances outside a
// cluster, whose storage may be unencrypted.
var StorageUnencrypted = &scan.Rule{
	ID:        "RDS-001",
	Aliases:   []string{"F26", "F27"},
	Title:     "RDS storage is not encrypted",
	Severity:  scan.Failure,
	Resources: []string{"AWS::RDS::DBCluster", "AWS::RDS::DBInstance"},
	Doc: `A database whose StorageEncrypted is not true keeps its data, logs,
backups and snapshots unencrypted at rest, and encryption cannot be turned
on for an existing database without restoring a copy. An instance that is a
member of a cluster (DBClusterIdentifier set) takes its encryption from the
cluster and is not checked on its own; when DBClusterIdentifier is set only
under a condition, the other branch is. A read replica, or a database
restored from a snapshot (SourceDBInstanceIdentifier, DBSnapshotIdentifier,
SnapshotIdentifier, SourceDBClusterIdentifier), inherits its encryption
from the source, cannot choose it, and is not reported (cfn_nag reports it).

Bad:

~~~yaml
Db:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.micro
    AllocatedStorage: "20"
~~~

Good:

~~~yaml
Db:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.micro
    AllocatedStorage: "20"
    StorageEncrypted: true
    KmsKeyId: !Ref DbKey
~~~
`,
	Fix: "Set StorageEncrypted: true (with KmsKeyId for your own key).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			var standalone []prop.Val // conditions under which the resource is not a cluster member
			if r.Type == "AWS::RDS::DBInstance" {
				for _, c := range prop.Get(p.Eval, r, "DBClusterIdentifier") {
					if c.Absent {
						standalone = append(standalone, c)
					}
				}
			} else {
				standalone = []prop.Val{{}}
			}
			standalone = whileAbsent(p, r, standalone, inherits[r.Type]...)
			for _, v := range prop.Get(p.Eval, r, "StorageEncrypted") {
				if !v.NotTrue() {
					continue
				}
				for _, c := range standalone {
					if both, ok := prop.Both(v, c); ok {
						rep.Report(r, both, "RDS storage is not encrypted: %s", v.State("StorageEncrypted"))
						break
					}
				}
			}
		}
	},
}
