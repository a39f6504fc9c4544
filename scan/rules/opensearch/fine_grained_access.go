package opensearch

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// NoFineGrainedAccessControl reports domains without fine-grained access
// control.
var NoFineGrainedAccessControl = &scan.Rule{
	ID:        "OPENSEARCH-006",
	Title:     "OpenSearch domain does not use fine-grained access control",
	Severity:  scan.Warning,
	Resources: domainTypes,
	Doc: `Without fine-grained access control (AdvancedSecurityOptions.Enabled)
a domain has one gate, its resource-based access policy, and whoever passes
it may read and write every index. Fine-grained access control adds users
and roles down to index, document and field level, and is what AWS
recommends for any domain holding more than one team's or tenant's data
(Security Hub control Opensearch.7). It needs encryption at rest,
node-to-node encryption and HTTPS.

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
    AdvancedSecurityOptions:
      Enabled: true
      InternalUserDatabaseEnabled: false
      MasterUserOptions:
        MasterUserARN: !GetAtt SearchAdminRole.Arn
~~~
`,
	Fix:   "Set AdvancedSecurityOptions.Enabled: true with a master user (preferably an IAM role).",
	Check: check.MustBeTrue("domain does not use fine-grained access control", "AdvancedSecurityOptions", "Enabled"),
}
