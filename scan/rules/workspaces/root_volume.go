package workspaces

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// RootVolumeUnencrypted reports WorkSpaces whose root volume is not encrypted.
var RootVolumeUnencrypted = &scan.Rule{
	ID:        "WORKSPACES-002",
	Title:     "WorkSpace root volume is not encrypted",
	Severity:  scan.Failure,
	Resources: []string{"AWS::WorkSpaces::Workspace"},
	Doc: `A WorkSpace has two EBS volumes: the root volume (C: or /) holds the operating system, applications, caches and temporary files, which often include copies of user data.
Unless RootVolumeEncryptionEnabled is true the volume is stored unencrypted, and
so are its snapshots and the images made from it. Encryption can only be
chosen when the WorkSpace is created: turning it on later means rebuilding
the WorkSpace. Set RootVolumeEncryptionEnabled and, to control who may use the
key, VolumeEncryptionKey to a customer managed KMS key.
cfn_nag checks only the user volume (see WORKSPACES-001); checkov has this
check (CKV_AWS_155).

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
	Fix:   "Set RootVolumeEncryptionEnabled: true (with VolumeEncryptionKey for a customer managed key).",
	Check: check.MustBeTrue("WorkSpace root volume is not encrypted", "RootVolumeEncryptionEnabled"),
}
