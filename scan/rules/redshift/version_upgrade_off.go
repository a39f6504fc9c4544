package redshift

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// VersionUpgradeOff reports Redshift clusters that do not receive engine
// upgrades.
var VersionUpgradeOff = &scan.Rule{
	ID:        "REDSHIFT-007",
	Title:     "Redshift automatic version upgrade is disabled",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Redshift::Cluster"},
	Doc: `With AllowVersionUpgrade: false the cluster stays on its engine
version and misses the security fixes of later ones until someone upgrades
it by hand (AWS Security Hub Redshift.6). Leaving the property out allows
upgrades in the maintenance window.

Bad:

~~~yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    NodeType: ra3.xlplus
    AllowVersionUpgrade: false
~~~

Good:

~~~yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    NodeType: ra3.xlplus
    AllowVersionUpgrade: true
    PreferredMaintenanceWindow: sun:03:00-sun:03:30
~~~
`,
	Fix:   "Set AllowVersionUpgrade: true (or remove it).",
	Check: check.DatabaseNotFalse("Redshift version upgrades are disabled", "AllowVersionUpgrade"),
}
