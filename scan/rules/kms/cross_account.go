package kms

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// CrossAccountRoot reports key policies that grant another whole account
// instead of named roles.
var CrossAccountRoot = &scan.Rule{
	ID:        "KMS-003",
	Title:     "KMS key policy grants another whole account",
	Severity:  scan.Warning,
	Resources: keyTypes,
	Doc: `A key policy that names another account's root ARN (or bare account ID)
lets that account's administrators pass the key's permissions on to any of
their users and roles through IAM policies. For a cross-account pipeline,
that means every role of the deploy account can decrypt the artifacts,
not just the deploy role. Name the roles that use the key (their ARNs), or
add an aws:PrincipalArn condition naming them. The stack's own account
(${AWS::AccountId}, or the account supplied in a parameter file or the
stack map) is the usual key administrator and is not reported; accounts
given by parameters are checked with their default.

Bad:

~~~yaml
ArtifactKey:
  Type: AWS::KMS::Key
  Properties:
    EnableKeyRotation: true
    KeyPolicy:
      Statement:
        - Effect: Allow
          Principal: {AWS: !Sub "arn:aws:iam::${ProdAccount}:root"}
          Action: [kms:Decrypt, kms:DescribeKey]
          Resource: "*"
~~~

Good:

~~~yaml
ArtifactKey:
  Type: AWS::KMS::Key
  Properties:
    EnableKeyRotation: true
    KeyPolicy:
      Statement:
        - Effect: Allow
          Principal: {AWS: !Sub "arn:aws:iam::${ProdAccount}:role/cfn-deploy"}
          Action: [kms:Decrypt, kms:DescribeKey]
          Resource: "*"
~~~
`,
	Fix: "Name the roles of the other account that use the key instead of the account.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		own := policy.IAMSuppliedAccount(p.Eval)
		for _, r := range p.Resources() {
			for _, st := range statements(p.Eval, r) {
				if !st.Allows() {
					continue
				}
				if _, ok := policy.IAMConditionKeys(p.Eval, st)["aws:principalarn"]; ok {
					continue
				}
				for _, v := range policy.IAMAWSPrincipals(p.Eval, st, "Principal") {
					if acct, ok := policy.IAMAccountRoot(v); ok && !policy.IAMIsOwnAccount(acct, own) {
						rep.Report(r, v, "key policy grants every principal of account %s that its administrators allow, not named roles", acct)
					}
				}
			}
		}
	},
}
