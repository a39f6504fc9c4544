package cloudformation

import (
	"fmt"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// nameProperty is the property that sets the physical name of each type
// ExplicitName looks at.
var nameProperty = map[string]string{
	"AWS::ApiGateway::ApiKey":                   "Name",
	"AWS::CloudWatch::Alarm":                    "AlarmName",
	"AWS::CodeDeploy::DeploymentConfig":         "DeploymentConfigName",
	"AWS::CodeDeploy::DeploymentGroup":          "DeploymentGroupName",
	"AWS::DynamoDB::Table":                      "TableName",
	"AWS::EC2::SecurityGroup":                   "GroupName",
	"AWS::ECR::Repository":                      "RepositoryName",
	"AWS::ElasticLoadBalancingV2::LoadBalancer": "Name",
	"AWS::Elasticsearch::Domain":                "DomainName",
	"AWS::IAM::Group":                           "GroupName",
	"AWS::IAM::ManagedPolicy":                   "ManagedPolicyName",
	"AWS::IAM::Role":                            "RoleName",
	"AWS::Kinesis::Stream":                      "Name",
	"AWS::RDS::DBInstance":                      "DBInstanceIdentifier",
}

// ExplicitName reports resources given a fixed physical name.
var ExplicitName = &scan.Rule{
	ID:       "CFN-003",
	Aliases:  []string{"W28"},
	Title:    "Resource has an explicit name, which blocks replacement updates",
	Severity: scan.Warning,
	Resources: []string{
		"AWS::ApiGateway::ApiKey",
		"AWS::CloudWatch::Alarm",
		"AWS::CodeDeploy::DeploymentConfig",
		"AWS::CodeDeploy::DeploymentGroup",
		"AWS::DynamoDB::Table",
		"AWS::EC2::SecurityGroup",
		"AWS::ECR::Repository",
		"AWS::ElasticLoadBalancingV2::LoadBalancer",
		"AWS::Elasticsearch::Domain",
		"AWS::IAM::Group",
		"AWS::IAM::ManagedPolicy",
		"AWS::IAM::Role",
		"AWS::Kinesis::Stream",
		"AWS::RDS::DBInstance",
	},
	Doc: `When an update changes a property that requires replacement (a table's
key schema, a security group's VPC, a database's engine), CloudFormation
creates the new resource before deleting the old one. A resource with a
fixed physical name cannot exist twice, so the update fails with "cannot
update a stack when a custom-named resource requires replacing" and the
stack has to be fixed by hand. Fixed names also collide when the template
is deployed twice in one account and region (blue/green copies, one stack
per developer), and for global types such as IAM roles, across regions.
Leave the name out and let CloudFormation generate a unique one; pass the
generated name to whoever needs it with Ref or an output. As in cfn_nag,
the rule reports RoleName, GroupName, ManagedPolicyName, TableName,
DBInstanceIdentifier, RepositoryName, DomainName, AlarmName,
DeploymentConfigName, DeploymentGroupName or Name on the fourteen types
cfn_nag lists, also when the name is built from AWS::StackName (it still
cannot be replaced); a name that is Ref AWS::NoValue on some Fn::If branch
is reported only on the branches that set it.

Bad:

~~~yaml
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      BillingMode: PAY_PER_REQUEST
~~~

Good:

~~~yaml
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      BillingMode: PAY_PER_REQUEST
Outputs:
  TableName:
    Value: !Ref Table
~~~
`,
	Fix:   "Remove the name property and let CloudFormation generate the name; refer to the resource with Ref.",
	Check: checkExplicitName,
}

func checkExplicitName(p *scan.Pass) {
	rep := prop.NewReporter(p)
	for _, r := range p.Resources() {
		key := nameProperty[r.Type]
		for _, v := range prop.Get(p.Eval, r, key) {
			if v.Absent {
				continue
			}
			name := ""
			if s, ok := v.Str(); ok {
				name = fmt.Sprintf(" %q", s)
			}
			rep.Report(r, v, "%s%s gives the resource a fixed name: an update that replaces it fails", key, name)
		}
	}
}
