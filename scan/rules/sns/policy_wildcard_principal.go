package sns

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// PolicyWildcardPrincipal reports topic policies that allow anyone.
var PolicyWildcardPrincipal = &scan.Rule{
	ID:        "SNS-002",
	Aliases:   []string{"F18"},
	Title:     "SNS topic policy allows a wildcard principal",
	Severity:  scan.Failure,
	Resources: []string{"AWS::SNS::TopicPolicy"},
	Doc: `An Allow statement whose Principal is "*" (or an ARN containing a
wildcard) grants its actions to every AWS account and to anonymous callers:
anyone can publish to the topic or subscribe to it and read every message.
Conditions such as aws:SourceOwner or aws:SourceArn can narrow the grant,
but a mistake in them leaves the topic open, so the statement is reported
either way, as cfn_nag does; name the service or account instead, and keep
the condition.

Bad:

~~~yaml
TopicPolicy:
  Type: AWS::SNS::TopicPolicy
  Properties:
    Topics: [!Ref Topic]
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal: "*"
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
            Service: s3.amazonaws.com
          Action: sns:Publish
          Resource: !Ref Topic
          Condition:
            StringEquals:
              aws:SourceAccount: !Ref AWS::AccountId
~~~
`,
	Fix:   "Name the principals (service, account or role) that use the topic instead of \"*\".",
	Check: check.MsgPolicyWildcardPrincipal("topic policy"),
}
