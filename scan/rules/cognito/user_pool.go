package cognito

import (
	"fmt"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// UserPoolWeakPassword reports password policies weaker than Cognito's
// default.
var UserPoolWeakPassword = &scan.Rule{
	ID:        "COGNITO-003",
	Title:     "Cognito user pool password policy is weaker than the default",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Cognito::UserPool"},
	Doc: `Cognito's default password policy asks for at least 8 characters
with lower and upper case letters, numbers and symbols. A PasswordPolicy
with a MinimumLength below 8, or with RequireLowercase, RequireUppercase,
RequireNumbers or RequireSymbols set to false, lets users pick passwords
that fall to guessing and credential stuffing. Prefer a longer minimum
(NIST suggests length over composition) and MFA. There is no cfn_nag
equivalent.

Bad:

~~~yaml
Users:
  Type: AWS::Cognito::UserPool
  Properties:
    Policies:
      PasswordPolicy:
        MinimumLength: 6
        RequireSymbols: false
~~~

Good:

~~~yaml
Users:
  Type: AWS::Cognito::UserPool
  Properties:
    Policies:
      PasswordPolicy:
        MinimumLength: 12
        RequireLowercase: true
        RequireUppercase: true
        RequireNumbers: true
        RequireSymbols: true
~~~
`,
	Fix: "Set MinimumLength to at least 8 (better 12 or more) and keep the character requirements on.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			policy := prop.Get(p.Eval, r, "Policies", "PasswordPolicy")
			for _, v := range prop.Field(p.Eval, policy, "MinimumLength") {
				if n, ok := v.Int(); ok && n < 8 {
					rep.Report(r, v, "password policy accepts passwords of %d characters, fewer than the default 8", n)
				}
			}
			for _, key := range []string{"RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols"} {
				for _, v := range prop.Field(p.Eval, policy, key) {
					if b, ok := v.Bool(); ok && !b {
						rep.Report(r, v, "password policy turns off a default requirement: %s is false", key)
					}
				}
			}
		}
	},
}

// UserPoolDeletionProtection reports user pools that can be deleted with
// their users.
var UserPoolDeletionProtection = &scan.Rule{
	ID:        "COGNITO-006",
	Title:     "Cognito user pool does not turn on deletion protection",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Cognito::UserPool"},
	Doc: `Deleting a user pool deletes every user in it, with their passwords
and MFA enrolments, and nothing brings them back: there is no backup. A
stack update that replaces the pool, a stack deletion or a script is
enough. With DeletionProtection ACTIVE, Cognito refuses to delete the pool
until someone turns it off on purpose. There is no cfn_nag equivalent.

Bad:

~~~yaml
Users:
  Type: AWS::Cognito::UserPool
  Properties:
    MfaConfiguration: "ON"
~~~

Good:

~~~yaml
Users:
  Type: AWS::Cognito::UserPool
  DeletionPolicy: Retain
  Properties:
    MfaConfiguration: "ON"
    DeletionProtection: ACTIVE
~~~
`,
	Fix: "Set DeletionProtection to ACTIVE (and DeletionPolicy: Retain).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "DeletionProtection") {
				if s, ok := v.Str(); v.Absent || (ok && s != "ACTIVE") {
					rep.Report(r, v, "user pool and all its users can be deleted: %s", v.State("DeletionProtection"))
				}
			}
		}
	},
}

// clientItems returns a check reporting the elements of the list property
// key of user pool clients that bad reports on, with msg.
func clientItems(key string, bad func(string) bool, msg func(string) string) func(*scan.Pass) {
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Items(p.Eval, prop.Get(p.Eval, r, key)) {
				if s, ok := v.Str(); ok && bad(s) {
					rep.Report(r, v, "%s", msg(s))
				}
			}
		}
	}
}

// ClientPasswordAuth reports clients that send passwords in the clear to
// Cognito.
var ClientPasswordAuth = &scan.Rule{
	ID:        "COGNITO-004",
	Title:     "Cognito user pool client allows plain password authentication",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Cognito::UserPoolClient"},
	Doc: `ALLOW_USER_PASSWORD_AUTH (or the legacy USER_PASSWORD_AUTH) lets the
client send the user's password itself to Cognito, where the Secure Remote
Password flow (ALLOW_USER_SRP_AUTH) proves knowledge of it without sending
it. AWS recommends SRP; the plain flow is meant for migrating users from
another directory and should be removed afterwards. There is no cfn_nag
equivalent.

Bad:

~~~yaml
WebClient:
  Type: AWS::Cognito::UserPoolClient
  Properties:
    UserPoolId: !Ref Users
    ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
~~~

Good:

~~~yaml
WebClient:
  Type: AWS::Cognito::UserPoolClient
  Properties:
    UserPoolId: !Ref Users
    ExplicitAuthFlows: [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
~~~
`,
	Fix: "Use ALLOW_USER_SRP_AUTH instead of ALLOW_USER_PASSWORD_AUTH.",
	Check: clientItems("ExplicitAuthFlows", func(s string) bool {
		return s == "ALLOW_USER_PASSWORD_AUTH" || s == "USER_PASSWORD_AUTH"
	}, func(s string) string {
		return fmt.Sprintf("client allows %s: the password itself is sent to Cognito instead of an SRP proof", s)
	}),
}

// ClientUserExistenceErrors reports clients that reveal whether a user
// exists.
var ClientUserExistenceErrors = &scan.Rule{
	ID:        "COGNITO-005",
	Title:     "Cognito user pool client reveals whether a user exists",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Cognito::UserPoolClient"},
	Doc: `Unless PreventUserExistenceErrors is ENABLED, sign-in, confirmation
and password recovery answer UserNotFoundException for unknown users, so
anyone can test which e-mail addresses have an account and aim password
guessing or phishing at them. When the property is not set, clients created
through CloudFormation get LEGACY. There is no cfn_nag equivalent.

Bad:

~~~yaml
WebClient:
  Type: AWS::Cognito::UserPoolClient
  Properties:
    UserPoolId: !Ref Users
~~~

Good:

~~~yaml
WebClient:
  Type: AWS::Cognito::UserPoolClient
  Properties:
    UserPoolId: !Ref Users
    PreventUserExistenceErrors: ENABLED
~~~
`,
	Fix: "Set PreventUserExistenceErrors to ENABLED.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "PreventUserExistenceErrors") {
				if s, ok := v.Str(); v.Absent || (ok && s != "ENABLED") {
					rep.Report(r, v, "client tells callers whether a user exists: %s", v.State("PreventUserExistenceErrors"))
				}
			}
		}
	},
}

// ClientImplicitGrant reports clients that allow the OAuth implicit grant.
var ClientImplicitGrant = &scan.Rule{
	ID:        "COGNITO-008",
	Title:     "Cognito user pool client allows the OAuth implicit grant",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Cognito::UserPoolClient"},
	Doc: `The implicit grant returns tokens in the redirect URL's fragment,
where browser history, referrer headers and injected scripts can read them,
and it cannot use PKCE. The OAuth 2.0 Security Best Current Practice
(RFC 9700) says not to use it; use the authorization code grant with PKCE.
There is no cfn_nag equivalent.

Bad:

~~~yaml
WebClient:
  Type: AWS::Cognito::UserPoolClient
  Properties:
    UserPoolId: !Ref Users
    AllowedOAuthFlowsUserPoolClient: true
    AllowedOAuthFlows: [implicit]
~~~

Good:

~~~yaml
WebClient:
  Type: AWS::Cognito::UserPoolClient
  Properties:
    UserPoolId: !Ref Users
    AllowedOAuthFlowsUserPoolClient: true
    AllowedOAuthFlows: [code]
~~~
`,
	Fix: "Use the code grant (with PKCE) instead of implicit.",
	Check: clientItems("AllowedOAuthFlows", func(s string) bool { return s == "implicit" }, func(string) string {
		return "client allows the OAuth implicit grant, which returns tokens in the redirect URL"
	}),
}
