package elasticache

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// MinorUpgradeOff reports caches that do not receive minor engine
// versions.
var MinorUpgradeOff = &scan.Rule{
	ID:        "ELASTICACHE-006",
	Title:     "ElastiCache automatic minor version upgrade is disabled",
	Severity:  scan.Warning,
	Resources: []string{"AWS::ElastiCache::ReplicationGroup", "AWS::ElastiCache::CacheCluster"},
	Doc: `Minor engine versions carry security fixes. With
AutoMinorVersionUpgrade: false they are applied only when someone upgrades
by hand (AWS Security Hub ElastiCache.2). Leaving the property out keeps
upgrades on, in the maintenance window.

Bad:

~~~yaml
Cache:
  Type: AWS::ElastiCache::CacheCluster
  Properties:
    Engine: memcached
    CacheNodeType: cache.t4g.small
    NumCacheNodes: 1
    AutoMinorVersionUpgrade: false
~~~

Good:

~~~yaml
Cache:
  Type: AWS::ElastiCache::CacheCluster
  Properties:
    Engine: memcached
    CacheNodeType: cache.t4g.small
    NumCacheNodes: 1
    PreferredMaintenanceWindow: sun:03:00-sun:04:00
~~~
`,
	Fix:   "Set AutoMinorVersionUpgrade: true (or remove it).",
	Check: check.DatabaseNotFalse("ElastiCache minor version upgrades are disabled", "AutoMinorVersionUpgrade"),
}
