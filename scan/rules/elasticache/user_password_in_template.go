package elasticache

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// UserPasswordInTemplate reports ElastiCache user passwords that end up
// in the template or the console.
var UserPasswordInTemplate = &scan.Rule{
	ID:        "ELASTICACHE-005",
	Title:     "ElastiCache user password is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::ElastiCache::User"},
	Doc: `An ElastiCache user's Passwords (or AuthenticationMode.Passwords)
written as literals, or taken from a parameter with a Default, sit in plain
text in the template and every copy of it; a parameter without NoEcho shows
its value in the console and DescribeStacks. Each password is checked. Use
a Secrets Manager dynamic reference, a NoEcho parameter without a Default,
or IAM authentication (AuthenticationMode.Type: iam).

A NoEcho parameter with an empty Default, the usual way to make a secret
optional, reveals nothing and is accepted (cfn_nag reports it).

Bad:

~~~yaml
AppUser:
  Type: AWS::ElastiCache::User
  Properties:
    UserId: app
    UserName: app
    Engine: redis
    AccessString: on ~app:* +@read +@write
    Passwords: [correct-horse-battery-staple]
~~~

Good:

~~~yaml
AppUser:
  Type: AWS::ElastiCache::User
  Properties:
    UserId: app
    UserName: app
    Engine: redis
    AccessString: on ~app:* +@read +@write
    AuthenticationMode:
      Type: iam
~~~
`,
	Fix: "Use AuthenticationMode.Type: iam, a {{resolve:secretsmanager:...}} reference or a NoEcho parameter without Default.",
	Check: func(p *scan.Pass) {
		allowed := []string{check.SecretsManager, check.SSMSecure}
		check.DatabaseSecretItems(allowed, "Passwords")(p)
		check.DatabaseSecretItems(allowed, "AuthenticationMode", "Passwords")(p)
	},
}
