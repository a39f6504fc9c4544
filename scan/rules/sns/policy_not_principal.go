package sns

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// PolicyNotPrincipal reports topic policies that allow everyone but a few.
var PolicyNotPrincipal = &scan.Rule{
	ID:        "SNS-001",
	Aliases:   []string{"F8"},
	Title:     "SNS topic policy allows with NotPrincipal",
	Severity:  scan.Failure,
	Resources: []string{"AWS::SNS::TopicPolicy"},
	Doc: `An Allow statement with NotPrincipal grants its actions to every
principal except the ones listed: every other AWS account, and anonymous
callers. Anyone could then publish to the topic, or subscribe an endpoint
of theirs and receive every message. Name the principals that may use the
topic instead. (Deny with NotPrincipal is a guard-rail pattern and is not
reported.)

Bad:

~~~yaml
TopicPolicy:
  Type: AWS::SNS::TopicPolicy
  Properties:
    Topics: [!Ref Topic]
    PolicyDocument:
      Statement:
        - Effect: Allow
          NotPrincipal:
            AWS: arn:aws:iam::111122223333:root
          Action: sns:Publish
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
            Service: events.amazonaws.com
          Action: sns:Publish
          Resource: !Ref Topic
~~~
`,
	Fix:   "Replace NotPrincipal with a Principal naming who may use the topic.",
	Check: check.MsgPolicyNotPrincipal("topic policy"),
}
