package elasticache

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// NoAuth reports Redis and Valkey replication groups that any client on
// the network can use without a password.
var NoAuth = &scan.Rule{
	ID:        "ELASTICACHE-004",
	Title:     "ElastiCache Redis replication group requires no authentication",
	Severity:  scan.Warning,
	Resources: []string{"AWS::ElastiCache::ReplicationGroup"},
	Doc: `A Redis or Valkey replication group with neither AuthToken nor
UserGroupIds accepts every command from anything that can reach its port:
one permissive security group, or one compromised host in the VPC, is
enough to read, change or flush the cache (AWS Security Hub ElastiCache.6).
Use role-based access control with a user group, or at least an AUTH token
(both need TransitEncryptionEnabled). A replication group whose Engine is
not known before deploy is not checked.

Bad:

~~~yaml
Cache:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: sessions
    Engine: redis
    TransitEncryptionEnabled: true
~~~

Good:

~~~yaml
Cache:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: sessions
    Engine: redis
    TransitEncryptionEnabled: true
    UserGroupIds: [!Ref CacheUsers]
~~~
`,
	Fix: "Set UserGroupIds (role-based access control) or AuthToken from Secrets Manager.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, engine := range prop.Get(p.Eval, r, "Engine") {
				if !engine.Absent {
					s, ok := engine.Str()
					if !ok {
						continue
					}
					if s = strings.ToLower(s); s != "redis" && s != "valkey" {
						continue
					}
				}
				for _, token := range prop.Get(p.Eval, r, "AuthToken") {
					if !token.Absent {
						continue
					}
					for _, groups := range prop.Get(p.Eval, r, "UserGroupIds") {
						if !groups.Absent && (groups.Node == nil || groups.Node.Kind != cfn.Seq || len(prop.Items(p.Eval, []prop.Val{groups})) > 0) {
							continue
						}
						v, ok := prop.Both(token, groups)
						if ok {
							v, ok = prop.Both(v, engine)
						}
						if ok {
							v.Origin, v.Param = token.Origin, token.Param
							rep.Report(r, v, "ElastiCache replication group requires no authentication: neither AuthToken nor UserGroupIds is set")
						}
					}
				}
			}
		}
	},
}
