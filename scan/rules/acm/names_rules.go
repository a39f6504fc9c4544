package acm

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// DuplicateNames reports names listed twice on one certificate, or
// covered by a wildcard on it.
var DuplicateNames = &scan.Rule{
	ID:        "ACM-005",
	Title:     "ACM certificate lists a name twice or a name its wildcard already covers",
	Severity:  scan.Warning,
	Resources: []string{typeCertificate},
	Doc: `Each name counts against the certificate's quota of names (10 by
default) and, with e-mail validation, is one more approval to chase. A name
listed twice (DomainName repeated in SubjectAlternativeNames, or the same
SAN twice, compared without case or final dot) adds nothing; nor does
a.example.com next to *.example.com, which covers it. A wildcard covers one
label only: *.example.com covers a.example.com but neither
a.b.example.com nor example.com, which are not reported.

Bad:

~~~yaml
Certificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: example.com
    SubjectAlternativeNames: [example.com, "*.example.com", www.example.com]
    ValidationMethod: DNS
~~~

Good:

~~~yaml
Certificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: example.com
    SubjectAlternativeNames: ["*.example.com"]
    ValidationMethod: DNS
~~~
`,
	Fix: "Remove the repeated or covered name.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			all := names(p.Eval, r)
			for i, n := range all {
				s, ok := n.Str()
				if !ok {
					continue
				}
				for j, o := range all {
					t, ok := o.Str()
					if !ok || i == j || !prop.Compatible(n.Conds, o.Conds) {
						continue
					}
					if j < i && norm(s) == norm(t) && n.Path != o.Path {
						rep.Report(r, n, "%q is already on the certificate (at %s)", s, o.Path)
						break
					}
					if covers(norm(t), norm(s)) {
						rep.Report(r, n, "%q is already covered by %q", s, t)
						break
					}
				}
			}
		}
	},
}

// MaxNames is the default quota of names (DomainName and SANs) per ACM
// certificate.
const MaxNames = 10

// TooManyNames reports certificates with more names than the default
// quota.
var TooManyNames = &scan.Rule{
	ID:        "ACM-006",
	Title:     "ACM certificate has more names than the default quota of 10",
	Severity:  scan.Warning,
	Resources: []string{typeCertificate},
	Doc: `By default an ACM certificate may carry 10 names: the DomainName and
its SubjectAlternativeNames together. A request with more fails, and the
stack rolls back, unless the account's quota has been raised in Service
Quotas. Use a wildcard for names under one domain, split the certificate,
or raise the quota before deploying (then suppress this finding with the
reason).

Bad:

~~~yaml
Certificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: example.com
    SubjectAlternativeNames: [a.example.com, b.example.com, c.example.com, d.example.com,
      e.example.com, f.example.com, g.example.com, h.example.com, i.example.com, j.example.com]
    ValidationMethod: DNS
~~~

Good:

~~~yaml
Certificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: example.com
    SubjectAlternativeNames: ["*.example.com"]
    ValidationMethod: DNS
~~~
`,
	Fix: "Use a wildcard name, split the certificate, or raise the ACM quota for names per certificate.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			domains := prop.Get(p.Eval, r, "DomainName")
			for _, list := range prop.Get(p.Eval, r, "SubjectAlternativeNames") {
				seen := map[string]bool{}
				for _, d := range domains {
					if s, ok := d.Str(); ok && prop.Compatible(d.Conds, list.Conds) {
						seen[norm(s)] = true
					}
				}
				count := len(seen)
				if count == 0 {
					count = 1
				}
				for _, it := range prop.Items(p.Eval, []prop.Val{list}) {
					if s, ok := it.Str(); ok {
						if seen[norm(s)] {
							continue
						}
						seen[norm(s)] = true
					}
					count++
				}
				if count > MaxNames {
					rep.Report(r, list, "certificate %s has %d names, more than the default quota of %d", r.ID, count, MaxNames)
				}
			}
		}
	},
}

// SeveralCertificates reports certificates for names under a registered
// domain that another certificate of the template already covers names of.
var SeveralCertificates = &scan.Rule{
	ID:        "ACM-007",
	Title:     "Several ACM certificates for names under the same domain",
	Severity:  scan.Info,
	Resources: []string{typeCertificate},
	Doc: `ACM limits how many certificates an account may request per year, and
every certificate is one more validation and renewal to watch. Two
certificates of one template for names under the same registered domain
(api.example.com and www.example.com) can usually be one certificate with
SubjectAlternativeNames, or one wildcard. Certificates that cannot deploy
together (different resource Conditions), that use different key
algorithms, or that come from a private CA are not compared. The registered
domain is the last two labels, or three under common second-level labels
such as co.uk.

Bad:

~~~yaml
ApiCertificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: api.example.com
    ValidationMethod: DNS
WebCertificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: www.example.com
    ValidationMethod: DNS
~~~

Good:

~~~yaml
Certificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: api.example.com
    SubjectAlternativeNames: [www.example.com]
    ValidationMethod: DNS
~~~
`,
	Fix: "Request one certificate with SubjectAlternativeNames (or a wildcard) for the names under this domain.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		// First certificate seen per registered domain, key algorithm and
		// resource Condition ("*" for any condition), so that each
		// certificate is compared with at most two earlier ones.
		firsts := map[string]*cfn.Resource{}
		for _, r := range p.Resources() {
			if isPrivate(p.Eval, r) {
				continue
			}
			key := keyAlgorithm(p.Eval, r)
			reported := false
			for _, n := range names(p.Eval, r) {
				s, ok := n.Str()
				if !ok {
					continue
				}
				reg := registered(s)
				base := reg + "\x00" + key + "\x00"
				var f *cfn.Resource
				if r.Condition == "" {
					f = firsts[base+"*"]
				} else if f = firsts[base+r.Condition]; f == nil {
					f = firsts[base]
				}
				if f != nil && f != r && !reported {
					rep.Report(r, n, "certificate %s is for %q, under %s like certificate %s: one certificate with SubjectAlternativeNames would do", r.ID, s, reg, f.ID)
					reported = true
				}
				for _, k := range []string{base + "*", base + r.Condition} {
					if firsts[k] == nil {
						firsts[k] = r
					}
				}
			}
		}
	},
}

// keyAlgorithm returns the certificate's key algorithm (RSA_2048 by
// default), or "?" when it is not known.
func keyAlgorithm(e *cfn.Evaluator, r *cfn.Resource) string {
	for _, v := range prop.Get(e, r, "KeyAlgorithm") {
		if v.Absent {
			return "RSA_2048"
		}
		if s, ok := v.Str(); ok {
			return strings.ToUpper(s)
		}
	}
	return "?"
}
