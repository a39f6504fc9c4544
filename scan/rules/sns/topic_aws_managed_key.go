package sns

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// TopicAWSManagedKey reports topics encrypted with the AWS managed key.
var TopicAWSManagedKey = &scan.Rule{
	ID:        "SNS-005",
	Title:     "SNS topic is encrypted with the AWS managed key alias/aws/sns",
	Severity:  scan.Warning,
	Resources: []string{"AWS::SNS::Topic"},
	Doc: `The key policy of the AWS managed key alias/aws/sns cannot be
changed, so it cannot let another account or an AWS service use the key.
CloudWatch alarms, EventBridge rules, S3 event notifications, CodeStar
notifications and publishers in other accounts then fail to publish to
the topic, silently: AWS documents that these sources need a customer
managed key whose policy grants them kms:GenerateDataKey* and kms:Decrypt.
An alarm topic that drops alarms is a safety net with a hole in it.

Bad:

~~~yaml
Topic:
  Type: AWS::SNS::Topic
  Properties:
    KmsMasterKeyId: alias/aws/sns
~~~

Good:

~~~yaml
Topic:
  Type: AWS::SNS::Topic
  Properties:
    KmsMasterKeyId: !Ref TopicKey
~~~
`,
	Fix:   "Create an AWS::KMS::Key for the topic (granting the publishers kms:GenerateDataKey* and kms:Decrypt) and set KmsMasterKeyId to it.",
	Check: check.MsgAWSManagedKey("sns", "SNS topic", "KmsMasterKeyId"),
}
