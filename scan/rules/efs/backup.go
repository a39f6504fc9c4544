package efs

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// NoBackup reports file systems without automatic backups.
var NoBackup = &scan.Rule{
	ID:        "EFS-002",
	Title:     "EFS file system has no automatic backups",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EFS::FileSystem"},
	Doc: `Without automatic backups a deleted directory, a bad deploy or
ransomware on a client destroys the files for good. BackupPolicy with
Status ENABLED puts the file system in AWS Backup's default daily plan
(AWS Security Hub EFS.2). File systems backed up by a plan of their own
can suppress this finding with that reason.

Bad:

~~~yaml
Share:
  Type: AWS::EFS::FileSystem
  Properties:
    Encrypted: true
~~~

Good:

~~~yaml
Share:
  Type: AWS::EFS::FileSystem
  Properties:
    Encrypted: true
    BackupPolicy:
      Status: ENABLED
~~~
`,
	Fix: "Set BackupPolicy: {Status: ENABLED}, or add the file system to an AWS Backup plan.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, pol := range prop.Get(p.Eval, r, "BackupPolicy") {
				if pol.Absent {
					rep.Report(r, pol, "EFS file system has no automatic backups: BackupPolicy is not set")
					continue
				}
				for _, v := range prop.Field(p.Eval, []prop.Val{pol}, "Status") {
					if s, ok := v.Str(); v.Absent || (ok && !strings.EqualFold(s, "ENABLED")) {
						rep.Report(r, v, "EFS file system has no automatic backups: %s", v.State("Status"))
					}
				}
			}
		}
	},
}
