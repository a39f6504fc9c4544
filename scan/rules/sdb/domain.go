// Package sdb holds the rules for Amazon SimpleDB.
package sdb

import (
	"github.com/safetynet-dev/safetynet/scan"
)

// Domain reports every SimpleDB domain.
var Domain = &scan.Rule{
	ID:        "SDB-001",
	Aliases:   []string{"F77"},
	Title:     "SimpleDB domain is declared",
	Severity:  scan.Failure,
	Resources: []string{"AWS::SDB::Domain"},
	Doc: `Amazon SimpleDB is a legacy service closed to new customers: it has
no encryption at rest, no resource-based policies, no VPC endpoints and no
point-in-time recovery, and its access control stops at the domain. Keep
new data in DynamoDB, which offers all of these.

Bad:

~~~yaml
Sessions:
  Type: AWS::SDB::Domain
  Properties:
    Description: user sessions
~~~

Good:

~~~yaml
Sessions:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    AttributeDefinitions:
      - {AttributeName: id, AttributeType: S}
    KeySchema:
      - {AttributeName: id, KeyType: HASH}
    SSESpecification:
      SSEEnabled: true
~~~
`,
	Fix: "Move the data to a DynamoDB table.",
	Check: func(p *scan.Pass) {
		for _, r := range p.Resources() {
			p.Reportf(r, r.Node.Get("Type"), "Type", "SimpleDB domain %s: SimpleDB has no encryption at rest and is closed to new customers", r.ID)
		}
	},
}
