package sagemaker

import "github.com/safetynet-dev/safetynet/scan"

// NotebookDirectInternetAccess reports notebook instances with direct
// internet access.
var NotebookDirectInternetAccess = &scan.Rule{
	ID:        "SAGEMAKER-003",
	Title:     "SageMaker notebook instance has direct internet access",
	Severity:  scan.Warning,
	Resources: []string{notebookType},
	Doc: `DirectInternetAccess defaults to Enabled: the notebook gets a
network interface with internet access that bypasses your VPC, its
security groups, NAT and proxies, so code run in the notebook can send
data anywhere and download anything. AWS recommends disabling it and
placing the instance in a VPC subnet (Security Hub controls SageMaker.1
and SageMaker.2); Disabled requires a SubnetId.

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
    DirectInternetAccess: Disabled
    SubnetId: !Ref PrivateSubnet
    SecurityGroupIds: [!Ref NotebookSecurityGroup]
~~~
`,
	Fix:   "Set DirectInternetAccess: Disabled with a SubnetId in a private subnet.",
	Check: notDisabled("SageMaker notebook has direct internet access", "DirectInternetAccess"),
}
