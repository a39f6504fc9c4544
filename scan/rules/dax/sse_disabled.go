package dax

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// SSEDisabled reports DAX clusters whose cached data is not encrypted at
// rest.
var SSEDisabled = &scan.Rule{
	ID:        "DAX-001",
	Aliases:   []string{"W83"},
	Title:     "DAX cluster is not encrypted at rest",
	Severity:  scan.Warning,
	Resources: []string{"AWS::DAX::Cluster"},
	Doc: `A DAX cluster caches items read from DynamoDB, so it holds the same
data as the tables behind it. Without SSESpecification.SSEEnabled: true the
cache, its configuration and its logs are stored unencrypted, and
encryption at rest can only be chosen when the cluster is created.

Bad:

~~~yaml
Cache:
  Type: AWS::DAX::Cluster
  Properties:
    NodeType: dax.r5.large
    ReplicationFactor: 3
    IAMRoleARN: !GetAtt DaxRole.Arn
~~~

Good:

~~~yaml
Cache:
  Type: AWS::DAX::Cluster
  Properties:
    NodeType: dax.r5.large
    ReplicationFactor: 3
    IAMRoleARN: !GetAtt DaxRole.Arn
    SSESpecification:
      SSEEnabled: true
~~~
`,
	Fix:   "Set SSESpecification.SSEEnabled: true (the cluster is replaced).",
	Check: check.MustBeTrue("DAX cluster is not encrypted at rest", "SSESpecification", "SSEEnabled"),
}
