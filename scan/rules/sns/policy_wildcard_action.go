package sns

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// PolicyWildcardAction reports topic policies that allow every SNS action.
var PolicyWildcardAction = &scan.Rule{
	ID:        "SNS-006",
	Title:     "SNS topic policy allows a wildcard action",
	Severity:  scan.Failure,
	Resources: []string{"AWS::SNS::TopicPolicy"},
	Doc: `An Allow statement with Action "*" or "sns:*" lets its principals
not only publish but also subscribe their own endpoints, delete the topic
and rewrite its attributes, including its policy and its encryption key.
cfn_nag checks this for SQS queue policies (F20) but not for topics. A
publisher needs sns:Publish; a subscriber sns:Subscribe; grant exactly
those.

Bad:

~~~yaml
TopicPolicy:
  Type: AWS::SNS::TopicPolicy
  Properties:
    Topics: [!Ref Topic]
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal:
            AWS: arn:aws:iam::111122223333:root
          Action: sns:*
          Resource: !Ref Topic
~~~

Good:

~~~yaml
TopicPolicy:
  Type: AWS::SNS::TopicPolicy
  Properties:
    Topics: [!Ref Topic]
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal:
            AWS: arn:aws:iam::111122223333:role/publisher
          Action: sns:Publish
          Resource: !Ref Topic
~~~
`,
	Fix:   "List the SNS actions the principal needs (sns:Publish, sns:Subscribe, ...) instead of a wildcard.",
	Check: check.MsgPolicyWildcardAction("topic policy"),
}
