package opensearch

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// HTTPSNotEnforced reports domains that accept plain HTTP requests.
var HTTPSNotEnforced = &scan.Rule{
	ID:        "OPENSEARCH-004",
	Title:     "OpenSearch domain does not require HTTPS",
	Severity:  scan.Warning,
	Resources: domainTypes,
	Doc: `Unless DomainEndpointOptions.EnforceHTTPS is true a domain answers
plain HTTP: queries, documents and, with fine-grained access control, the
users' basic-auth passwords cross the network unencrypted. AWS checks it
with the AWS Config rule opensearch-https-required.

Bad:

~~~yaml
Search:
  Type: AWS::OpenSearchService::Domain
  Properties:
    EngineVersion: OpenSearch_2.11
~~~

Good:

~~~yaml
Search:
  Type: AWS::OpenSearchService::Domain
  Properties:
    EngineVersion: OpenSearch_2.11
    DomainEndpointOptions:
      EnforceHTTPS: true
      TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10
~~~
`,
	Fix:   "Set DomainEndpointOptions.EnforceHTTPS: true.",
	Check: check.MustBeTrue("domain accepts plain HTTP", "DomainEndpointOptions", "EnforceHTTPS"),
}
