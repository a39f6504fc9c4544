package rds

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// ProxyTLSNotRequired reports RDS proxies that accept unencrypted client
// connections.
var ProxyTLSNotRequired = &scan.Rule{
	ID:        "RDS-011",
	Title:     "RDS proxy does not require TLS",
	Severity:  scan.Warning,
	Resources: []string{"AWS::RDS::DBProxy"},
	Doc: `RequireTLS is false by default: clients may then talk to the proxy in
plain text, and the credentials and data they send can be read on the
network. With RequireTLS: true the proxy refuses unencrypted connections.

Bad:

~~~yaml
Proxy:
  Type: AWS::RDS::DBProxy
  Properties:
    EngineFamily: POSTGRESQL
    RoleArn: !GetAtt ProxyRole.Arn
    VpcSubnetIds: [!Ref SubnetA, !Ref SubnetB]
    Auth:
      - AuthScheme: SECRETS
        SecretArn: !Ref DbSecret
~~~

Good:

~~~yaml
Proxy:
  Type: AWS::RDS::DBProxy
  Properties:
    EngineFamily: POSTGRESQL
    RequireTLS: true
    RoleArn: !GetAtt ProxyRole.Arn
    VpcSubnetIds: [!Ref SubnetA, !Ref SubnetB]
    Auth:
      - AuthScheme: SECRETS
        SecretArn: !Ref DbSecret
~~~
`,
	Fix:   "Set RequireTLS: true.",
	Check: check.MustBeTrue("RDS proxy accepts unencrypted connections", "RequireTLS"),
}
