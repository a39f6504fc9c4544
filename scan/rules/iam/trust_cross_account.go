package iam

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// TrustCrossAccount reports roles that another whole account may assume
// with no condition tying the trust to a party or an organization.
var TrustCrossAccount = &scan.Rule{
	ID:        "IAM-017",
	Title:     "IAM role trusts another account without ExternalId or organization condition",
	Severity:  scan.Warning,
	Resources: []string{"AWS::IAM::Role"},
	Doc: `A trust policy whose principal is another account (its root ARN or bare
ID) lets that account's administrators hand the role to any user or role
they like. When the other account belongs to a third party acting for
several customers, AWS requires an sts:ExternalId condition to prevent the
confused-deputy problem; inside your own organization, aws:PrincipalOrgID
(or aws:PrincipalOrgPaths) keeps the trust from outliving an account that
leaves it, and aws:PrincipalArn names the roles that may assume it. The
rule reports account principals that are not the stack's own account
(${AWS::AccountId}, or the account supplied in a parameter file or the
stack map) when the statement has none of these conditions. Accounts given
by parameters are checked with their default.

Bad:

~~~yaml
DeployRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal: {AWS: !Sub "arn:aws:iam::${ToolsAccount}:root"}
          Action: sts:AssumeRole
~~~

Good:

~~~yaml
DeployRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal: {AWS: !Sub "arn:aws:iam::${ToolsAccount}:root"}
          Action: sts:AssumeRole
          Condition:
            ArnEquals:
              aws:PrincipalArn: !Sub "arn:aws:iam::${ToolsAccount}:role/pipeline"
~~~
`,
	Fix: "Add an sts:ExternalId, aws:PrincipalOrgID or aws:PrincipalArn condition, or name the role instead of the account.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		own := policy.IAMSuppliedAccount(p.Eval)
		for _, r := range p.Resources() {
			for _, st := range policy.ResourceStatements(p.Eval, r, trust) {
				if !st.Allows() {
					continue
				}
				if _, ok := policy.IAMHasAnyKey(policy.IAMConditionKeys(p.Eval, st), "sts:externalid", "aws:principalorgid", "aws:principalorgpaths", "aws:principalarn"); ok {
					continue
				}
				for _, v := range policy.IAMAWSPrincipals(p.Eval, st, "Principal") {
					acct, ok := policy.IAMAccountRoot(v)
					if !ok || policy.IAMIsOwnAccount(acct, own) {
						continue
					}
					rep.Report(r, v, "trust policy lets any principal of account %s assume the role, with no sts:ExternalId, aws:PrincipalOrgID or aws:PrincipalArn condition", acct)
				}
			}
		}
	},
}
