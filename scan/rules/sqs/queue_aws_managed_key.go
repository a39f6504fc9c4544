package sqs

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// QueueAWSManagedKey reports queues encrypted with the AWS managed key.
var QueueAWSManagedKey = &scan.Rule{
	ID:        "SQS-006",
	Title:     "SQS queue that AWS services or other accounts send to uses the AWS managed key",
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

The queue is reported when the template shows such a sender: an SNS
topic or subscription, an EventBridge rule or an S3 bucket that refers to
it, or a queue policy that allows a service principal, "*" or an account
ID. Producers in the same account that call SQS with their own IAM
credentials (an application role, a Lambda dead-letter queue) can use the
AWS managed key, so a queue with only those is not reported.

Bad:

~~~yaml
Queue:
  Type: AWS::SQS::Queue
  Properties:
    KmsMasterKeyId: alias/aws/sqs
Subscription:
  Type: AWS::SNS::Subscription
  Properties:
    TopicArn: !Ref Topic
    Protocol: sqs
    Endpoint: !GetAtt Queue.Arn
~~~

Good:

~~~yaml
Queue:
  Type: AWS::SQS::Queue
  Properties:
    KmsMasterKeyId: !Ref QueueKey
~~~
`,
	Fix: "Create an AWS::KMS::Key for the queue (granting the senders kms:GenerateDataKey and kms:Decrypt) and set KmsMasterKeyId to it.",
	Check: check.MsgAWSManagedKey("sqs", "SQS queue", check.MsgSenders{
		Types: map[string]string{
			"AWS::SNS::Subscription": "SNS subscription",
			"AWS::SNS::Topic":        "SNS topic",
			"AWS::Events::Rule":      "EventBridge rule",
			"AWS::S3::Bucket":        "S3 bucket",
		},
		Policy: "AWS::SQS::QueuePolicy", Targets: "Queues", PolicyName: "queue policy",
	}, "KmsMasterKeyId"),
}
