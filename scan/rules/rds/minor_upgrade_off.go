package rds

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// MinorUpgradeOff reports databases that do not receive minor engine
// versions, which carry security fixes.
var MinorUpgradeOff = &scan.Rule{
	ID:        "RDS-009",
	Title:     "RDS automatic minor version upgrade is disabled",
	Severity:  scan.Warning,
	Resources: []string{"AWS::RDS::DBInstance", "AWS::RDS::DBCluster"},
	Doc: `Minor engine versions carry security patches and bug fixes. With
AutoMinorVersionUpgrade: false they are applied only when someone remembers
to, so known vulnerabilities stay open (AWS Security Hub RDS.13). Leaving
the property out keeps upgrades on, in the maintenance window.

Bad:

~~~yaml
Db:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    AutoMinorVersionUpgrade: false
~~~

Good:

~~~yaml
Db:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    AutoMinorVersionUpgrade: true
    PreferredMaintenanceWindow: sun:03:00-sun:04:00
~~~
`,
	Fix:   "Set AutoMinorVersionUpgrade: true (or remove it) and pick a PreferredMaintenanceWindow.",
	Check: check.DatabaseNotFalse("RDS minor version upgrades are disabled", "AutoMinorVersionUpgrade"),
}
