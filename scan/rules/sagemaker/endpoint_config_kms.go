package sagemaker

import "github.com/safetynet-dev/safetynet/scan"

// EndpointConfigNoKMSKey reports endpoint configurations without a KMS key
// for their storage volumes.
var EndpointConfigNoKMSKey = &scan.Rule{
	ID:        "SAGEMAKER-001",
	Aliases:   []string{"W1200"},
	Title:     "SageMaker endpoint configuration does not set KmsKeyId",
	Severity:  scan.Warning,
	Resources: []string{"AWS::SageMaker::EndpointConfig"},
	Doc: `KmsKeyId is the key SageMaker uses to encrypt the storage volumes
attached to the instances that host the endpoint, where the model and its
data sit. Without it they are encrypted with a key you do not control
and cannot audit. (Instance types with local NVMe storage only do not
accept a KmsKeyId; suppress the finding for those with that reason.)

Bad:

~~~yaml
EndpointConfig:
  Type: AWS::SageMaker::EndpointConfig
  Properties:
    ProductionVariants:
      - ModelName: !GetAtt Model.ModelName
        VariantName: main
        InitialInstanceCount: 1
        InstanceType: ml.m5.large
~~~

Good:

~~~yaml
EndpointConfig:
  Type: AWS::SageMaker::EndpointConfig
  Properties:
    KmsKeyId: !Ref ModelKey
    ProductionVariants:
      - ModelName: !GetAtt Model.ModelName
        VariantName: main
        InitialInstanceCount: 1
        InstanceType: ml.m5.large
~~~
`,
	Fix:   "Set KmsKeyId to a customer managed KMS key.",
	Check: missing("SageMaker endpoint storage is not encrypted with your KMS key", "KmsKeyId"),
}
