package iam

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// TrustNotAction reports trust policies that allow every action except a
// list.
var TrustNotAction = &scan.Rule{
	ID:        "IAM-009",
	Aliases:   []string{"W14"},
	Title:     "IAM role trust policy allows with NotAction",
	Severity:  scan.Warning,
	Resources: []string{"AWS::IAM::Role"},
	Doc: `Allow with NotAction in a trust policy admits every way of assuming the
role except the listed ones (web identity, SAML, session tagging, setting a
source identity), including ones AWS adds later. Name the one action the
role is built for, usually sts:AssumeRole.

Bad:

~~~yaml
AppRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal: {Service: ec2.amazonaws.com}
          NotAction: sts:AssumeRoleWithSAML
~~~

Good:

~~~yaml
AppRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal: {Service: ec2.amazonaws.com}
          Action: sts:AssumeRole
~~~
`,
	Fix: "Replace NotAction with Action: sts:AssumeRole (or the specific assume action).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, st := range policy.ResourceStatements(p.Eval, r, trust) {
				if !st.Allows() {
					continue
				}
				for _, v := range st.Present("NotAction") {
					rep.Report(r, v, "trust policy allows every action except the ones in NotAction")
				}
			}
		}
	},
}
