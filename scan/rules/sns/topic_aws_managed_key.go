package sns

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// TopicAWSManagedKey reports topics encrypted with the AWS managed key.
var TopicAWSManagedKey = &scan.Rule{
	ID:        "SNS-005",
	Title:     "SNS topic that AWS services or other accounts publish to uses the AWS managed key",
	Severity:  scan.Warning,
	Resources: []string{"AWS::SNS::Topic"},
	Doc: `The key policy of the AWS managed key alias/aws/sns cannot be
changed, so it cannot let another account or an AWS service use the key.
CloudWatch alarms, EventBridge rules, S3 event notifications, CodeStar
notifications and publishers in other accounts then fail to publish to
the topic, silently: AWS documents that these sources need a customer
managed key whose policy grants them kms:GenerateDataKey* and kms:Decrypt.
An alarm topic that drops alarms is a safety net with a hole in it.

The topic is reported when the template shows such a publisher: a
CloudWatch alarm, EventBridge rule, S3 bucket, RDS or DMS event
subscription or CodeStar notification rule that refers to it, or a topic
policy that allows a service principal, "*" or an account ID. Publishers
in the same account that call SNS with their own IAM credentials (a Lambda
function's role) can use the AWS managed key, so a topic with only those
is not reported.

Bad:

~~~yaml
Topic:
  Type: AWS::SNS::Topic
  Properties:
    KmsMasterKeyId: alias/aws/sns
Alarm:
  Type: AWS::CloudWatch::Alarm
  Properties:
    AlarmActions: [!Ref Topic]
    # ...
~~~

Good:

~~~yaml
Topic:
  Type: AWS::SNS::Topic
  Properties:
    KmsMasterKeyId: !Ref TopicKey
~~~
`,
	Fix: "Create an AWS::KMS::Key for the topic (granting the publishers kms:GenerateDataKey* and kms:Decrypt) and set KmsMasterKeyId to it.",
	Check: check.MsgAWSManagedKey("sns", "SNS topic", check.MsgSenders{
		Types: map[string]string{
			"AWS::CloudWatch::Alarm":                       "CloudWatch alarm",
			"AWS::CloudWatch::CompositeAlarm":              "CloudWatch composite alarm",
			"AWS::Events::Rule":                            "EventBridge rule",
			"AWS::S3::Bucket":                              "S3 bucket",
			"AWS::RDS::EventSubscription":                  "RDS event subscription",
			"AWS::DMS::EventSubscription":                  "DMS event subscription",
			"AWS::CodeStarNotifications::NotificationRule": "CodeStar notification rule",
		},
		Policy: "AWS::SNS::TopicPolicy", Targets: "Topics", PolicyName: "topic policy",
	}, "KmsMasterKeyId"),
}
