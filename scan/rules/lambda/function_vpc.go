package lambda

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// functionTypes are the function resources, plain and AWS SAM.
var functionTypes = []string{"AWS::Lambda::Function", "AWS::Serverless::Function"}

// mustBeSet returns a check reporting functions where the property key is
// not set, neither on the function nor, for AWS SAM, in Globals.
func mustBeSet(what, key string) func(*scan.Pass) {
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.ServerlessGet(p.Eval, p.Template, r, key) {
				if v.Absent {
					rep.Report(r, v.Val, "%s: %s is not set", what, key)
				}
			}
		}
	}
}

// FunctionNotInVPC reports functions without VpcConfig.
var FunctionNotInVPC = &scan.Rule{
	ID:        "LAMBDA-009",
	Aliases:   []string{"W89"},
	Title:     "Lambda function is not deployed in a VPC",
	Severity:  scan.Warning,
	Resources: functionTypes,
	Doc: `Without VpcConfig a function reaches the internet and AWS APIs
directly: no security group or network ACL limits where its traffic goes,
and VPC flow logs do not see it. Functions that handle sensitive data or
reach private databases belong in private subnets. This is a warning
because many functions need nothing from a VPC. For AWS SAM functions a
VpcConfig in Globals.Function counts; Ref AWS::NoValue counts as not set.

Bad:

~~~yaml
Worker:
  Type: AWS::Lambda::Function
  Properties:
    Runtime: python3.12
    Handler: app.handler
    Role: !GetAtt WorkerRole.Arn
    Code: {S3Bucket: artifacts, S3Key: worker.zip}
~~~

Good:

~~~yaml
Worker:
  Type: AWS::Lambda::Function
  Properties:
    Runtime: python3.12
    Handler: app.handler
    Role: !GetAtt WorkerRole.Arn
    Code: {S3Bucket: artifacts, S3Key: worker.zip}
    VpcConfig:
      SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
      SecurityGroupIds: [!Ref WorkerSecurityGroup]
~~~
`,
	Fix:   "Add VpcConfig with private subnets and a security group.",
	Check: mustBeSet("Lambda function is not in a VPC", "VpcConfig"),
}

// FunctionReservedConcurrency reports functions without a concurrency
// limit.
var FunctionReservedConcurrency = &scan.Rule{
	ID:        "LAMBDA-010",
	Aliases:   []string{"W92"},
	Title:     "Lambda function does not set ReservedConcurrentExecutions",
	Severity:  scan.Warning,
	Resources: functionTypes,
	Doc: `Functions of an account share one concurrency pool. Without
ReservedConcurrentExecutions one function under a flood of events (or an
attack) can take the whole pool and throttle every other function, and
nothing caps what it costs or how hard it hits a database behind it.
Reserving concurrency both guarantees and limits it. For AWS SAM functions
a value in Globals.Function counts.

Bad:

~~~yaml
Worker:
  Type: AWS::Serverless::Function
  Properties:
    Runtime: python3.12
    Handler: app.handler
    CodeUri: src/
~~~

Good:

~~~yaml
Worker:
  Type: AWS::Serverless::Function
  Properties:
    Runtime: python3.12
    Handler: app.handler
    CodeUri: src/
    ReservedConcurrentExecutions: 20
~~~
`,
	Fix:   "Set ReservedConcurrentExecutions to the concurrency the function needs.",
	Check: mustBeSet("Lambda function has no reserved concurrency", "ReservedConcurrentExecutions"),
}
