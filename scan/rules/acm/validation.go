package acm

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// EmailValidation reports certificates validated by e-mail.
var EmailValidation = &scan.Rule{
	ID:        "ACM-001",
	Title:     "ACM certificate is validated by e-mail",
	Severity:  scan.Warning,
	Resources: []string{typeCertificate},
	Doc: `With e-mail validation (the default when ValidationMethod is not set),
ACM mails an approval link to the domain's WHOIS contacts and to admin@,
administrator@, hostmaster@, postmaster@ and webmaster@ of the validation
domain. The stack waits in CREATE_IN_PROGRESS until someone clicks it, the
mail often goes to a mailbox nobody reads, and the certificate does not
renew by itself. DNS validation with a HostedZoneId is approved by
CloudFormation itself and renews automatically. Certificates from a private
CA (CertificateAuthorityArn) are not validated and not reported.

Bad:

~~~yaml
Certificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: api.example.com
~~~

Good:

~~~yaml
Certificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: api.example.com
    ValidationMethod: DNS
    DomainValidationOptions:
      - DomainName: api.example.com
        HostedZoneId: !Ref Zone
~~~
`,
	Fix: "Set ValidationMethod: DNS and give DomainValidationOptions with a HostedZoneId for each name.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			if isPrivate(p.Eval, r) {
				continue
			}
			for _, v := range methodIs(p.Eval, r, "EMAIL") {
				if v.Absent {
					rep.Report(r, v, "certificate %s is validated by e-mail: ValidationMethod is not set (defaults to EMAIL)", r.ID)
				} else {
					rep.Report(r, v, "certificate %s is validated by e-mail: %s", r.ID, v.State("ValidationMethod"))
				}
			}
		}
	},
}

// SANWithoutValidationOption reports, under e-mail validation, subject
// alternative names without a DomainValidationOptions entry.
var SANWithoutValidationOption = &scan.Rule{
	ID:        "ACM-002",
	Title:     "ACM certificate SAN has no DomainValidationOptions entry for e-mail validation",
	Severity:  scan.Warning,
	Resources: []string{typeCertificate},
	Doc: `With e-mail validation every name on the certificate is approved
separately. A DomainValidationOptions entry for the name says which
validation domain the approval mail goes to; without one ACM picks the
addresses itself, which for a subject alternative name in another domain
or a deep subdomain is usually a mailbox nobody reads, and the certificate
never issues. Each SubjectAlternativeNames item needs an entry whose
DomainName is that name (or prefer DNS validation).

Bad:

~~~yaml
Certificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: example.com
    SubjectAlternativeNames: [www.example.com, example.net]
    ValidationMethod: EMAIL
    DomainValidationOptions:
      - DomainName: example.com
        ValidationDomain: example.com
~~~

Good:

~~~yaml
Certificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: example.com
    SubjectAlternativeNames: [www.example.com, example.net]
    ValidationMethod: EMAIL
    DomainValidationOptions:
      - DomainName: example.com
        ValidationDomain: example.com
      - DomainName: www.example.com
        ValidationDomain: example.com
      - DomainName: example.net
        ValidationDomain: example.net
~~~
`,
	Fix: "Add a DomainValidationOptions entry with the SAN as DomainName and its ValidationDomain, or switch to DNS validation.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			if isPrivate(p.Eval, r) {
				continue
			}
			methods := methodIs(p.Eval, r, "EMAIL")
			if len(methods) == 0 {
				continue
			}
			opts := prop.Field(p.Eval, options(p.Eval, r), "DomainName")
			for _, s := range sans(p.Eval, r) {
				if covered(s, opts, false) {
					continue
				}
				for _, m := range methods {
					if v, ok := because(s, m); ok {
						rep.Report(r, v, "with e-mail validation, SAN %s has no DomainValidationOptions entry saying where its approval mail goes", label(s))
						break
					}
				}
			}
		}
	},
}

// covered reports whether some option's DomainName may be name n under
// compatible conditions.
func covered(n prop.Val, optNames []prop.Val, wild bool) bool {
	for _, o := range optNames {
		if !o.Absent && prop.Compatible(n.Conds, o.Conds) && maybeSame(n, o, wild) {
			return true
		}
	}
	return false
}

// ValidationDomainNotParent reports validation domains that are neither
// the name nor a parent of it.
var ValidationDomainNotParent = &scan.Rule{
	ID:        "ACM-003",
	Title:     "ACM ValidationDomain is not the name or a parent of it",
	Severity:  scan.Failure,
	Resources: []string{typeCertificate},
	Doc: `A DomainValidationOptions entry's ValidationDomain must be its
DomainName or a superdomain of it (www.example.com may be validated at
example.com, never at example.net or at a sibling such as
mail.example.com); ACM rejects any other, and the certificate is not
issued. A wildcard name (*.example.com) is validated at example.com or
a parent of it.

Bad:

~~~yaml
Certificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: www.example.com
    ValidationMethod: EMAIL
    DomainValidationOptions:
      - DomainName: www.example.com
        ValidationDomain: example.net
~~~

Good:

~~~yaml
Certificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: www.example.com
    ValidationMethod: EMAIL
    DomainValidationOptions:
      - DomainName: www.example.com
        ValidationDomain: example.com
~~~
`,
	Fix: "Set ValidationDomain to the DomainName or one of its parent domains.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, o := range options(p.Eval, r) {
				one := []prop.Val{o}
				for _, vd := range prop.Field(p.Eval, one, "ValidationDomain") {
					d, ok := vd.Str()
					if !ok {
						continue
					}
					for _, n := range prop.Field(p.Eval, one, "DomainName") {
						name, ok := n.Str()
						if !ok || isParent(norm(d), norm(name)) {
							continue
						}
						if v, ok := because(vd, n); ok {
							rep.Report(r, v, "ValidationDomain %q is neither %q nor a parent domain of it", d, name)
						}
					}
				}
			}
		}
	},
}

// isParent reports whether d is name (without a wildcard label) or one of
// its parent domains.
func isParent(d, name string) bool {
	name = strings.TrimPrefix(name, "*.")
	return d == name || strings.HasSuffix(name, "."+d)
}

// DNSWithoutHostedZone reports DNS-validated names whose validation record
// CloudFormation cannot create.
var DNSWithoutHostedZone = &scan.Rule{
	ID:        "ACM-004",
	Title:     "ACM DNS validation has no HostedZoneId, so the record must be added by hand",
	Severity:  scan.Warning,
	Resources: []string{typeCertificate},
	Doc: `CloudFormation creates the DNS validation record itself only for names
that have a DomainValidationOptions entry with a HostedZoneId (the Route 53
zone of the name). For any other name the stack waits in
CREATE_IN_PROGRESS until someone copies the CNAME from the console into
DNS: a manual step in a pipeline that should need none, and a deploy that
times out at night. A wildcard and its base name (*.example.com and
example.com) share one record, so one entry serves both. Certificates from
a private CA are not reported.

Bad:

~~~yaml
Certificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: api.example.com
    SubjectAlternativeNames: [www.example.com]
    ValidationMethod: DNS
    DomainValidationOptions:
      - DomainName: api.example.com
        HostedZoneId: !Ref Zone
~~~

Good:

~~~yaml
Certificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: api.example.com
    SubjectAlternativeNames: [www.example.com]
    ValidationMethod: DNS
    DomainValidationOptions:
      - DomainName: api.example.com
        HostedZoneId: !Ref Zone
      - DomainName: www.example.com
        HostedZoneId: !Ref Zone
~~~
`,
	Fix: "Add a DomainValidationOptions entry with DomainName and HostedZoneId for every name on the certificate.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			if isPrivate(p.Eval, r) {
				continue
			}
			methods := methodIs(p.Eval, r, "DNS")
			if len(methods) == 0 {
				continue
			}
			var withZone, all []prop.Val
			for _, o := range options(p.Eval, r) {
				one := []prop.Val{o}
				all = append(all, prop.Field(p.Eval, one, "DomainName")...)
				for _, z := range prop.Field(p.Eval, one, "HostedZoneId") {
					if !z.Absent {
						withZone = append(withZone, prop.Field(p.Eval, one, "DomainName")...)
						continue
					}
					if v, ok := because(z, methods[0]); ok {
						rep.Report(r, v, "DNS validation record must be added by hand: HostedZoneId is not set")
					}
				}
			}
			for _, n := range names(p.Eval, r) {
				if covered(n, withZone, true) || covered(n, all, true) {
					// An entry without a HostedZoneId is reported above.
					continue
				}
				for _, m := range methods {
					if v, ok := because(n, m); ok {
						rep.Report(r, v, "DNS validation record for %s must be added by hand: no DomainValidationOptions entry with a HostedZoneId names it", label(n))
						break
					}
				}
			}
		}
	},
}
