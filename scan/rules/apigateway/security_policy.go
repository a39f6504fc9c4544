package apigateway

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// weakTLSPolicy reports whether a security policy admits TLS 1.0. Every
// enhanced policy (SecurityPolicy_TLS12_..., SecurityPolicy_TLS13_...)
// requires TLS 1.2 or later.
func weakTLSPolicy(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "TLS_1_0") }

// DomainSecurityPolicy reports REST API custom domains that accept TLS 1.0.
var DomainSecurityPolicy = &scan.Rule{
	ID:        "APIGW-004",
	Aliases:   []string{"W62"},
	Title:     "API Gateway custom domain accepts TLS 1.0",
	Severity:  scan.Warning,
	Resources: []string{typeDomain},
	Doc: `The TLS_1_0 security policy, which a REST API custom domain gets when
SecurityPolicy is not set, accepts TLS 1.0 and 1.1 and their weak cipher
suites, deprecated by RFC 8996 and rejected by PCI DSS. TLS_1_2 or one of the
enhanced SecurityPolicy_TLS13_... policies accepts only TLS 1.2 and later.

Bad:

~~~yaml
Domain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    DomainName: api.example.com
    RegionalCertificateArn: !Ref Certificate
    EndpointConfiguration:
      Types: [REGIONAL]
~~~

Good:

~~~yaml
Domain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    DomainName: api.example.com
    RegionalCertificateArn: !Ref Certificate
    EndpointConfiguration:
      Types: [REGIONAL]
    SecurityPolicy: TLS_1_2
~~~
`,
	Fix: "Set SecurityPolicy: TLS_1_2.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "SecurityPolicy") {
				if v.Absent {
					rep.Report(r, v, "custom domain %s accepts TLS 1.0: SecurityPolicy is not set (defaults to TLS_1_0)", r.ID)
				} else if s, ok := v.Str(); ok && weakTLSPolicy(s) {
					rep.Report(r, v, "custom domain %s accepts TLS 1.0: %s", r.ID, v.State("SecurityPolicy"))
				}
			}
		}
	},
}

// V2DomainSecurityPolicy reports HTTP and WebSocket API custom domains that
// accept TLS 1.0.
var V2DomainSecurityPolicy = &scan.Rule{
	ID:        "APIGW-016",
	Title:     "API Gateway v2 custom domain accepts TLS 1.0",
	Severity:  scan.Warning,
	Resources: []string{typeV2Domain},
	Doc: `A DomainNameConfigurations entry with SecurityPolicy TLS_1_0 accepts TLS
1.0 and 1.1, deprecated by RFC 8996 and rejected by PCI DSS (HTTP APIs
cannot even use it; WebSocket APIs can). Use TLS_1_2. An entry without
SecurityPolicy is not reported: API Gateway v2 applies TLS_1_2 to HTTP APIs.

Bad:

~~~yaml
Domain:
  Type: AWS::ApiGatewayV2::DomainName
  Properties:
    DomainName: ws.example.com
    DomainNameConfigurations:
      - CertificateArn: !Ref Certificate
        EndpointType: REGIONAL
        SecurityPolicy: TLS_1_0
~~~

Good:

~~~yaml
Domain:
  Type: AWS::ApiGatewayV2::DomainName
  Properties:
    DomainName: ws.example.com
    DomainNameConfigurations:
      - CertificateArn: !Ref Certificate
        EndpointType: REGIONAL
        SecurityPolicy: TLS_1_2
~~~
`,
	Fix: "Set SecurityPolicy: TLS_1_2 in each DomainNameConfigurations entry.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, c := range prop.Items(p.Eval, prop.Get(p.Eval, r, "DomainNameConfigurations")) {
				for _, v := range prop.Field(p.Eval, []prop.Val{c}, "SecurityPolicy") {
					if s, ok := v.Str(); ok && weakTLSPolicy(s) {
						rep.Report(r, v, "custom domain %s accepts TLS 1.0: %s", r.ID, v.State("SecurityPolicy"))
					}
				}
			}
		}
	},
}
