package workspaces

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// UserVolumeUnencrypted reports WorkSpaces whose user volume is not encrypted.
var UserVolumeUnencrypted = &scan.Rule{
	ID:        "WORKSPACES-001",
	Aliases:   []string{"F29"},
	Title:     "WorkSpace user volume is not encrypted",
	Severity:  scan.Failure,
	Resources: []string{"AWS::WorkSpaces::Workspace"},
	Doc: `A WorkSpace has two EBS volumes: the user volume (D: on Windows, /home on Linux) holds the user's profile and documents.
Unless UserVolumeEncryptionEnabled is true the volume is stored unencrypted, and
so are its snapshots and the images made from it. Encryption can only be
chosen when the WorkSpace is created: turning it on later means rebuilding
the WorkSpace. Set UserVolumeEncryptionEnabled and, to control who may use the
key, VolumeEncryptionKey to a customer managed KMS key.
cfn_nag (F29) reports the user volume only when the property is absent or
false; here a string "false", a parameter default and both branches of
Fn::If are checked as well.

Bad:

~~~yaml
Resources:
  Desk:
    Type: AWS::WorkSpaces::Workspace
    Properties:
      BundleId: wsb-0123456789
      DirectoryId: d-0123456789
      UserName: alice
~~~

Good:

~~~yaml
Resources:
  Desk:
    Type: AWS::WorkSpaces::Workspace
    Properties:
      BundleId: wsb-0123456789
      DirectoryId: d-0123456789
      UserName: alice
      RootVolumeEncryptionEnabled: true
      UserVolumeEncryptionEnabled: true
      VolumeEncryptionKey: !Ref WorkspacesKey
~~~
`,
	Fix:   "Set UserVolumeEncryptionEnabled: true (with VolumeEncryptionKey for a customer managed key).",
	Check: check.MustBeTrue("WorkSpace user volume is not encrypted", "UserVolumeEncryptionEnabled"),
}
