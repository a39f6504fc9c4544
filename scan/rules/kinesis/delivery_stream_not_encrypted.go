package kinesis

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

const deliveryStreamType = "AWS::KinesisFirehose::DeliveryStream"

// DeliveryStreamNotEncrypted reports Direct PUT delivery streams without
// server-side encryption.
var DeliveryStreamNotEncrypted = &scan.Rule{
	ID:        "FIREHOSE-001",
	Aliases:   []string{"W88"},
	Title:     "Firehose delivery stream is not encrypted",
	Severity:  scan.Warning,
	Resources: []string{deliveryStreamType},
	Doc: `A Direct PUT delivery stream buffers records for up to 15 minutes
(and retries for up to a day) before it delivers them. Without
DeliveryStreamEncryptionConfigurationInput and its KeyType, those records
are stored unencrypted. Streams reading from a Kinesis stream, MSK or a
database take encryption from their source and are not checked (cfn_nag
skips only KinesisStreamAsSource); a stream with no DeliveryStreamType is
Direct PUT.

Bad:

~~~yaml
Delivery:
  Type: AWS::KinesisFirehose::DeliveryStream
  Properties:
    DeliveryStreamType: DirectPut
    ExtendedS3DestinationConfiguration:
      BucketARN: !GetAtt Archive.Arn
      RoleARN: !GetAtt DeliveryRole.Arn
~~~

Good:

~~~yaml
Delivery:
  Type: AWS::KinesisFirehose::DeliveryStream
  Properties:
    DeliveryStreamType: DirectPut
    DeliveryStreamEncryptionConfigurationInput:
      KeyType: CUSTOMER_MANAGED_CMK
      KeyARN: !GetAtt DeliveryKey.Arn
    ExtendedS3DestinationConfiguration:
      BucketARN: !GetAtt Archive.Arn
      RoleARN: !GetAtt DeliveryRole.Arn
~~~
`,
	Fix: "Add DeliveryStreamEncryptionConfigurationInput with KeyType CUSTOMER_MANAGED_CMK (and KeyARN) or AWS_OWNED_CMK.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			var direct []prop.Val // conditions under which the stream is Direct PUT
			for _, t := range prop.Get(p.Eval, r, "DeliveryStreamType") {
				if s, ok := t.Str(); t.Absent || (ok && s == "DirectPut") {
					direct = append(direct, t)
				}
			}
			if len(direct) == 0 {
				continue
			}
			report := func(v prop.Val, msg string) {
				for _, d := range direct {
					if both, ok := prop.Both(v, d); ok {
						rep.Report(r, both, "Direct PUT delivery stream %s is not encrypted: %s", r.ID, msg)
						return
					}
				}
			}
			input := prop.Get(p.Eval, r, "DeliveryStreamEncryptionConfigurationInput")
			var present []prop.Val
			for _, v := range input {
				if v.Absent {
					report(v, v.State("DeliveryStreamEncryptionConfigurationInput"))
				} else {
					present = append(present, v)
				}
			}
			for _, v := range prop.Field(p.Eval, present, "KeyType") {
				if v.Absent {
					report(v, v.State("KeyType"))
				}
			}
		}
	},
}
