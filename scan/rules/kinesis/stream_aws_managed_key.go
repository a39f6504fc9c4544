package kinesis

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// StreamAWSManagedKey reports data streams encrypted with the AWS managed
// key.
var StreamAWSManagedKey = &scan.Rule{
	ID:        "KINESIS-002",
	Title:     "Kinesis stream is encrypted with the AWS managed key alias/aws/kinesis",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Kinesis::Stream"},
	Doc: `The key policy of the AWS managed key alias/aws/kinesis cannot be
changed, so it cannot let another account use the key: producers and
consumers in other accounts (through the stream's resource policy) fail to
write or read, and a Firehose or Lambda consumer elsewhere cannot decrypt.
AWS documents that cross-account access to an encrypted stream needs a
customer managed key whose policy grants the other account.

Bad:

~~~yaml
Stream:
  Type: AWS::Kinesis::Stream
  Properties:
    ShardCount: 1
    StreamEncryption:
      EncryptionType: KMS
      KeyId: alias/aws/kinesis
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
	Fix:   "Create an AWS::KMS::Key for the stream (granting the producers and consumers) and set StreamEncryption.KeyId to it.",
	Check: check.MsgAWSManagedKey("kinesis", "Kinesis stream", "StreamEncryption", "KeyId"),
}
