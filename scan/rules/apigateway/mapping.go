package apigateway

import (
	"regexp"
	"sort"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// declaredDomains lists the custom domain names a template declares.
type declaredDomains struct {
	names   map[string]bool // known DomainName values, lower case
	unknown bool            // some declared domain's name is not known
}

func domainsOf(p *scan.Pass) declaredDomains {
	d := declaredDomains{names: map[string]bool{}}
	for _, r := range p.Template.Resources {
		if r.Type != typeDomain && r.Type != typeV2Domain {
			continue
		}
		for _, v := range prop.Get(p.Eval, r, "DomainName") {
			if s, ok := v.Str(); ok {
				d.names[normalizeDomain(s)] = true
			} else {
				d.unknown = true
			}
		}
	}
	return d
}

// normalizeDomain lowers a DNS name and drops its final dot.
func normalizeDomain(s string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
}

func (d declaredDomains) list() string {
	var l []string
	for n := range d.names {
		l = append(l, n)
	}
	sort.Strings(l)
	return strings.Join(l, ", ")
}

// MappingUndeclaredDomain reports base path and API mappings to a domain
// name that none of the template's custom domains has.
var MappingUndeclaredDomain = &scan.Rule{
	ID:        "APIGW-017",
	Title:     "API mapping names a custom domain the template does not declare",
	Severity:  scan.Warning,
	Resources: []string{typeBasePath, typeV2ApiMapping},
	Doc: `A base path mapping (v1) or API mapping (v2) attaches an API stage to a
custom domain by its name. When the template declares custom domains but
the mapping spells a name none of them has, the mapping targets a domain
that may not exist (the deploy fails) or belongs to someone else. Refer to
the domain with !Ref so the name cannot drift and CloudFormation creates
the domain first. A template that declares no custom domain is not
reported: mapping to a domain managed by another stack is normal.

Bad:

~~~yaml
Domain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    DomainName: api.example.com
    RegionalCertificateArn: !Ref Certificate
    EndpointConfiguration:
      Types: [REGIONAL]
Mapping:
  Type: AWS::ApiGateway::BasePathMapping
  Properties:
    DomainName: api.example.org
    RestApiId: !Ref Api
    Stage: prod
~~~

Good:

~~~yaml
Mapping:
  Type: AWS::ApiGateway::BasePathMapping
  Properties:
    DomainName: !Ref Domain
    RestApiId: !Ref Api
    Stage: prod
~~~
`,
	Fix: "Refer to the declared domain with !Ref instead of writing its name.",
	Check: func(p *scan.Pass) {
		var d *declaredDomains
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			if d == nil {
				x := domainsOf(p)
				d = &x
			}
			if len(d.names) == 0 || d.unknown {
				return
			}
			for _, v := range prop.Get(p.Eval, r, "DomainName") {
				s, ok := v.Str()
				if ok && !d.names[normalizeDomain(s)] {
					rep.Report(r, v, "%s maps to custom domain %q, which the template does not declare (it declares %s)", r.ID, s, d.list())
				}
			}
		}
	},
}

// getAttText matches the rendering of Fn::GetAtt by the evaluator.
var getAttText = regexp.MustCompile(`^([A-Za-z0-9]+)\.([A-Za-z0-9.]+)$`)

// MappingNotDomain reports base path and API mappings whose DomainName
// refers to something other than a custom domain name.
var MappingNotDomain = &scan.Rule{
	ID:        "APIGW-018",
	Title:     "API mapping DomainName does not refer to a custom domain name",
	Severity:  scan.Failure,
	Resources: []string{typeBasePath, typeV2ApiMapping},
	Doc: `A mapping's DomainName must be the custom domain's name, which is what
!Ref of an AWS::ApiGateway::DomainName or AWS::ApiGatewayV2::DomainName
returns. A Ref to another resource gives an id or ARN, and
!GetAtt Domain.RegionalDomainName or DistributionDomainName gives the
target host name (d-xxxx.execute-api... or xxxx.cloudfront.net), not the
domain: the deploy fails with "Invalid domain name identifier".

Bad:

~~~yaml
Mapping:
  Type: AWS::ApiGatewayV2::ApiMapping
  Properties:
    DomainName: !GetAtt Domain.RegionalDomainName
    ApiId: !Ref HttpApi
    Stage: !Ref Stage
~~~

Good:

~~~yaml
Mapping:
  Type: AWS::ApiGatewayV2::ApiMapping
  Properties:
    DomainName: !Ref Domain
    ApiId: !Ref HttpApi
    Stage: !Ref Stage
~~~
`,
	Fix: "Set DomainName to !Ref of the AWS::ApiGateway::DomainName or AWS::ApiGatewayV2::DomainName resource.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "DomainName") {
				if msg := notDomain(p.Template, v); msg != "" {
					rep.Report(r, v, "%s maps to %s", r.ID, msg)
				}
			}
		}
	},
}

// notDomain says what a mapping's DomainName refers to when that is not a
// custom domain name, or "".
func notDomain(t *cfn.Template, v prop.Val) string {
	if v.Origin != cfn.Unknown || v.Absent {
		return ""
	}
	if id := refTarget(v); id != "" {
		res := t.Resource(id)
		if res == nil || res.Type == typeDomain || res.Type == typeV2Domain {
			return ""
		}
		return "!Ref " + id + ", a " + res.Type + ", not a custom domain name"
	}
	m := getAttText.FindStringSubmatch(v.Text)
	if m == nil || t.Resource(m[1]) == nil {
		return ""
	}
	res := t.Resource(m[1])
	if res.Type == typeDomain || res.Type == typeV2Domain {
		return "!GetAtt " + v.Text + ", the host name the domain's DNS points at, not the custom domain name; use !Ref " + m[1]
	}
	return "!GetAtt " + v.Text + " of a " + res.Type + ", not a custom domain name"
}
