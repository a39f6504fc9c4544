package kms

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// AllActions reports key policies that give a principal other than the
// key's own account every KMS action without a condition.
var AllActions = &scan.Rule{
	ID:        "KMS-004",
	Title:     "KMS key policy allows every action to a principal other than the account",
	Severity:  scan.Warning,
	Resources: keyTypes,
	Doc: `kms:* (or "*") in a key policy includes kms:PutKeyPolicy,
kms:ScheduleKeyDeletion and kms:DisableKey: whoever holds it can lock
everyone else out of the key or destroy it, and with it all the data it
protects. AWS's key policy guidance separates key administrators (the
administrative actions) from key users (Encrypt, Decrypt,
GenerateDataKey*...) and keeps kms:* for the account itself
(arn:aws:iam::${AWS::AccountId}:root), which delegates to IAM. Statements
with a Condition are not reported, nor wildcard principals (KMS-002).

Bad:

~~~yaml
DataKey:
  Type: AWS::KMS::Key
  Properties:
    EnableKeyRotation: true
    KeyPolicy:
      Statement:
        - Effect: Allow
          Principal: {AWS: !GetAtt AppRole.Arn}
          Action: kms:*
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
          Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
          Action: kms:*
          Resource: "*"
        - Effect: Allow
          Principal: {AWS: !GetAtt AppRole.Arn}
          Action: [kms:Encrypt, kms:Decrypt, kms:GenerateDataKey*]
          Resource: "*"
~~~
`,
	Fix: "Grant the principal the key-user or key-administrator actions it needs instead of kms:*.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		own := policy.IAMSuppliedAccount(p.Eval)
		for _, r := range p.Resources() {
			for _, st := range statements(p.Eval, r) {
				if !st.Allows() || len(st.Present("Condition")) > 0 {
					continue
				}
				who := ""
				for _, v := range st.Principals("Principal") {
					s, ok := policy.IAMPrincipalText(v)
					if !ok || policy.WildcardPrincipal(s) {
						continue
					}
					if acct, ok := policy.IAMAccountRoot(v); ok && policy.IAMIsOwnAccount(acct, own) {
						continue
					}
					who = s
					break
				}
				if who == "" {
					continue
				}
				for _, v := range st.Strings("Action") {
					if s, ok := v.Str(); ok && (s == "*" || strings.EqualFold(s, "kms:*")) {
						rep.Report(r, v, "key policy allows every KMS action (%s) to %s, including changing the key policy and deleting the key", s, who)
					}
				}
			}
		}
	},
}
