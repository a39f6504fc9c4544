package apigateway

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// DomainCertificateMismatch reports REST API custom domains whose
// certificate property does not match their endpoint type.
var DomainCertificateMismatch = &scan.Rule{
	ID:        "APIGW-014",
	Title:     "API Gateway custom domain certificate does not match its endpoint type",
	Severity:  scan.Failure,
	Resources: []string{typeDomain},
	Doc: `A REGIONAL custom domain is served by API Gateway in the stack's region
and takes its certificate from RegionalCertificateArn; an EDGE one (the
default when EndpointConfiguration is not set) is served through CloudFront
and takes CertificateArn, a certificate in us-east-1. The other property is
ignored or rejected: the deploy fails, or the domain comes up without the
certificate the DNS records expect. The rule follows the endpoint type
through Fn::If branches and parameter defaults.

Bad:

~~~yaml
Domain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    DomainName: api.example.com
    EndpointConfiguration:
      Types: [REGIONAL]
    CertificateArn: !Ref Certificate
~~~

Good:

~~~yaml
Domain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    DomainName: api.example.com
    EndpointConfiguration:
      Types: [REGIONAL]
    RegionalCertificateArn: !Ref Certificate
    SecurityPolicy: TLS_1_2
~~~
`,
	Fix: "Use RegionalCertificateArn for a REGIONAL domain and CertificateArn (a us-east-1 certificate) for an EDGE domain.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			edge := prop.Get(p.Eval, r, "CertificateArn")
			regional := prop.Get(p.Eval, r, "RegionalCertificateArn")
			for _, ep := range prop.APIGatewayEndpoints(p.Eval, r) {
				var want, other []prop.Val
				var wantName, otherName string
				switch ep.Type {
				case "REGIONAL":
					want, other, wantName, otherName = regional, edge, "RegionalCertificateArn", "CertificateArn"
				case "EDGE":
					want, other, wantName, otherName = edge, regional, "CertificateArn", "RegionalCertificateArn"
				default:
					continue
				}
				for _, w := range want {
					if !w.Absent {
						continue
					}
					w, ok := because(p.Template, w, ep.Val)
					if !ok {
						continue
					}
					reported := false
					for _, o := range other {
						if o.Absent {
							continue
						}
						if both, ok := because(p.Template, o, w); ok && prop.APIGatewayConsistent(p.Template, o, ep.Val) {
							rep.Report(r, both, "custom domain %s is %s but its certificate is in %s; it needs %s", r.ID, ep.Describe(), otherName, wantName)
							reported = true
						}
					}
					if !reported {
						rep.Report(r, w, "custom domain %s is %s but %s is not set", r.ID, ep.Describe(), wantName)
					}
				}
			}
		}
	},
}

// EdgeCertificateRegion reports edge-optimized custom domains whose
// certificate is not in us-east-1.
var EdgeCertificateRegion = &scan.Rule{
	ID:        "APIGW-019",
	Title:     "Edge-optimized custom domain uses a certificate outside us-east-1",
	Severity:  scan.Failure,
	Resources: []string{typeDomain},
	Doc: `An EDGE custom domain is served by CloudFront, which only uses ACM
certificates from us-east-1 (N. Virginia), whatever the stack's region.
A CertificateArn naming another region makes the deploy fail. The rule
reads the region from certificate ARNs written in the template or in a
parameter default.

Bad:

~~~yaml
Domain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    DomainName: api.example.com
    CertificateArn: arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666
~~~

Good:

~~~yaml
Domain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    DomainName: api.example.com
    CertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666
    SecurityPolicy: TLS_1_2
~~~
`,
	Fix: "Request the certificate in us-east-1, or make the domain REGIONAL with RegionalCertificateArn.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			certs := prop.Get(p.Eval, r, "CertificateArn")
			for _, ep := range prop.APIGatewayEndpoints(p.Eval, r) {
				if ep.Type != "EDGE" {
					continue
				}
				for _, c := range certs {
					region := arnRegion(c)
					if region == "" || region == "us-east-1" {
						continue
					}
					if both, ok := because(p.Template, c, ep.Val); ok {
						rep.Report(r, both, "custom domain %s is %s, served by CloudFront, but its certificate is in %s, not us-east-1", r.ID, ep.Describe(), region)
					}
				}
			}
		}
	},
}

// arnRegion returns the region of a known ACM certificate ARN, or "".
func arnRegion(v prop.Val) string {
	s, ok := v.Str()
	if !ok {
		return ""
	}
	parts := strings.Split(s, ":")
	if len(parts) < 6 || parts[0] != "arn" || parts[2] != "acm" {
		return ""
	}
	return parts[3]
}

// V2DomainConfiguration reports HTTP and WebSocket API custom domains
// without a usable regional configuration.
var V2DomainConfiguration = &scan.Rule{
	ID:        "APIGW-015",
	Title:     "API Gateway v2 custom domain has no regional certificate configuration",
	Severity:  scan.Failure,
	Resources: []string{typeV2Domain},
	Doc: `AWS::ApiGatewayV2::DomainName domains are regional only: each
DomainNameConfigurations entry needs a CertificateArn (a certificate in the
stack's region) and an EndpointType of REGIONAL, if any. Without a
configuration or a certificate the domain cannot serve TLS, and EDGE is
rejected. Route53 aliases to such a domain must use RegionalDomainName and
RegionalHostedZoneId (see R53-001).

Bad:

~~~yaml
Domain:
  Type: AWS::ApiGatewayV2::DomainName
  Properties:
    DomainName: api.example.com
    DomainNameConfigurations:
      - EndpointType: EDGE
~~~

Good:

~~~yaml
Domain:
  Type: AWS::ApiGatewayV2::DomainName
  Properties:
    DomainName: api.example.com
    DomainNameConfigurations:
      - CertificateArn: !Ref Certificate
        EndpointType: REGIONAL
        SecurityPolicy: TLS_1_2
~~~
`,
	Fix: "Give DomainNameConfigurations one entry with a regional CertificateArn and EndpointType: REGIONAL.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			confs := prop.Get(p.Eval, r, "DomainNameConfigurations")
			for _, c := range confs {
				if c.Absent {
					rep.Report(r, c, "custom domain %s has no certificate: DomainNameConfigurations is not set", r.ID)
				}
			}
			for _, c := range prop.Items(p.Eval, confs) {
				one := []prop.Val{c}
				for _, v := range prop.Field(p.Eval, one, "CertificateArn") {
					if v.Absent {
						rep.Report(r, v, "custom domain %s has no certificate: CertificateArn is not set", r.ID)
					}
				}
				for _, v := range prop.Field(p.Eval, one, "EndpointType") {
					if s, ok := v.Str(); ok && !strings.EqualFold(s, "REGIONAL") {
						rep.Report(r, v, "custom domain %s must be regional: %s", r.ID, v.State("EndpointType"))
					}
				}
			}
		}
	},
}
