package redshift

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// SnapshotsDisabled reports Redshift clusters whose automated snapshots
// are switched off.
var SnapshotsDisabled = &scan.Rule{
	ID:        "REDSHIFT-006",
	Title:     "Redshift automated snapshots are disabled",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Redshift::Cluster"},
	Doc: `AutomatedSnapshotRetentionPeriod: 0 turns off automated snapshots:
dropped tables or a bad load can then be recovered only from manual
snapshots, if someone took one (AWS Security Hub Redshift.3). Leaving the
property out keeps one day; 7 or more is better.

Bad:

~~~yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    NodeType: ra3.xlplus
    AutomatedSnapshotRetentionPeriod: 0
~~~

Good:

~~~yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    NodeType: ra3.xlplus
    AutomatedSnapshotRetentionPeriod: 7
~~~
`,
	Fix: "Set AutomatedSnapshotRetentionPeriod to 7 days or more.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "AutomatedSnapshotRetentionPeriod") {
				if n, ok := v.Int(); ok && n == 0 {
					rep.Report(r, v, "Redshift automated snapshots are disabled: %s", v.State("AutomatedSnapshotRetentionPeriod"))
				}
			}
		}
	},
}
