package iam

import (
	"fmt"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
)

// TrustWildcardAction reports trust policies that allow a wildcard action.
var TrustWildcardAction = &scan.Rule{
	ID:        "IAM-006",
	Aliases:   []string{"F2"},
	Title:     "IAM role trust policy allows a wildcard action",
	Severity:  scan.Failure,
	Resources: []string{"AWS::IAM::Role"},
	Doc: `A role's trust policy says who may assume it and how. Allowing "*" or
"sts:*" there admits every way of assuming the role (web identity, SAML,
session tagging) rather than the one the role is built for. Name the
specific action, usually sts:AssumeRole.

Bad:

~~~yaml
AppRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal: {Service: lambda.amazonaws.com}
          Action: "sts:*"
~~~

Good:

~~~yaml
AppRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal: {Service: lambda.amazonaws.com}
          Action: sts:AssumeRole
~~~
`,
	Fix: "Allow only sts:AssumeRole (or the specific assume action) in the trust policy.",
	Check: allowItems(trust, "Action", policy.WildcardAction, func(s string) string {
		return fmt.Sprintf("trust policy allows every action matching %q", s)
	}),
}
