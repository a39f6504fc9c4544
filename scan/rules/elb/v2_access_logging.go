package elb

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// V2AccessLogging reports application and network load balancers without
// access logs.
var V2AccessLogging = &scan.Rule{
	ID:        "ELB-002",
	Aliases:   []string{"W52"},
	Title:     "Load balancer does not write access logs",
	Severity:  scan.Warning,
	Resources: []string{"AWS::ElasticLoadBalancingV2::LoadBalancer"},
	Doc: `Access logs record every request through an application or network
load balancer: client address, path, status, latency. They are what an
investigation needs after an attack and cannot be recovered afterwards (AWS
Security Hub ELB.5). Turn them on with the LoadBalancerAttributes entry
access_logs.s3.enabled set to "true" and name the bucket in
access_logs.s3.bucket. Gateway load balancers, which have no access logs,
are not checked (cfn_nag reports them too).

Bad:

~~~yaml
Lb:
  Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Properties:
    Subnets: [!Ref SubnetA, !Ref SubnetB]
~~~

Good:

~~~yaml
Lb:
  Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Properties:
    Subnets: [!Ref SubnetA, !Ref SubnetB]
    LoadBalancerAttributes:
      - Key: access_logs.s3.enabled
        Value: "true"
      - Key: access_logs.s3.bucket
        Value: !Ref LogBucket
~~~
`,
	Fix: "Add the LoadBalancerAttributes entries access_logs.s3.enabled \"true\" and access_logs.s3.bucket.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			if lbType(p.Eval, r) == "gateway" {
				continue
			}
			for _, v := range attribute(p.Eval, r, "access_logs.s3.enabled") {
				if v.NotTrue() {
					rep.Report(r, v, "load balancer does not write access logs: %s", attrState("access_logs.s3.enabled", v))
				}
			}
		}
	},
}
