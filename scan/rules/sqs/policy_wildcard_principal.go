package sqs

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// PolicyWildcardPrincipal reports queue policies that allow anyone.
var PolicyWildcardPrincipal = &scan.Rule{
	ID:        "SQS-003",
	Aliases:   []string{"F21"},
	Title:     "SQS queue policy allows a wildcard principal",
	Severity:  scan.Failure,
	Resources: []string{"AWS::SQS::QueuePolicy"},
	Doc: `An Allow statement whose Principal is "*" (or an ARN containing a
wildcard) grants its actions to every AWS account and to anonymous callers:
anyone who learns the queue URL can send messages into your system or read
them. Conditions such as aws:SourceArn can narrow the grant, but a mistake
in them leaves the queue open, so the statement is reported either way, as
cfn_nag does; name the service or account that sends instead, and keep the
condition.

Bad:

~~~yaml
QueuePolicy:
  Type: AWS::SQS::QueuePolicy
  Properties:
    Queues: [!Ref Queue]
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal: "*"
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
	Fix:   "Name the principals (service, account or role) that use the queue instead of \"*\".",
	Check: check.MsgPolicyWildcardPrincipal("queue policy"),
}
