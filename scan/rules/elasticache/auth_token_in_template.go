package elasticache

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// AuthTokenInTemplate reports AUTH tokens that end up in the template or
// the console.
var AuthTokenInTemplate = &scan.Rule{
	ID:        "ELASTICACHE-003",
	Aliases:   []string{"F44"},
	Title:     "ElastiCache AuthToken is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::ElastiCache::ReplicationGroup"},
	Doc: `The AuthToken is the password of the Redis server. Written as a
literal, or taken from a parameter with a Default, it sits in plain text in
the template and every copy of it; a parameter without NoEcho shows its
value in the console and DescribeStacks. Use a Secrets Manager or
ssm-secure dynamic reference, or a NoEcho parameter without a Default; an
{{resolve:ssm:...}} reference is plain text and is reported.

A NoEcho parameter with an empty Default, the usual way to make a secret
optional, reveals nothing and is accepted (cfn_nag reports it).

Bad:

~~~yaml
Cache:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: sessions
    TransitEncryptionEnabled: true
    AuthToken: correct-horse-battery-staple
~~~

Good:

~~~yaml
Cache:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: sessions
    TransitEncryptionEnabled: true
    AuthToken: !Sub "{{resolve:secretsmanager:${CacheSecret}:SecretString:token}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference or a NoEcho parameter without Default.",
	Check: check.DatabaseSecret([]string{check.SecretsManager, check.SSMSecure}, "AuthToken"),
}
