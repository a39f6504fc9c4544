package dynamodb

import "github.com/safetynet-dev/safetynet/scan"

// DeletionProtection reports tables that a stack change or one API call
// can delete.
var DeletionProtection = &scan.Rule{
	ID:        "DYNAMODB-004",
	Title:     "DynamoDB table has no deletion protection",
	Severity:  scan.Warning,
	Resources: []string{"AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"},
	Doc: `Without DeletionProtectionEnabled: true, deleting the stack, a change
that replaces the table (a new key schema, a renamed TableName) or one
DeleteTable call destroys the table and its point-in-time backups (AWS
Security Hub DynamoDB.6). On a global table the setting is per replica.

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
  DeletionPolicy: Retain
  Properties:
    BillingMode: PAY_PER_REQUEST
    DeletionProtectionEnabled: true
    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
    KeySchema: [{AttributeName: id, KeyType: HASH}]
~~~
`,
	Fix:   "Set DeletionProtectionEnabled: true (and DeletionPolicy: Retain).",
	Check: tableOrReplicas("DynamoDB table has no deletion protection", "DeletionProtectionEnabled"),
}
