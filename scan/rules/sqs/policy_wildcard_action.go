package sqs

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// PolicyWildcardAction reports queue policies that allow every SQS action.
var PolicyWildcardAction = &scan.Rule{
	ID:        "SQS-002",
	Aliases:   []string{"F20"},
	Title:     "SQS queue policy allows a wildcard action",
	Severity:  scan.Failure,
	Resources: []string{"AWS::SQS::QueuePolicy"},
	Doc: `An Allow statement with Action "*" or "sqs:*" lets its principals
not only send and receive messages but also purge the queue, delete it and
rewrite its attributes, including its policy. A producer needs
sqs:SendMessage, a consumer sqs:ReceiveMessage, sqs:DeleteMessage and
sqs:GetQueueAttributes; grant exactly those.

Bad:

~~~yaml
QueuePolicy:
  Type: AWS::SQS::QueuePolicy
  Properties:
    Queues: [!Ref Queue]
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal:
            AWS: !GetAtt ProducerRole.Arn
          Action: sqs:*
          Resource: !GetAtt Queue.Arn
~~~

Good:

~~~yaml
QueuePolicy:
  Type: AWS::SQS::QueuePolicy
  Properties:
    Queues: [!Ref Queue]
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal:
            AWS: !GetAtt ProducerRole.Arn
          Action: sqs:SendMessage
          Resource: !GetAtt Queue.Arn
~~~
`,
	Fix:   "List the SQS actions the principal needs (sqs:SendMessage, sqs:ReceiveMessage, ...) instead of a wildcard.",
	Check: check.MsgPolicyWildcardAction("queue policy"),
}
