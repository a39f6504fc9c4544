package ec2

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// VolumeUnencrypted reports EBS volumes that may be created unencrypted.
var VolumeUnencrypted = &scan.Rule{
	ID:        "EC2-001",
	Aliases:   []string{"F1"},
	Title:     "EBS volume is not encrypted",
	Severity:  scan.Failure,
	Resources: []string{"AWS::EC2::Volume"},
	Doc: `An unencrypted EBS volume keeps its data, and every snapshot taken of
it, readable by anyone who gets hold of the snapshot or the underlying
storage. Encryption cannot be switched on later without copying the data to
a new volume, so it must be set when the volume is created. Every possible
value counts: a volume encrypted only when a condition holds is reported for
the branch that leaves it unencrypted.

Bad:

~~~yaml
Data:
  Type: AWS::EC2::Volume
  Properties:
    AvailabilityZone: eu-west-1a
    Size: 100
    Encrypted: !If [IsProd, true, false]
~~~

Good:

~~~yaml
Data:
  Type: AWS::EC2::Volume
  Properties:
    AvailabilityZone: eu-west-1a
    Size: 100
    Encrypted: true
    KmsKeyId: !Ref VolumeKey
~~~
`,
	Fix:   "Set Encrypted: true on the volume (and KmsKeyId to use your own key).",
	Check: check.MustBeTrue("EBS volume is not encrypted", "Encrypted"),
}
