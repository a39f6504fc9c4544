package dax

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// EndpointNotTLS reports DAX clusters whose endpoint accepts unencrypted
// connections.
var EndpointNotTLS = &scan.Rule{
	ID:        "DAX-002",
	Title:     "DAX cluster endpoint is not encrypted in transit",
	Severity:  scan.Warning,
	Resources: []string{"AWS::DAX::Cluster"},
	Doc: `ClusterEndpointEncryptionType defaults to NONE: applications then read
and write cached DynamoDB items over the network in plain text. With TLS the
endpoint encrypts every connection (AWS Security Hub DynamoDB.7). The
setting can only be chosen when the cluster is created.

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
    ClusterEndpointEncryptionType: TLS
~~~
`,
	Fix: "Set ClusterEndpointEncryptionType: TLS (the cluster is replaced).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "ClusterEndpointEncryptionType") {
				if s, ok := v.Str(); v.Absent || (ok && s != "TLS") {
					rep.Report(r, v, "DAX cluster endpoint is not encrypted in transit: %s", v.State("ClusterEndpointEncryptionType"))
				}
			}
		}
	},
}
