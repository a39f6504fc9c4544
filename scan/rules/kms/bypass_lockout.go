package kms

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// BypassLockoutCheck reports keys created without the policy lockout
// safety check.
var BypassLockoutCheck = &scan.Rule{
	ID:        "KMS-006",
	Title:     "KMS key skips the policy lockout safety check",
	Severity:  scan.Warning,
	Resources: keyTypes,
	Doc: `KMS refuses a key policy that would stop the caller from changing the
policy again, so that a key cannot become unmanageable by mistake.
BypassPolicyLockoutSafetyCheck: true turns that check off; AWS warns that it
increases the risk of a key nobody can administer, which only AWS Support
can recover. ("true" as a string counts as true.)

Bad:

~~~yaml
DataKey:
  Type: AWS::KMS::Key
  Properties:
    BypassPolicyLockoutSafetyCheck: true
    KeyPolicy: {...}
~~~

Good:

~~~yaml
DataKey:
  Type: AWS::KMS::Key
  Properties:
    KeyPolicy:
      Statement:
        - Effect: Allow
          Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
          Action: kms:*
          Resource: "*"
~~~
`,
	Fix:   "Remove BypassPolicyLockoutSafetyCheck and give the account's root or an admin role kms:PutKeyPolicy.",
	Check: check.MustNotBeTrue("KMS key policy lockout safety check is bypassed", "BypassPolicyLockoutSafetyCheck"),
}
