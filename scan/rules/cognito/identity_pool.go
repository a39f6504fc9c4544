package cognito

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// IdentityPoolUnauthenticated reports identity pools that hand out AWS
// credentials to anyone.
var IdentityPoolUnauthenticated = &scan.Rule{
	ID:        "COGNITO-002",
	Aliases:   []string{"W57"},
	Title:     "Cognito identity pool allows unauthenticated identities",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Cognito::IdentityPool"},
	Doc: `With AllowUnauthenticatedIdentities true, anyone who knows the pool
id (it ships in every web and mobile client) gets temporary AWS credentials
for the pool's unauthenticated role. That can be intended (guest access),
but then the role must allow only what a stranger may do. "true" as a
string counts, as do parameter defaults and Fn::If branches.

Bad:

~~~yaml
Identities:
  Type: AWS::Cognito::IdentityPool
  Properties:
    AllowUnauthenticatedIdentities: true
~~~

Good:

~~~yaml
Identities:
  Type: AWS::Cognito::IdentityPool
  Properties:
    AllowUnauthenticatedIdentities: false
    CognitoIdentityProviders:
      - ClientId: !Ref WebClient
        ProviderName: !GetAtt Users.ProviderName
~~~
`,
	Fix:   "Set AllowUnauthenticatedIdentities to false, or restrict the unauthenticated role to what guests may do.",
	Check: check.MustNotBeTrue("identity pool gives AWS credentials to unauthenticated users", "AllowUnauthenticatedIdentities"),
}

// IdentityPoolClassicFlow reports identity pools that allow the basic
// authentication flow.
var IdentityPoolClassicFlow = &scan.Rule{
	ID:        "COGNITO-007",
	Title:     "Cognito identity pool allows the basic (classic) authentication flow",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Cognito::IdentityPool"},
	Doc: `With AllowClassicFlow true a client can call GetOpenIdToken and then
AssumeRoleWithWebIdentity on any role that trusts the pool, instead of the
enhanced flow, in which Cognito picks the role and applies a session
policy that denies the riskiest services. AWS recommends the enhanced flow.
There is no cfn_nag equivalent.

Bad:

~~~yaml
Identities:
  Type: AWS::Cognito::IdentityPool
  Properties:
    AllowUnauthenticatedIdentities: false
    AllowClassicFlow: true
~~~

Good:

~~~yaml
Identities:
  Type: AWS::Cognito::IdentityPool
  Properties:
    AllowUnauthenticatedIdentities: false
~~~
`,
	Fix:   "Remove AllowClassicFlow (or set it to false) and use the enhanced authentication flow.",
	Check: check.MustNotBeTrue("identity pool allows the basic authentication flow", "AllowClassicFlow"),
}
