package elb

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// outdatedPolicies are the ELB security policies that accept TLS 1.0 or
// 1.1: cfn_nag's list and the newer ones that still do.
var outdatedPolicies = map[string]bool{
	"ELBSecurityPolicy-2015-05":           true,
	"ELBSecurityPolicy-2016-08":           true,
	"ELBSecurityPolicy-TLS-1-0-2015-04":   true,
	"ELBSecurityPolicy-TLS-1-1-2017-01":   true,
	"ELBSecurityPolicy-FS-2018-06":        true,
	"ELBSecurityPolicy-FS-1-1-2019-08":    true,
	"ELBSecurityPolicy-TLS13-1-0-2021-06": true,
	"ELBSecurityPolicy-TLS13-1-1-2021-06": true,
	"ELBSecurityPolicy-2015":              true,
}

// ListenerSSLPolicy reports HTTPS and TLS listeners that accept TLS
// versions before 1.2.
var ListenerSSLPolicy = &scan.Rule{
	ID:        "ELB-003",
	Aliases:   []string{"W55"},
	Title:     "HTTPS/TLS listener accepts TLS versions before 1.2",
	Severity:  scan.Warning,
	Resources: []string{"AWS::ElasticLoadBalancingV2::Listener"},
	Doc: `TLS 1.0 and 1.1 have known weaknesses and are deprecated (RFC
8996); clients that negotiate them can be attacked, and compliance
standards such as PCI DSS forbid them. An HTTPS or TLS listener without
SslPolicy gets ELBSecurityPolicy-2016-08, which accepts TLS 1.0. Besides
cfn_nag's list, the TLS 1.3 policies that still accept 1.0 or 1.1
(ELBSecurityPolicy-TLS13-1-0-2021-06, -TLS13-1-1-2021-06) and
ELBSecurityPolicy-2015-05 are reported.

Bad:

~~~yaml
Https:
  Type: AWS::ElasticLoadBalancingV2::Listener
  Properties:
    LoadBalancerArn: !Ref Alb
    Port: 443
    Protocol: HTTPS
    Certificates: [{CertificateArn: !Ref Cert}]
    DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]
~~~

Good:

~~~yaml
Https:
  Type: AWS::ElasticLoadBalancingV2::Listener
  Properties:
    LoadBalancerArn: !Ref Alb
    Port: 443
    Protocol: HTTPS
    SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
    Certificates: [{CertificateArn: !Ref Cert}]
    DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]
~~~
`,
	Fix: "Set SslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06 (or another policy that requires TLS 1.2).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			secure := false
			for _, v := range prop.Get(p.Eval, r, "Protocol") {
				s, ok := v.Str()
				secure = secure || (ok && (strings.EqualFold(s, "HTTPS") || strings.EqualFold(s, "TLS")))
			}
			if !secure {
				continue
			}
			for _, v := range prop.Get(p.Eval, r, "SslPolicy") {
				if v.Absent {
					rep.Report(r, v, "listener uses the default policy, which accepts TLS 1.0: SslPolicy is not set")
				} else if s, ok := v.Str(); ok && outdatedPolicies[s] {
					rep.Report(r, v, "listener accepts TLS versions before 1.2: %s", v.State("SslPolicy"))
				}
			}
		}
	},
}
