package sns

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// PolicyNotAction reports topic policies that allow everything but a few
// actions.
var PolicyNotAction = &scan.Rule{
	ID:        "SNS-003",
	Aliases:   []string{"W19"},
	Title:     "SNS topic policy allows with NotAction",
	Severity:  scan.Warning,
	Resources: []string{"AWS::SNS::TopicPolicy"},
	Doc: `Allow with NotAction grants every SNS action except the ones listed,
including sns:Subscribe, sns:SetTopicAttributes, sns:DeleteTopic and any
AWS adds later. List the allowed actions instead. (Deny with NotAction is a
guard-rail pattern and is not reported.)

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
            AWS: !GetAtt PublisherRole.Arn
          NotAction: sns:DeleteTopic
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
            AWS: !GetAtt PublisherRole.Arn
          Action: sns:Publish
          Resource: !Ref Topic
~~~
`,
	Fix:   "Replace NotAction with an explicit Action list.",
	Check: check.MsgPolicyNotAction("topic policy"),
}
