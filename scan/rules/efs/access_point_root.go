package efs

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// AccessPointRoot reports access points that expose the file system's
// root directory.
var AccessPointRoot = &scan.Rule{
	ID:        "EFS-003",
	Title:     "EFS access point exposes the file system root",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EFS::AccessPoint"},
	Doc: `An access point is meant to confine a client to its own directory.
Without RootDirectory.Path, or with "/", clients using it see every file of
the file system, including other applications' data (AWS Security Hub
EFS.3).

Bad:

~~~yaml
AppAccess:
  Type: AWS::EFS::AccessPoint
  Properties:
    FileSystemId: !Ref Share
~~~

Good:

~~~yaml
AppAccess:
  Type: AWS::EFS::AccessPoint
  Properties:
    FileSystemId: !Ref Share
    PosixUser: {Uid: "1000", Gid: "1000"}
    RootDirectory:
      Path: /app
      CreationInfo: {OwnerUid: "1000", OwnerGid: "1000", Permissions: "750"}
~~~
`,
	Fix: "Set RootDirectory.Path to the application's own directory.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "RootDirectory", "Path") {
				if s, ok := v.Str(); v.Absent || (ok && strings.Trim(s, "/ ") == "") {
					rep.Report(r, v, "access point exposes the whole file system: %s", v.State("Path"))
				}
			}
		}
	},
}
