package secretsmanager

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// policyTypes are the resources holding a secret's resource policy.
var policyTypes = []string{"AWS::SecretsManager::ResourcePolicy"}

func statements(e *cfn.Evaluator, r *cfn.Resource) []policy.Statement {
	return policy.Statements(e, prop.Get(e, r, "ResourcePolicy"))
}

// PolicyWildcardPrincipal reports secret resource policies that allow
// anyone.
var PolicyWildcardPrincipal = &scan.Rule{
	ID:        "SECRETSMANAGER-005",
	Title:     "Secrets Manager resource policy allows a wildcard principal",
	Severity:  scan.Failure,
	Resources: policyTypes,
	Doc: `An Allow statement whose Principal is "*" (or an ARN with a wildcard)
lets principals of every AWS account read or change the secret, limited
only by the KMS key policy. A condition that limits callers to an
account, organization or named principals (aws:PrincipalAccount,
aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalArn) is not
reported. Name the roles that read the secret instead.

Bad:

~~~yaml
SecretPolicy:
  Type: AWS::SecretsManager::ResourcePolicy
  Properties:
    SecretId: !Ref DbSecret
    ResourcePolicy:
      Statement:
        - Effect: Allow
          Principal: {AWS: "*"}
          Action: secretsmanager:GetSecretValue
          Resource: "*"
~~~

Good:

~~~yaml
SecretPolicy:
  Type: AWS::SecretsManager::ResourcePolicy
  Properties:
    SecretId: !Ref DbSecret
    ResourcePolicy:
      Statement:
        - Effect: Allow
          Principal: {AWS: !Sub "arn:aws:iam::${ProdAccount}:role/app"}
          Action: secretsmanager:GetSecretValue
          Resource: "*"
~~~
`,
	Fix: "Name the principals that read the secret, or add an aws:PrincipalOrgID condition.",
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
						rep.Report(r, v, "secret resource policy allows principal %q", s)
					}
				}
			}
		}
	},
}

// PolicyCrossAccountRoot reports secret resource policies that grant
// another whole account.
var PolicyCrossAccountRoot = &scan.Rule{
	ID:        "SECRETSMANAGER-006",
	Title:     "Secrets Manager resource policy grants another whole account",
	Severity:  scan.Warning,
	Resources: policyTypes,
	Doc: `Granting another account's root ARN (or bare ID) lets that account's
administrators hand the secret to any of their users and roles. For a
cross-account pipeline, name the deploy or workload role that reads the
secret, or add an aws:PrincipalArn condition naming it. The stack's own
account is not reported; accounts given by parameters are checked with
their default.

Bad:

~~~yaml
SecretPolicy:
  Type: AWS::SecretsManager::ResourcePolicy
  Properties:
    SecretId: !Ref DbSecret
    ResourcePolicy:
      Statement:
        - Effect: Allow
          Principal: {AWS: !Sub "arn:aws:iam::${ProdAccount}:root"}
          Action: secretsmanager:GetSecretValue
          Resource: "*"
~~~

Good:

~~~yaml
SecretPolicy:
  Type: AWS::SecretsManager::ResourcePolicy
  Properties:
    SecretId: !Ref DbSecret
    ResourcePolicy:
      Statement:
        - Effect: Allow
          Principal: {AWS: !Sub "arn:aws:iam::${ProdAccount}:role/app"}
          Action: secretsmanager:GetSecretValue
          Resource: "*"
~~~
`,
	Fix: "Name the roles of the other account that read the secret instead of the account.",
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
						rep.Report(r, v, "secret resource policy grants every principal of account %s that its administrators allow, not named roles", acct)
					}
				}
			}
		}
	},
}

// PublicPolicyNotBlocked reports resource policies that turn off Secrets
// Manager's block on broad policies.
var PublicPolicyNotBlocked = &scan.Rule{
	ID:        "SECRETSMANAGER-007",
	Title:     "Secrets Manager resource policy does not block public policies",
	Severity:  scan.Warning,
	Resources: policyTypes,
	Doc: `With BlockPublicPolicy (the CloudFormation default), Secrets Manager
validates the policy with Zelkova and refuses one that would grant broad
access, such as a wildcard principal. BlockPublicPolicy: false turns that
safety net off, so a later edit can make the secret public without any
error. ("false" as a string counts as false.)

Bad:

~~~yaml
SecretPolicy:
  Type: AWS::SecretsManager::ResourcePolicy
  Properties:
    SecretId: !Ref DbSecret
    BlockPublicPolicy: false
    ResourcePolicy: {...}
~~~

Good:

~~~yaml
SecretPolicy:
  Type: AWS::SecretsManager::ResourcePolicy
  Properties:
    SecretId: !Ref DbSecret
    BlockPublicPolicy: true
    ResourcePolicy: {...}
~~~
`,
	Fix:   "Remove BlockPublicPolicy or set it to true.",
	Check: mustNotBeFalse("secret resource policy does not block public policies", "BlockPublicPolicy"),
}

// mustNotBeFalse reports a property that is known to be false; absent
// means the secure default.
func mustNotBeFalse(what, name string) func(*scan.Pass) {
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, name) {
				if b, ok := v.Bool(); ok && !b {
					rep.Report(r, v, "%s: %s", what, v.State(name))
				}
			}
		}
	}
}
