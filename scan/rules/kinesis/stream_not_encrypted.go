package kinesis

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// StreamNotEncrypted reports data streams without KMS encryption.
var StreamNotEncrypted = &scan.Rule{
	ID:        "KINESIS-001",
	Aliases:   []string{"W49"},
	Title:     "Kinesis stream is not encrypted with KMS",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Kinesis::Stream"},
	Doc: `A data stream keeps its records for a day or more (up to a year).
Without StreamEncryption, or with EncryptionType NONE, they are stored
unencrypted; KMS encryption needs both EncryptionType: KMS and a KeyId.
Unlike cfn_nag, a StreamEncryption set only in one branch of an Fn::If is
reported for the other branch.

Bad:

~~~yaml
Stream:
  Type: AWS::Kinesis::Stream
  Properties:
    ShardCount: 1
~~~

Good:

~~~yaml
Stream:
  Type: AWS::Kinesis::Stream
  Properties:
    ShardCount: 1
    StreamEncryption:
      EncryptionType: KMS
      KeyId: !Ref StreamKey
~~~
`,
	Fix: "Set StreamEncryption with EncryptionType: KMS and a KeyId.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			enc := prop.Get(p.Eval, r, "StreamEncryption")
			var present []prop.Val
			for _, v := range enc {
				if v.Absent {
					rep.Report(r, v, "Kinesis stream %s is not encrypted: StreamEncryption is not set", r.ID)
				} else {
					present = append(present, v)
				}
			}
			for _, v := range prop.Field(p.Eval, present, "EncryptionType") {
				if s, ok := v.Str(); v.Absent || (ok && s == "NONE") {
					rep.Report(r, v, "Kinesis stream %s is not encrypted: %s", r.ID, v.State("EncryptionType"))
				}
			}
			for _, v := range prop.Field(p.Eval, present, "KeyId") {
				if v.Absent {
					rep.Report(r, v, "Kinesis stream %s is not encrypted with a KMS key: KeyId is not set", r.ID)
				}
			}
		}
	},
}
