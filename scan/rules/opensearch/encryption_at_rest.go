package opensearch

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// NotEncryptedAtRest reports domains whose data may be unencrypted at rest.
var NotEncryptedAtRest = &scan.Rule{
	ID:        "OPENSEARCH-001",
	Aliases:   []string{"W54"},
	Title:     "OpenSearch domain is not encrypted at rest",
	Severity:  scan.Warning,
	Resources: domainTypes,
	Doc: `Without EncryptionAtRestOptions.Enabled a domain keeps its indices,
logs, swap files and automated snapshots unencrypted on disk. Encryption at
rest cannot be switched on for an existing domain without a blue/green
migration on older engine versions, and it is a prerequisite for
fine-grained access control. cfn_nag checks AWS::Elasticsearch::Domain
only; AWS::OpenSearchService::Domain, its successor, is checked too, and
"true" written as a string counts as true.

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
    EncryptionAtRestOptions:
      Enabled: true
      KmsKeyId: !Ref SearchKey
~~~
`,
	Fix:   "Set EncryptionAtRestOptions.Enabled: true (with KmsKeyId for your own key).",
	Check: check.MustBeTrue("domain is not encrypted at rest", "EncryptionAtRestOptions", "Enabled"),
}
