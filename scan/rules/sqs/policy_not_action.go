package sqs

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// PolicyNotAction reports queue policies that allow everything but a few
// actions.
var PolicyNotAction = &scan.Rule{
	ID:        "SQS-004",
	Aliases:   []string{"W18"},
	Title:     "SQS queue policy allows with NotAction",
	Severity:  scan.Warning,
	Resources: []string{"AWS::SQS::QueuePolicy"},
	Doc: `Allow with NotAction grants every SQS action except the ones listed,
including actions such as sqs:DeleteQueue, sqs:SetQueueAttributes and any
AWS adds later. List the allowed actions instead. (Deny with NotAction is a
guard-rail pattern and is not reported.)

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
            AWS: !GetAtt WorkerRole.Arn
          NotAction: sqs:DeleteQueue
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
            AWS: !GetAtt WorkerRole.Arn
          Action: [sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes]
          Resource: !GetAtt Queue.Arn
~~~
`,
	Fix:   "Replace NotAction with an explicit Action list.",
	Check: check.MsgPolicyNotAction("queue policy"),
}
