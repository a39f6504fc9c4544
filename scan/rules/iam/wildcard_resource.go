package iam

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
)

// WildcardResource reports permission policies that allow actions on every
// resource.
var WildcardResource = &scan.Rule{
	ID:        "IAM-002",
	Aliases:   []string{"W11", "W12", "W13"},
	Title:     "IAM policy allows actions on every resource",
	Severity:  scan.Warning,
	Resources: identityTypes,
	Doc: `An Allow statement with Resource "*" applies its actions to every
resource of the account, so a role meant to read one bucket can read them
all. Some actions (such as ec2:Describe* or xray:PutTraceSegments) only work
with "*", which is why this is a warning; scope every other statement to the
ARNs it needs.

Bad:

~~~yaml
AppRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument: {...}
    Policies:
      - PolicyName: data
        PolicyDocument:
          Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: "*"
~~~

Good:

~~~yaml
AppRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument: {...}
    Policies:
      - PolicyName: data
        PolicyDocument:
          Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: !Sub "${Data.Arn}/*"
~~~
`,
	Fix: "Scope Resource to the ARNs the statement needs.",
	Check: allowItems(policy.Inline, "Resource", func(s string) bool { return s == "*" }, func(string) string {
		return `policy allows actions on Resource "*"`
	}),
}
