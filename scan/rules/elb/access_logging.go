// Package elb holds the rules for Elastic Load Balancing.
package elb

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// ClassicAccessLogging reports classic load balancers without access logs.
var ClassicAccessLogging = &scan.Rule{
	ID:        "ELB-001",
	Aliases:   []string{"W26"},
	Title:     "Classic load balancer does not write access logs",
	Severity:  scan.Warning,
	Resources: []string{"AWS::ElasticLoadBalancing::LoadBalancer"},
	Doc: `Access logs are the record of who called what through the load
balancer: the first thing needed to investigate an incident or an attack,
and they cannot be recovered after the fact. Enable them with
AccessLoggingPolicy and send them to a bucket with a retention policy.

Bad:

~~~yaml
Lb:
  Type: AWS::ElasticLoadBalancing::LoadBalancer
  Properties:
    Listeners:
      - {LoadBalancerPort: "443", InstancePort: "8080", Protocol: HTTPS}
~~~

Good:

~~~yaml
Lb:
  Type: AWS::ElasticLoadBalancing::LoadBalancer
  Properties:
    Listeners:
      - {LoadBalancerPort: "443", InstancePort: "8080", Protocol: HTTPS}
    AccessLoggingPolicy:
      Enabled: true
      S3BucketName: !Ref LogBucket
      EmitInterval: 60
~~~
`,
	Fix:   "Add AccessLoggingPolicy with Enabled: true and an S3BucketName.",
	Check: check.MustBeTrue("classic load balancer does not write access logs", "AccessLoggingPolicy", "Enabled"),
}
