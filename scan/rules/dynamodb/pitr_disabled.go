package dynamodb

import "github.com/safetynet-dev/safetynet/scan"

// PITRDisabled reports tables without continuous backups.
var PITRDisabled = &scan.Rule{
	ID:        "DYNAMODB-003",
	Aliases:   []string{"W78"},
	Title:     "DynamoDB table has no point-in-time recovery",
	Severity:  scan.Warning,
	Resources: []string{"AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"},
	Doc: `Point-in-time recovery keeps continuous backups for up to 35 days, so
a table overwritten or emptied by a bad deploy or script can be restored to
the second before. Without it only on-demand backups someone remembered to
take remain. On a global table the setting is per replica
(Replicas[].PointInTimeRecoverySpecification), and each replica is checked.

Bad:

~~~yaml
Table:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
    KeySchema: [{AttributeName: id, KeyType: HASH}]
~~~

Good:

~~~yaml
Table:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
    KeySchema: [{AttributeName: id, KeyType: HASH}]
    PointInTimeRecoverySpecification:
      PointInTimeRecoveryEnabled: true
~~~
`,
	Fix:   "Set PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: true.",
	Check: tableOrReplicas("DynamoDB table has no point-in-time recovery", "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"),
}
