package opensearch

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// NoNodeToNodeEncryption reports domains whose nodes talk in plain text.
var NoNodeToNodeEncryption = &scan.Rule{
	ID:        "OPENSEARCH-002",
	Aliases:   []string{"W85"},
	Title:     "OpenSearch domain does not encrypt node-to-node traffic",
	Severity:  scan.Warning,
	Resources: domainTypes,
	Doc: `Without NodeToNodeEncryptionOptions.Enabled the nodes of a domain
exchange documents, queries and results unencrypted inside the VPC or the
service network. Node-to-node encryption adds TLS between them; it is
required for fine-grained access control. Both AWS::Elasticsearch::Domain
(cfn_nag's only type) and AWS::OpenSearchService::Domain are checked.

Bad:

~~~yaml
Search:
  Type: AWS::OpenSearchService::Domain
  Properties:
    NodeToNodeEncryptionOptions:
      Enabled: false
~~~

Good:

~~~yaml
Search:
  Type: AWS::OpenSearchService::Domain
  Properties:
    NodeToNodeEncryptionOptions:
      Enabled: true
~~~
`,
	Fix:   "Set NodeToNodeEncryptionOptions.Enabled: true.",
	Check: check.MustBeTrue("domain does not encrypt node-to-node traffic", "NodeToNodeEncryptionOptions", "Enabled"),
}
