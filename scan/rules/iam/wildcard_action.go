package iam

import (
	"fmt"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
)

// WildcardAction reports permission policies that allow every action, or
// every action of a service.
var WildcardAction = &scan.Rule{
	ID:        "IAM-001",
	Aliases:   []string{"F3", "F4", "F5"},
	Title:     "IAM policy allows a wildcard action",
	Severity:  scan.Failure,
	Resources: identityTypes,
	Doc: `An Allow statement with Action "*" or "service:*" grants every
present and future action of the service, including the ones that delete
data, change permissions or turn off logging. Least privilege means listing
the actions the workload calls. The rule reads policies of roles, users and
groups (Policies) and of policies and managed policies (PolicyDocument).

Bad:

~~~yaml
AppPolicy:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: "s3:*"
          Resource: !Sub "${Data.Arn}/*"
~~~

Good:

~~~yaml
AppPolicy:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: [s3:GetObject, s3:PutObject]
          Resource: !Sub "${Data.Arn}/*"
~~~
`,
	Fix: "List the actions the workload needs instead of a wildcard.",
	Check: allowItems(policy.Inline, "Action", policy.WildcardAction, func(s string) string {
		return fmt.Sprintf("policy allows every action matching %q", s)
	}),
}
