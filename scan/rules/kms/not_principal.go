package kms

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// AllowNotPrincipal reports key policies that allow everyone except a list
// of principals.
var AllowNotPrincipal = &scan.Rule{
	ID:        "KMS-007",
	Title:     "KMS key policy allows with NotPrincipal",
	Severity:  scan.Failure,
	Resources: keyTypes,
	Doc: `An Allow statement with NotPrincipal grants its actions to every
principal except the listed ones, in every AWS account, and to anonymous
callers. AWS strongly advises against combining Allow with NotPrincipal.
Name the principals instead. (Deny with NotPrincipal is a guard-rail
pattern and is not reported.)

Bad:

~~~yaml
DataKey:
  Type: AWS::KMS::Key
  Properties:
    KeyPolicy:
      Statement:
        - Effect: Allow
          NotPrincipal: {AWS: arn:aws:iam::111122223333:role/Intern}
          Action: kms:Decrypt
          Resource: "*"
~~~

Good:

~~~yaml
DataKey:
  Type: AWS::KMS::Key
  Properties:
    KeyPolicy:
      Statement:
        - Effect: Allow
          Principal: {AWS: arn:aws:iam::111122223333:role/App}
          Action: kms:Decrypt
          Resource: "*"
~~~
`,
	Fix: "Replace NotPrincipal with a Principal naming who may use the key.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, st := range statements(p.Eval, r) {
				if !st.Allows() {
					continue
				}
				for _, v := range st.Present("NotPrincipal") {
					rep.Report(r, v, "key policy allows every principal except the ones in NotPrincipal")
				}
			}
		}
	},
}
