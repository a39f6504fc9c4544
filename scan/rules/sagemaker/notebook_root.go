package sagemaker

import "github.com/safetynet-dev/safetynet/scan"

// NotebookRootAccess reports notebook instances whose users are root.
var NotebookRootAccess = &scan.Rule{
	ID:        "SAGEMAKER-004",
	Title:     "SageMaker notebook instance gives its users root access",
	Severity:  scan.Warning,
	Resources: []string{notebookType},
	Doc: `RootAccess defaults to Enabled: every user of the notebook can
become root, change its software and lifecycle configuration behaviour,
and read anything on the instance, including other users' files. AWS
recommends disabling root access (Security Hub control SageMaker.3);
lifecycle configurations still run as root.

Bad:

~~~yaml
Notebook:
  Type: AWS::SageMaker::NotebookInstance
  Properties:
    InstanceType: ml.t3.medium
    RoleArn: !GetAtt NotebookRole.Arn
    RootAccess: Enabled
~~~

Good:

~~~yaml
Notebook:
  Type: AWS::SageMaker::NotebookInstance
  Properties:
    InstanceType: ml.t3.medium
    RoleArn: !GetAtt NotebookRole.Arn
    RootAccess: Disabled
~~~
`,
	Fix:   "Set RootAccess: Disabled; install software through a lifecycle configuration.",
	Check: notDisabled("SageMaker notebook users have root access", "RootAccess"),
}
