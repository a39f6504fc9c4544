package sns

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// TopicNoKMSKey reports topics without server-side encryption.
var TopicNoKMSKey = &scan.Rule{
	ID:        "SNS-004",
	Aliases:   []string{"W47"},
	Title:     "SNS topic does not set KmsMasterKeyId",
	Severity:  scan.Warning,
	Resources: []string{"AWS::SNS::Topic"},
	Doc: `Without KmsMasterKeyId an SNS topic stores messages unencrypted
while it delivers them. Server-side encryption with a KMS key protects
them at rest, and a customer managed key's policy decides who may publish
encrypted messages. Unlike cfn_nag, a key set only in one branch of an
Fn::If is reported for the other branch.

Bad:

~~~yaml
Topic:
  Type: AWS::SNS::Topic
  Properties:
    TopicName: alerts
~~~

Good:

~~~yaml
Topic:
  Type: AWS::SNS::Topic
  Properties:
    TopicName: alerts
    KmsMasterKeyId: !Ref TopicKey
~~~
`,
	Fix: "Set KmsMasterKeyId to a customer managed KMS key.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "KmsMasterKeyId") {
				if v.Absent {
					rep.Report(r, v, "SNS topic %s does not set KmsMasterKeyId", r.ID)
				}
			}
		}
	},
}
