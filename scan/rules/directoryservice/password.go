package directoryservice

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// PasswordInTemplate reports directory administrator passwords that end up
// in the template or the console.
var PasswordInTemplate = &scan.Rule{
	ID:        "DS-001",
	Aliases:   []string{"F31", "F36"},
	Title:     "Directory password is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::DirectoryService::MicrosoftAD", "AWS::DirectoryService::SimpleAD"},
	Doc: `The Password of a Simple AD or AWS Managed Microsoft AD directory is
the password of its administrator account. Written as a literal, or taken
from a parameter with a Default, it sits in plain text in the template and
in every copy of it (source control, S3, the CloudFormation console); a
parameter without NoEcho shows it in the console and in DescribeStacks.
Use a dynamic reference to Secrets Manager or an SSM SecureString, or a
NoEcho parameter without Default. A {{resolve:ssm:...}} reference is not
enough: a plain SSM String parameter is not encrypted. Unlike cfn_nag,
values supplied in a parameter file and both branches of Fn::If are checked.

Bad:

~~~yaml
Resources:
  Directory:
    Type: AWS::DirectoryService::MicrosoftAD
    Properties:
      Name: corp.example.com
      Password: Sup3rS3cret!
      VpcSettings: {VpcId: !Ref Vpc, SubnetIds: [!Ref A, !Ref B]}
~~~

Good:

~~~yaml
Resources:
  Directory:
    Type: AWS::DirectoryService::MicrosoftAD
    Properties:
      Name: corp.example.com
      Password: "{{resolve:secretsmanager:corp-ad-admin:SecretString:password}}"
      VpcSettings: {VpcId: !Ref Vpc, SubnetIds: [!Ref A, !Ref B]}
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} or {{resolve:ssm-secure:...}} dynamic reference, or a NoEcho parameter without Default.",
	Check: check.CFNSecret([]string{check.SecretsManager, check.SSMSecure}, "Password"),
}
