package iam

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// AllowNotResource reports permission policies that allow actions on every
// resource except a list.
var AllowNotResource = &scan.Rule{
	ID:        "IAM-010",
	Aliases:   []string{"W21", "W22", "W23"},
	Title:     "IAM policy allows with NotResource",
	Severity:  scan.Warning,
	Resources: identityTypes,
	Doc: `Allow with NotResource applies the statement's actions to every resource
except the listed ones, including resources created later and resources in
other accounts that trust this one. List the resources the statement is for
instead. (Deny with NotResource is a legitimate guard-rail pattern and is
not reported.)

Bad:

~~~yaml
AppPolicy:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Statement:
        - Effect: Allow
          Action: s3:GetObject
          NotResource: arn:aws:s3:::secrets/*
~~~

Good:

~~~yaml
AppPolicy:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Statement:
        - Effect: Allow
          Action: s3:GetObject
          Resource: !Sub "${Data.Arn}/*"
~~~
`,
	Fix: "Replace NotResource with an explicit Resource list.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, st := range policy.ResourceStatements(p.Eval, r, policy.Inline) {
				if !st.Allows() {
					continue
				}
				for _, v := range st.Present("NotResource") {
					rep.Report(r, v, "policy allows its actions on every resource except the ones in NotResource")
				}
			}
		}
	},
}
