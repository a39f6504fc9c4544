package elb

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// ClassicPlaintextListener reports classic load balancer listeners that
// receive traffic without TLS.
var ClassicPlaintextListener = &scan.Rule{
	ID:        "ELB-008",
	Title:     "Classic load balancer listener does not use HTTPS or SSL",
	Severity:  scan.Warning,
	Resources: []string{"AWS::ElasticLoadBalancing::LoadBalancer"},
	Doc: `A classic load balancer listener with Protocol HTTP or TCP receives
traffic in clear text, so anyone on the path can read and change it. AWS
Security Hub ELB.3 requires HTTPS or SSL listeners. (Classic load balancers
are a previous generation; an application or network load balancer is the
better fix.)

Bad:

~~~yaml
Lb:
  Type: AWS::ElasticLoadBalancing::LoadBalancer
  Properties:
    Listeners:
      - {LoadBalancerPort: "80", InstancePort: "8080", Protocol: HTTP}
~~~

Good:

~~~yaml
Lb:
  Type: AWS::ElasticLoadBalancing::LoadBalancer
  Properties:
    Listeners:
      - LoadBalancerPort: "443"
        InstancePort: "8080"
        Protocol: HTTPS
        SSLCertificateId: !Ref Cert
~~~
`,
	Fix: "Use Protocol HTTPS or SSL with a certificate.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, l := range prop.Items(p.Eval, prop.Get(p.Eval, r, "Listeners")) {
				for _, v := range prop.Field(p.Eval, []prop.Val{l}, "Protocol") {
					if s, ok := v.Str(); ok && (strings.EqualFold(s, "HTTP") || strings.EqualFold(s, "TCP")) {
						rep.Report(r, v, "listener receives traffic in clear text: %s", v.State("Protocol"))
					}
				}
			}
		}
	},
}
