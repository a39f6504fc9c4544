package dynamodb

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// SSEDisabled reports tables encrypted only with the AWS-owned key.
var SSEDisabled = &scan.Rule{
	ID:        "DYNAMODB-002",
	Aliases:   []string{"W74"},
	Title:     "DynamoDB table is not encrypted with a KMS key",
	Severity:  scan.Warning,
	Resources: []string{"AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"},
	Doc: `Without SSESpecification.SSEEnabled: true, a table is encrypted with
a key that DynamoDB owns: no key policy restricts who can read the data,
CloudTrail records no use of the key, and the key cannot be disabled to
cut off access. With SSEEnabled, the table uses a KMS key, the account's
aws/dynamodb key or, with KMSMasterKeyId, a customer-managed key whose
policy you control (the better choice for sensitive data).

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
    SSESpecification:
      SSEEnabled: true
      SSEType: KMS
      KMSMasterKeyId: !Ref TableKey
~~~
`,
	Fix:   "Set SSESpecification.SSEEnabled: true with KMSMasterKeyId naming a customer-managed key.",
	Check: check.MustBeTrue("DynamoDB table is not encrypted with a KMS key", "SSESpecification", "SSEEnabled"),
}
