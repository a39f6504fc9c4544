package kms

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// WildcardPrincipal reports key policies that allow anyone.
var WildcardPrincipal = &scan.Rule{
	ID:        "KMS-002",
	Aliases:   []string{"F76"},
	Title:     "KMS key policy allows a wildcard principal",
	Severity:  scan.Failure,
	Resources: keyTypes,
	Doc: `An Allow statement in a key policy whose Principal is "*" (or an ARN
with a wildcard) grants its actions to every AWS account: anyone who gets
hold of ciphertext can decrypt it, or anyone can schedule the key for
deletion. Name the roles or accounts that use the key. A condition that
limits the callers to an account, organization or named principals
(kms:CallerAccount, aws:PrincipalAccount, aws:PrincipalOrgID,
aws:PrincipalOrgPaths, aws:PrincipalArn), as AWS managed keys use, makes
such a statement safe and it is not reported; cfn_nag reports it anyway.
Replica keys are checked too.

Bad:

~~~yaml
DataKey:
  Type: AWS::KMS::Key
  Properties:
    EnableKeyRotation: true
    KeyPolicy:
      Statement:
        - Effect: Allow
          Principal: "*"
          Action: kms:Decrypt
          Resource: "*"
~~~

Good:

~~~yaml
DataKey:
  Type: AWS::KMS::Key
  Properties:
    EnableKeyRotation: true
    KeyPolicy:
      Statement:
        - Effect: Allow
          Principal: {AWS: !GetAtt AppRole.Arn}
          Action: kms:Decrypt
          Resource: "*"
~~~
`,
	Fix: "Name the principals that use the key, or add a kms:CallerAccount or aws:PrincipalOrgID condition.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, st := range statements(p.Eval, r) {
				if !st.Allows() {
					continue
				}
				if _, ok := policy.IAMHasAnyKey(policy.IAMConditionKeys(p.Eval, st), policy.IAMNarrowingKeys...); ok {
					continue
				}
				for _, v := range st.Principals("Principal") {
					if s, ok := v.Str(); ok && policy.WildcardPrincipal(s) {
						rep.Report(r, v, "key policy allows principal %q", s)
					}
				}
			}
		}
	},
}
