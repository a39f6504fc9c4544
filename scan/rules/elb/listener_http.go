package elb

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// ListenerHTTP reports listeners that speak plain HTTP.
var ListenerHTTP = &scan.Rule{
	ID:        "ELB-004",
	Aliases:   []string{"W56"},
	Title:     "Load balancer listener uses HTTP",
	Severity:  scan.Warning,
	Resources: []string{"AWS::ElasticLoadBalancingV2::Listener"},
	Doc: `A listener with Protocol HTTP receives requests in clear text: anyone
on the path can read or change them, cookies and tokens included. Use an
HTTPS listener (TLS for a network load balancer). This is cfn_nag's check
and reports every HTTP listener, including one whose only job is to
redirect to HTTPS; ELB-005 reports only HTTP listeners that serve traffic,
so a template may suppress this rule on redirecting listeners with that
reason.

Bad:

~~~yaml
Http:
  Type: AWS::ElasticLoadBalancingV2::Listener
  Properties:
    LoadBalancerArn: !Ref Alb
    Port: 80
    Protocol: HTTP
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
	Fix: "Use Protocol HTTPS with a certificate (TLS for a network load balancer).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "Protocol") {
				if s, ok := v.Str(); ok && strings.EqualFold(s, "HTTP") {
					rep.Report(r, v, "listener receives requests in clear text: %s", v.State("Protocol"))
				}
			}
		}
	},
}

// ListenerHTTPNoRedirect reports HTTP listeners that forward traffic
// instead of redirecting it to HTTPS.
var ListenerHTTPNoRedirect = &scan.Rule{
	ID:        "ELB-005",
	Title:     "HTTP listener serves traffic instead of redirecting to HTTPS",
	Severity:  scan.Warning,
	Resources: []string{"AWS::ElasticLoadBalancingV2::Listener"},
	Doc: `An HTTP listener whose default action forwards to targets (or
authenticates) serves the application in clear text. The usual and safe
HTTP listener only redirects to HTTPS (AWS Security Hub ELB.1). Listeners
whose default action is a redirect or a fixed response are not reported;
listener rules are not considered.

Bad:

~~~yaml
Http:
  Type: AWS::ElasticLoadBalancingV2::Listener
  Properties:
    LoadBalancerArn: !Ref Alb
    Port: 80
    Protocol: HTTP
    DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]
~~~

Good:

~~~yaml
Http:
  Type: AWS::ElasticLoadBalancingV2::Listener
  Properties:
    LoadBalancerArn: !Ref Alb
    Port: 80
    Protocol: HTTP
    DefaultActions:
      - Type: redirect
        RedirectConfig: {Protocol: HTTPS, Port: "443", StatusCode: HTTP_301}
~~~
`,
	Fix: "Make the HTTP listener's default action a redirect to HTTPS and serve traffic on an HTTPS listener.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, proto := range prop.Get(p.Eval, r, "Protocol") {
				if s, ok := proto.Str(); !ok || !strings.EqualFold(s, "HTTP") {
					continue
				}
				for _, act := range prop.Items(p.Eval, prop.Get(p.Eval, r, "DefaultActions")) {
					for _, t := range prop.Field(p.Eval, []prop.Val{act}, "Type") {
						s, ok := t.Str()
						if !ok {
							continue
						}
						switch strings.ToLower(s) {
						case "forward", "authenticate-oidc", "authenticate-cognito":
							if v, ok := prop.Both(t, proto); ok {
								rep.Report(r, v, "HTTP listener serves traffic in clear text instead of redirecting to HTTPS: default action Type is %q", s)
							}
						}
					}
				}
			}
		}
	},
}
