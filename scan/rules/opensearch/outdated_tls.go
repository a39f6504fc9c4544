package opensearch

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// oldTLSPolicy is the TLSSecurityPolicy a domain gets when none is given.
const oldTLSPolicy = "Policy-Min-TLS-1-0-2019-07"

// OutdatedTLSPolicy reports domains that accept TLS 1.0 and 1.1, or leave
// the TLS policy to the service default.
var OutdatedTLSPolicy = &scan.Rule{
	ID:        "OPENSEARCH-005",
	Title:     "OpenSearch domain accepts TLS 1.0 and 1.1",
	Severity:  scan.Warning,
	Resources: domainTypes,
	Doc: `The TLSSecurityPolicy ` + oldTLSPolicy + ` (for years the default
when none is given) accepts TLS 1.0 and 1.1, protocol versions with known
weaknesses that AWS (Security Hub control Opensearch.8) and PCI DSS ask to
retire. Set Policy-Min-TLS-1-2-2019-07 or, better,
Policy-Min-TLS-1-2-PFS-2023-10 (forward secrecy). A missing
DomainEndpointOptions or TLSSecurityPolicy is reported too: it leaves the
minimum TLS version to a default the template does not pin.

Bad:

~~~yaml
Search:
  Type: AWS::OpenSearchService::Domain
  Properties:
    DomainEndpointOptions:
      EnforceHTTPS: true
~~~

Good:

~~~yaml
Search:
  Type: AWS::OpenSearchService::Domain
  Properties:
    DomainEndpointOptions:
      EnforceHTTPS: true
      TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10
~~~
`,
	Fix: "Set DomainEndpointOptions.TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10 (or Policy-Min-TLS-1-2-2019-07).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "DomainEndpointOptions", "TLSSecurityPolicy") {
				if s, ok := v.Str(); v.Absent || (ok && s == oldTLSPolicy) {
					rep.Report(r, v, "domain accepts TLS 1.0 and 1.1: %s", v.State("TLSSecurityPolicy"))
				}
			}
		}
	},
}
