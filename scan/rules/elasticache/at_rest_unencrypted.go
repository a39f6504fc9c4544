package elasticache

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// AtRestUnencrypted reports replication groups whose data on disk is not
// encrypted.
var AtRestUnencrypted = &scan.Rule{
	ID:        "ELASTICACHE-001",
	Aliases:   []string{"F25"},
	Title:     "ElastiCache replication group is not encrypted at rest",
	Severity:  scan.Failure,
	Resources: []string{"AWS::ElastiCache::ReplicationGroup"},
	Doc: `Without AtRestEncryptionEnabled: true, the data a Redis or Valkey
replication group writes to disk (swap, snapshots and backups exported to
S3) is stored unencrypted. Encryption at rest can only be chosen when the
group is created.

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
    AtRestEncryptionEnabled: true
    KmsKeyId: !Ref CacheKey
~~~
`,
	Fix:   "Set AtRestEncryptionEnabled: true (the group is replaced).",
	Check: check.MustBeTrue("ElastiCache replication group is not encrypted at rest", "AtRestEncryptionEnabled"),
}
