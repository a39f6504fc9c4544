package sqs

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// QueueAWSManagedKey reports queues encrypted with the AWS managed key.
var QueueAWSManagedKey = &scan.Rule{
	ID:        "SQS-006",
	Title:     "SQS queue is encrypted with the AWS managed key alias/aws/sqs",
	Severity:  scan.Warning,
	Resources: []string{"AWS::SQS::Queue"},
	Doc: `The key policy of the AWS managed key alias/aws/sqs cannot be
changed, so it cannot let another account or an AWS service use the key.
SNS topics, EventBridge rules, S3 event notifications and producers in
other accounts then fail to send to the queue, and their messages are lost
(AWS documents that these sources need a customer managed key). The key
also cannot be rotated on your schedule or shared with the account that
consumes the messages. Use a customer managed key whose policy grants
kms:GenerateDataKey and kms:Decrypt to the senders.

Bad:

~~~yaml
Queue:
  Type: AWS::SQS::Queue
  Properties:
    KmsMasterKeyId: alias/aws/sqs
~~~

Good:

~~~yaml
Queue:
  Type: AWS::SQS::Queue
  Properties:
    KmsMasterKeyId: !Ref QueueKey
~~~
`,
	Fix:   "Create an AWS::KMS::Key for the queue (granting the senders kms:GenerateDataKey and kms:Decrypt) and set KmsMasterKeyId to it.",
	Check: check.MsgAWSManagedKey("sqs", "SQS queue", "KmsMasterKeyId"),
}
