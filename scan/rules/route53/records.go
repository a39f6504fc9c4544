package route53

import (
	"regexp"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

const (
	typeRecordSet      = "AWS::Route53::RecordSet"
	typeRecordSetGroup = "AWS::Route53::RecordSetGroup"
	typeHostedZone     = "AWS::Route53::HostedZone"
	typeDomain         = "AWS::ApiGateway::DomainName"
	typeV2Domain       = "AWS::ApiGatewayV2::DomainName"

	// cloudFrontZone is the hosted zone of every CloudFront distribution,
	// hence of every edge-optimized API Gateway custom domain.
	cloudFrontZone = "Z2FDTNDATAQYW2"
)

// records returns the possible record entries of a RecordSet (its
// Properties) or of a RecordSetGroup (the items of RecordSets).
func records(e *cfn.Evaluator, r *cfn.Resource) []prop.Val {
	if r.Type == typeRecordSetGroup {
		return prop.Items(e, prop.Get(e, r, "RecordSets"))
	}
	return prop.Properties(e, r)
}

// domainAttr matches a custom domain attribute in the rendering of an
// unknown value: "D.RegionalDomainName" or "${D.DistributionHostedZoneId}".
var domainAttr = regexp.MustCompile(`([A-Za-z0-9]+)\.(Distribution|Regional)(DomainName|HostedZoneId)\b`)

// attrRef is a use of an API Gateway custom domain's attribute.
type attrRef struct {
	domain *cfn.Resource
	attr   string // as written, such as "DistributionDomainName"
	edge   bool   // a Distribution* attribute
}

// domainAttrs returns the custom domain attributes an unknown value is
// built from.
func domainAttrs(t *cfn.Template, v prop.Val) []attrRef {
	if v.Absent || v.Origin != cfn.Unknown {
		return nil
	}
	var out []attrRef
	for _, m := range domainAttr.FindAllStringSubmatch(v.Text, -1) {
		d := t.Resource(m[1])
		if d == nil || (d.Type != typeDomain && d.Type != typeV2Domain) {
			continue
		}
		out = append(out, attrRef{domain: d, attr: m[2] + m[3], edge: m[2] == "Distribution"})
	}
	return out
}

// mismatch returns the endpoint types of the attribute's domain that the
// attribute does not fit: REGIONAL (and every v2 domain) for Distribution*,
// EDGE for Regional*.
func mismatch(e *cfn.Evaluator, a attrRef) []prop.APIGatewayEndpoint {
	var out []prop.APIGatewayEndpoint
	for _, ep := range prop.APIGatewayEndpoints(e, a.domain) {
		if (a.edge && ep.Type == "REGIONAL") || (!a.edge && ep.Type == "EDGE") {
			out = append(out, ep)
		}
	}
	return out
}

// describeDomain names a custom domain and its endpoint type for messages.
func describeDomain(a attrRef, ep prop.APIGatewayEndpoint) string {
	if a.domain.Type == typeV2Domain {
		return "API Gateway v2 custom domain " + a.domain.ID + " (always REGIONAL)"
	}
	return "custom domain " + a.domain.ID + " is " + ep.Describe()
}

// fitting returns the attribute that fits the endpoint type.
func fitting(a attrRef) string {
	switch a.attr {
	case "DistributionDomainName":
		return "RegionalDomainName"
	case "DistributionHostedZoneId":
		return "RegionalHostedZoneId"
	case "RegionalDomainName":
		return "DistributionDomainName"
	}
	return "DistributionHostedZoneId"
}

// because returns loc, the value a finding points at, with the conditions
// of both loc and cause (the value that makes loc wrong, such as an endpoint
// type) and the less certain origin of the two, an unknown one yielding to
// a parameter. ok is false when the two cannot hold together, also once the
// parameter behind one of them is known (prop.APIGatewayConsistent).
func because(t *cfn.Template, loc, cause prop.Val) (prop.Val, bool) {
	if !prop.APIGatewayConsistent(t, loc, cause) {
		return prop.Val{}, false
	}
	out, ok := prop.Both(loc, cause)
	if ok && out.Origin == cfn.Unknown {
		// An unknown value (a certificate Ref, an attribute) says nothing
		// a reader can act on; the parameter behind the other one does.
		for _, v := range []prop.Val{cause, loc} {
			if v.Origin != cfn.Unknown && v.Origin != cfn.Literal {
				out.Origin, out.Param = v.Origin, v.Param
				break
			}
		}
	}
	return out, ok
}

// AliasTargetMismatch reports records that point at an API Gateway custom
// domain through the attributes of the other endpoint type.
var AliasTargetMismatch = &scan.Rule{
	ID:        "R53-001",
	Title:     "DNS record points at the wrong endpoint of an API Gateway custom domain",
	Severity:  scan.Failure,
	Resources: []string{typeRecordSet, typeRecordSetGroup},
	Doc: `A REGIONAL API Gateway custom domain (every AWS::ApiGatewayV2::DomainName
is one) is reached at its RegionalDomainName; an EDGE one (the v1 default)
at its DistributionDomainName, a CloudFront host. Using the other attribute
in an alias's DNSName or a CNAME's ResourceRecords fails the deploy (the
attribute does not exist for that endpoint type) or, once the type is
changed, leaves the name pointing nowhere. The rule follows the domain's
endpoint type through Fn::If branches and parameter defaults, and looks at
records inside an AWS::Route53::RecordSetGroup too.

Bad:

~~~yaml
Record:
  Type: AWS::Route53::RecordSet
  Properties:
    HostedZoneId: !Ref Zone
    Name: api.example.com
    Type: A
    AliasTarget:
      DNSName: !GetAtt Domain.DistributionDomainName   # Domain is REGIONAL
      HostedZoneId: !GetAtt Domain.DistributionHostedZoneId
~~~

Good:

~~~yaml
Record:
  Type: AWS::Route53::RecordSet
  Properties:
    HostedZoneId: !Ref Zone
    Name: api.example.com
    Type: A
    AliasTarget:
      DNSName: !GetAtt Domain.RegionalDomainName
      HostedZoneId: !GetAtt Domain.RegionalHostedZoneId
~~~
`,
	Fix: "Use RegionalDomainName for a REGIONAL (or v2) custom domain and DistributionDomainName for an EDGE one.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, rec := range records(p.Eval, r) {
				one := []prop.Val{rec}
				targets := prop.Field(p.Eval, prop.Field(p.Eval, one, "AliasTarget"), "DNSName")
				targets = append(targets, prop.Items(p.Eval, prop.Field(p.Eval, one, "ResourceRecords"))...)
				for _, t := range targets {
					for _, a := range domainAttrs(p.Template, t) {
						if a.attr != "DistributionDomainName" && a.attr != "RegionalDomainName" {
							continue
						}
						for _, ep := range mismatch(p.Eval, a) {
							if v, ok := because(p.Template, t, ep.Val); ok {
								rep.Report(r, v, "record points at %s.%s but %s: use %s.%s", a.domain.ID, a.attr, describeDomain(a, ep), a.domain.ID, fitting(a))
							}
						}
					}
				}
			}
		}
	},
}

// AliasZoneMismatch reports aliases whose HostedZoneId does not belong to
// the endpoint type of the API Gateway custom domain they point at.
var AliasZoneMismatch = &scan.Rule{
	ID:        "R53-002",
	Title:     "DNS alias uses the wrong hosted zone for an API Gateway custom domain",
	Severity:  scan.Failure,
	Resources: []string{typeRecordSet, typeRecordSetGroup},
	Doc: `An alias record names the target's hosted zone in AliasTarget.HostedZoneId.
For an EDGE custom domain that is CloudFront's zone, Z2FDTNDATAQYW2, also
given by DistributionHostedZoneId; for a REGIONAL one (every v2 domain) it
is the regional API Gateway zone given by RegionalHostedZoneId. Hard-coding
Z2FDTNDATAQYW2 for a regional domain, or mixing the Distribution and
Regional attributes, makes Route 53 reject the alias or resolve it to
nothing after deploy.

Bad:

~~~yaml
Record:
  Type: AWS::Route53::RecordSet
  Properties:
    HostedZoneId: !Ref Zone
    Name: api.example.com
    Type: A
    AliasTarget:
      DNSName: !GetAtt Domain.RegionalDomainName
      HostedZoneId: Z2FDTNDATAQYW2
~~~

Good:

~~~yaml
Record:
  Type: AWS::Route53::RecordSet
  Properties:
    HostedZoneId: !Ref Zone
    Name: api.example.com
    Type: A
    AliasTarget:
      DNSName: !GetAtt Domain.RegionalDomainName
      HostedZoneId: !GetAtt Domain.RegionalHostedZoneId
~~~
`,
	Fix: "Use !GetAtt Domain.RegionalHostedZoneId for a REGIONAL (or v2) domain and DistributionHostedZoneId (Z2FDTNDATAQYW2) for an EDGE one.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, rec := range records(p.Eval, r) {
				alias := prop.Field(p.Eval, []prop.Val{rec}, "AliasTarget")
				zones := prop.Field(p.Eval, alias, "HostedZoneId")
				names := prop.Field(p.Eval, alias, "DNSName")
				for _, z := range zones {
					for _, a := range domainAttrs(p.Template, z) {
						if a.attr != "DistributionHostedZoneId" && a.attr != "RegionalHostedZoneId" {
							continue
						}
						for _, ep := range mismatch(p.Eval, a) {
							if v, ok := because(p.Template, z, ep.Val); ok {
								rep.Report(r, v, "alias uses %s.%s but %s: use %s.%s", a.domain.ID, a.attr, describeDomain(a, ep), a.domain.ID, fitting(a))
							}
						}
					}
					zone, ok := z.Str()
					if !ok {
						continue
					}
					for _, n := range names {
						zv, ok := prop.Both(z, n)
						if !ok {
							continue
						}
						for _, a := range domainAttrs(p.Template, n) {
							for _, ep := range prop.APIGatewayEndpoints(p.Eval, a.domain) {
								v, ok := because(p.Template, zv, ep.Val)
								if !ok {
									continue
								}
								switch {
								case zone == cloudFrontZone && ep.Type == "REGIONAL":
									rep.Report(r, v, "alias uses CloudFront's hosted zone %s but %s: use !GetAtt %s.RegionalHostedZoneId", zone, describeDomain(a, ep), a.domain.ID)
								case zone != cloudFrontZone && ep.Type == "EDGE":
									rep.Report(r, v, "alias uses hosted zone %s but %s, served by CloudFront: use !GetAtt %s.DistributionHostedZoneId (%s)", zone, describeDomain(a, ep), a.domain.ID, cloudFrontZone)
								}
							}
						}
					}
				}
			}
		}
	},
}
