package elb

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// DeletionProtection reports load balancers that can be deleted by
// accident.
var DeletionProtection = &scan.Rule{
	ID:        "ELB-007",
	Title:     "Load balancer has no deletion protection",
	Severity:  scan.Warning,
	Resources: []string{"AWS::ElasticLoadBalancingV2::LoadBalancer"},
	Doc: `Deleting a load balancer, by hand or through a stack update that
replaces it, takes the service offline and gives its DNS name up for good;
clients and DNS records pointing at it break. AWS Security Hub ELB.6
requires deletion_protection.enabled "true" on application, network and
gateway load balancers.

Bad:

~~~yaml
Alb:
  Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Properties:
    Subnets: [!Ref SubnetA, !Ref SubnetB]
~~~

Good:

~~~yaml
Alb:
  Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Properties:
    Subnets: [!Ref SubnetA, !Ref SubnetB]
    LoadBalancerAttributes:
      - Key: deletion_protection.enabled
        Value: "true"
~~~
`,
	Fix: "Add the LoadBalancerAttributes entry deletion_protection.enabled \"true\".",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		const key = "deletion_protection.enabled"
		for _, r := range p.Resources() {
			for _, v := range attribute(p.Eval, r, key) {
				if v.NotTrue() {
					rep.Report(r, v, "load balancer can be deleted: %s", attrState(key, v))
				}
			}
		}
	},
}
