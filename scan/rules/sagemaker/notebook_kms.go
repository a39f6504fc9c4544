package sagemaker

import "github.com/safetynet-dev/safetynet/scan"

// NotebookNoKMSKey reports notebook instances without a KMS key for their
// storage volume.
var NotebookNoKMSKey = &scan.Rule{
	ID:        "SAGEMAKER-002",
	Aliases:   []string{"W1201"},
	Title:     "SageMaker notebook instance does not set KmsKeyId",
	Severity:  scan.Warning,
	Resources: []string{notebookType},
	Doc: `A notebook instance's storage volume holds the notebooks, the data
scientists' copies of training data and often credentials they pasted in.
KmsKeyId encrypts it with a key you control and audit. Unlike cfn_nag, a
key set only in one branch of an Fn::If is reported for the other branch.

Bad:

~~~yaml
Notebook:
  Type: AWS::SageMaker::NotebookInstance
  Properties:
    InstanceType: ml.t3.medium
    RoleArn: !GetAtt NotebookRole.Arn
~~~

Good:

~~~yaml
Notebook:
  Type: AWS::SageMaker::NotebookInstance
  Properties:
    InstanceType: ml.t3.medium
    RoleArn: !GetAtt NotebookRole.Arn
    KmsKeyId: !Ref NotebookKey
~~~
`,
	Fix:   "Set KmsKeyId to a customer managed KMS key.",
	Check: missing("SageMaker notebook storage is not encrypted with your KMS key", "KmsKeyId"),
}
