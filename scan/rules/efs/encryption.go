// Package efs holds the rules for Amazon EFS file systems and access
// points.
package efs

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// Unencrypted reports file systems created without encryption at rest.
var Unencrypted = &scan.Rule{
	ID:        "EFS-001",
	Aliases:   []string{"F32"},
	Title:     "EFS file system is not encrypted",
	Severity:  scan.Failure,
	Resources: []string{"AWS::EFS::FileSystem"},
	Doc: `An EFS file system without Encrypted: true stores its files and
metadata unencrypted at rest, and encryption cannot be turned on later: the
data must be copied to a new file system (AWS Security Hub EFS.1). Every
possible value counts, including parameter defaults and each Fn::If branch.

Bad:

~~~yaml
Share:
  Type: AWS::EFS::FileSystem
  Properties:
    PerformanceMode: generalPurpose
~~~

Good:

~~~yaml
Share:
  Type: AWS::EFS::FileSystem
  Properties:
    PerformanceMode: generalPurpose
    Encrypted: true
    KmsKeyId: !Ref ShareKey
~~~
`,
	Fix:   "Set Encrypted: true (and KmsKeyId to use your own key).",
	Check: check.MustBeTrue("EFS file system is not encrypted", "Encrypted"),
}
