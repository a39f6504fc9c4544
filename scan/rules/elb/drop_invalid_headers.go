package elb

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// DropInvalidHeaders reports application load balancers that pass invalid
// HTTP headers on.
var DropInvalidHeaders = &scan.Rule{
	ID:        "ELB-006",
	Title:     "Application load balancer does not drop invalid HTTP headers",
	Severity:  scan.Warning,
	Resources: []string{"AWS::ElasticLoadBalancingV2::LoadBalancer"},
	Doc: `By default an application load balancer forwards header fields with
invalid names to the targets, which lets a client smuggle requests or
confuse the application about a header's value (HTTP desync). AWS Security
Hub ELB.4 requires routing.http.drop_invalid_header_fields.enabled "true".
Only application load balancers (Type absent or application) are checked.

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
      - Key: routing.http.drop_invalid_header_fields.enabled
        Value: "true"
~~~
`,
	Fix: "Add the LoadBalancerAttributes entry routing.http.drop_invalid_header_fields.enabled \"true\".",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		const key = "routing.http.drop_invalid_header_fields.enabled"
		for _, r := range p.Resources() {
			if lbType(p.Eval, r) != "application" {
				continue
			}
			for _, v := range attribute(p.Eval, r, key) {
				if v.NotTrue() {
					rep.Report(r, v, "load balancer forwards invalid HTTP headers: %s", attrState(key, v))
				}
			}
		}
	},
}
