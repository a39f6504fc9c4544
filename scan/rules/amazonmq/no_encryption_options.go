package amazonmq

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// NoEncryptionOptions reports brokers that do not say how they encrypt
// messages at rest.
var NoEncryptionOptions = &scan.Rule{
	ID:        "MQ-002",
	Aliases:   []string{"W53"},
	Title:     "Amazon MQ broker does not set EncryptionOptions",
	Severity:  scan.Warning,
	Resources: []string{brokerType},
	Doc: `Amazon MQ always encrypts messages at rest, but without
EncryptionOptions it uses a key owned by AWS: you cannot audit its use,
restrict it with a key policy or revoke it. EncryptionOptions with
UseAwsOwnedKey: false and a KmsKeyId puts the key under your control, and
it can only be chosen when the broker is created. Unlike cfn_nag, an
EncryptionOptions set only in one branch of an Fn::If is reported for the
other branch.

Bad:

~~~yaml
Broker:
  Type: AWS::AmazonMQ::Broker
  Properties:
    BrokerName: orders
    EngineType: ACTIVEMQ
~~~

Good:

~~~yaml
Broker:
  Type: AWS::AmazonMQ::Broker
  Properties:
    BrokerName: orders
    EngineType: ACTIVEMQ
    EncryptionOptions:
      UseAwsOwnedKey: false
      KmsKeyId: !Ref BrokerKey
~~~
`,
	Fix: "Add EncryptionOptions with UseAwsOwnedKey: false and a KmsKeyId.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "EncryptionOptions") {
				if v.Absent {
					rep.Report(r, v, "Amazon MQ broker %s does not set EncryptionOptions", r.ID)
				}
			}
		}
	},
}
