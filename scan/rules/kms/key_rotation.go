package kms

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// KeyRotationDisabled reports symmetric keys without automatic rotation.
var KeyRotationDisabled = &scan.Rule{
	ID:        "KMS-001",
	Aliases:   []string{"F19"},
	Title:     "KMS key rotation is not enabled",
	Severity:  scan.Failure,
	Resources: []string{"AWS::KMS::Key"},
	Doc: `Automatic rotation gives a symmetric key new key material every year
while old ciphertext stays readable, which limits how much data any one
version protects and meets most compliance baselines. Only symmetric
encryption keys support it: keys whose KeySpec is asymmetric or HMAC are
not reported, since EnableKeyRotation cannot be set on them.

Bad:

~~~yaml
DataKey:
  Type: AWS::KMS::Key
  Properties:
    KeyPolicy: {...}
~~~

Good:

~~~yaml
DataKey:
  Type: AWS::KMS::Key
  Properties:
    EnableKeyRotation: true
    KeyPolicy: {...}
~~~
`,
	Fix: "Set EnableKeyRotation: true.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			symmetric := false
			for _, v := range prop.Get(p.Eval, r, "KeySpec") {
				s, ok := v.Str()
				symmetric = symmetric || v.Absent || !ok || s == "SYMMETRIC_DEFAULT"
			}
			if !symmetric {
				continue
			}
			for _, v := range prop.Get(p.Eval, r, "EnableKeyRotation") {
				if v.NotTrue() {
					rep.Report(r, v, "KMS key rotation is not enabled: %s", v.State("EnableKeyRotation"))
				}
			}
		}
	},
}
