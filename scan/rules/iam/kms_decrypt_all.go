package iam

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// KMSDecryptAllKeys reports identity policies that allow decrypting with
// every KMS key.
var KMSDecryptAllKeys = &scan.Rule{
	ID:        "IAM-024",
	Title:     "IAM policy allows decryption with every KMS key",
	Severity:  scan.Warning,
	Resources: identityTypes,
	Doc: `kms:Decrypt or kms:ReEncryptFrom on Resource "*" lets the identity decrypt
data protected by any key in the account, and by keys in other accounts
whose key policy trusts this account: one compromised role then reads
every encrypted bucket, secret and database snapshot it can reach. AWS
Security Hub (KMS.1, KMS.2) reports such policies. Scope the statement to
the key ARNs, or add a condition such as kms:ViaService or
kms:EncryptionContext (statements with a Condition are not reported).
"*" and "kms:*" are left to IAM-001.

Bad:

~~~yaml
AppPolicy:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Statement:
        - Effect: Allow
          Action: kms:Decrypt
          Resource: "*"
~~~

Good:

~~~yaml
AppPolicy:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Statement:
        - Effect: Allow
          Action: kms:Decrypt
          Resource: !GetAtt DataKey.Arn
~~~
`,
	Fix: "Scope Resource to the key ARNs, or add a kms:ViaService condition.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, st := range policy.ResourceStatements(p.Eval, r, policy.Inline) {
				if !st.Allows() || len(st.Present("Condition")) > 0 || !anyString(st.Strings("Resource"), func(s string) bool { return s == "*" }) {
					continue
				}
				for _, v := range st.Strings("Action") {
					s, ok := v.Str()
					if !ok || policy.WildcardAction(s) {
						continue
					}
					for _, a := range []string{"kms:Decrypt", "kms:ReEncryptFrom"} {
						if policy.ActionMatches(s, a) {
							rep.Report(r, v, "policy allows %s with every KMS key (Resource \"*\")", a)
							break
						}
					}
				}
			}
		}
	},
}
