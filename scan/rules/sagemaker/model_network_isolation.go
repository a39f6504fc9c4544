package sagemaker

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// ModelNoNetworkIsolation reports models whose containers may reach the
// network.
var ModelNoNetworkIsolation = &scan.Rule{
	ID:        "SAGEMAKER-005",
	Title:     "SageMaker model does not enable network isolation",
	Severity:  scan.Warning,
	Resources: []string{"AWS::SageMaker::Model"},
	Doc: `Without EnableNetworkIsolation the inference containers of a model
can make outbound network calls, so a compromised or malicious container
image (a third-party model, a poisoned dependency) can send the requests
it serves, and the data it was given, anywhere. With network isolation
SageMaker still fetches the model artifacts for the container, but the
container itself has no network access. AWS checks it with the AWS Config
rule sagemaker-model-isolation-enabled.

Bad:

~~~yaml
Model:
  Type: AWS::SageMaker::Model
  Properties:
    ExecutionRoleArn: !GetAtt ModelRole.Arn
    PrimaryContainer:
      Image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/model:1
~~~

Good:

~~~yaml
Model:
  Type: AWS::SageMaker::Model
  Properties:
    ExecutionRoleArn: !GetAtt ModelRole.Arn
    EnableNetworkIsolation: true
    PrimaryContainer:
      Image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/model:1
~~~
`,
	Fix:   "Set EnableNetworkIsolation: true.",
	Check: check.MustBeTrue("SageMaker model containers can reach the network", "EnableNetworkIsolation"),
}
