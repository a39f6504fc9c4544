package opensearch

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// NotInVPC reports domains with a public endpoint.
var NotInVPC = &scan.Rule{
	ID:        "OPENSEARCH-003",
	Aliases:   []string{"W90"},
	Title:     "OpenSearch domain is not inside a VPC",
	Severity:  scan.Warning,
	Resources: domainTypes,
	Doc: `A domain without VPCOptions gets a public endpoint on the internet:
only its access policy (and fine-grained access control, if enabled) stands
between the data and anyone who finds the endpoint. A domain in a VPC is
reachable only through its subnets and security groups. Both
AWS::Elasticsearch::Domain (cfn_nag's only type) and
AWS::OpenSearchService::Domain are checked.

Bad:

~~~yaml
Search:
  Type: AWS::OpenSearchService::Domain
  Properties:
    EngineVersion: OpenSearch_2.11
~~~

Good:

~~~yaml
Search:
  Type: AWS::OpenSearchService::Domain
  Properties:
    EngineVersion: OpenSearch_2.11
    VPCOptions:
      SubnetIds: [!Ref PrivateSubnet]
      SecurityGroupIds: [!Ref SearchSecurityGroup]
~~~
`,
	Fix: "Add VPCOptions with private SubnetIds and SecurityGroupIds.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "VPCOptions") {
				if v.Absent {
					rep.Report(r, v, "domain %s has a public endpoint: VPCOptions is not set", r.ID)
				}
			}
		}
	},
}
