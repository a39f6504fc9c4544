package sqs

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// PolicyNotPrincipal reports queue policies that allow everyone but a few.
var PolicyNotPrincipal = &scan.Rule{
	ID:        "SQS-001",
	Aliases:   []string{"F7"},
	Title:     "SQS queue policy allows with NotPrincipal",
	Severity:  scan.Failure,
	Resources: []string{"AWS::SQS::QueuePolicy"},
	Doc: `An Allow statement with NotPrincipal grants its actions to every
principal except the ones listed: every other AWS account and, for SQS,
anonymous callers. AWS recommends against Allow with NotPrincipal; name the
principals that may use the queue instead. (Deny with NotPrincipal is a
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
          NotPrincipal:
            AWS: arn:aws:iam::111122223333:root
          Action: sqs:SendMessage
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
            Service: sns.amazonaws.com
          Action: sqs:SendMessage
          Resource: !GetAtt Queue.Arn
          Condition:
            ArnEquals:
              aws:SourceArn: !Ref Topic
~~~
`,
	Fix:   "Replace NotPrincipal with a Principal naming who may use the queue.",
	Check: check.MsgPolicyNotPrincipal("queue policy"),
}
