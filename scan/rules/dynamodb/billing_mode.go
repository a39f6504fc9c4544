package dynamodb

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// BillingModeNotSet reports tables whose billing mode is left implicit.
var BillingModeNotSet = &scan.Rule{
	ID:        "DYNAMODB-001",
	Aliases:   []string{"W73"},
	Title:     "DynamoDB table billing mode is not explicit",
	Severity:  scan.Warning,
	Resources: []string{"AWS::DynamoDB::Table"},
	Doc: `A table without BillingMode is PROVISIONED, with whatever
ProvisionedThroughput the template gives it: a table meant to scale on
demand then throttles under load, and one meant to be provisioned may be
given no capacity plan at all. Saying PAY_PER_REQUEST or PROVISIONED makes
the cost and throttling behaviour a visible decision. A value other than
those two is reported too.

Bad:

~~~yaml
Table:
  Type: AWS::DynamoDB::Table
  Properties:
    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
    KeySchema: [{AttributeName: id, KeyType: HASH}]
    ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}
~~~

Good:

~~~yaml
Table:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
    KeySchema: [{AttributeName: id, KeyType: HASH}]
~~~
`,
	Fix: "Set BillingMode: PAY_PER_REQUEST or PROVISIONED.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "BillingMode") {
				s, ok := v.Str()
				if v.Absent || (ok && s != "PAY_PER_REQUEST" && s != "PROVISIONED") {
					rep.Report(r, v, "DynamoDB billing mode is not explicit: %s", v.State("BillingMode"))
				}
			}
		}
	},
}
