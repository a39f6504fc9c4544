package elasticache

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// TransitUnencrypted reports replication groups that accept unencrypted
// connections.
var TransitUnencrypted = &scan.Rule{
	ID:        "ELASTICACHE-002",
	Aliases:   []string{"F33"},
	Title:     "ElastiCache replication group is not encrypted in transit",
	Severity:  scan.Failure,
	Resources: []string{"AWS::ElastiCache::ReplicationGroup"},
	Doc: `Without TransitEncryptionEnabled: true, clients and replicas exchange
cached data, and any AUTH token, in plain text over the network. In-transit
encryption is also what AuthToken and user groups require.

Bad:

~~~yaml
Cache:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: sessions
    Engine: redis
    CacheNodeType: cache.t4g.small
~~~

Good:

~~~yaml
Cache:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: sessions
    Engine: redis
    CacheNodeType: cache.t4g.small
    TransitEncryptionEnabled: true
~~~
`,
	Fix:   "Set TransitEncryptionEnabled: true.",
	Check: check.MustBeTrue("ElastiCache replication group is not encrypted in transit", "TransitEncryptionEnabled"),
}
