package ec2

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// VolumeNoKMSKey reports EBS volumes encrypted, if at all, with the AWS
// managed key.
var VolumeNoKMSKey = &scan.Rule{
	ID:        "EC2-002",
	Aliases:   []string{"W37"},
	Title:     "EBS volume does not name a customer-managed KMS key",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EC2::Volume"},
	Doc: `Without KmsKeyId an encrypted volume uses the AWS managed key
aws/ebs, whose key policy you cannot change: you cannot limit who may use
it, share snapshots with another account, or revoke access by disabling
the key. A customer-managed key gives that control and its use is logged in
CloudTrail under your policy.

Bad:

~~~yaml
Data:
  Type: AWS::EC2::Volume
  Properties:
    AvailabilityZone: eu-west-1a
    Size: 100
    Encrypted: true
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
	Fix: "Set KmsKeyId to a customer-managed KMS key.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "KmsKeyId") {
				if s, ok := v.Str(); v.Absent || (ok && s == "") {
					rep.Report(r, v, "EBS volume does not use a customer-managed KMS key: %s", v.State("KmsKeyId"))
				}
			}
		}
	},
}
