package dms

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// MinorUpgradeOff reports replication instances that do not receive minor
// engine versions.
var MinorUpgradeOff = &scan.Rule{
	ID:        "DMS-005",
	Title:     "DMS automatic minor version upgrade is disabled",
	Severity:  scan.Warning,
	Resources: []string{"AWS::DMS::ReplicationInstance"},
	Doc: `Minor DMS engine versions carry security fixes. With
AutoMinorVersionUpgrade: false they are applied only when someone upgrades
by hand (AWS Security Hub DMS.6).

Bad:

~~~yaml
Replicator:
  Type: AWS::DMS::ReplicationInstance
  Properties:
    ReplicationInstanceClass: dms.t3.medium
    PubliclyAccessible: false
    AutoMinorVersionUpgrade: false
~~~

Good:

~~~yaml
Replicator:
  Type: AWS::DMS::ReplicationInstance
  Properties:
    ReplicationInstanceClass: dms.t3.medium
    PubliclyAccessible: false
    AutoMinorVersionUpgrade: true
~~~
`,
	Fix:   "Set AutoMinorVersionUpgrade: true.",
	Check: check.DatabaseNotFalse("DMS minor version upgrades are disabled", "AutoMinorVersionUpgrade"),
}
