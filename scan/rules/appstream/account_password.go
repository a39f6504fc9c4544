package appstream

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// AccountPasswordInTemplate reports directory service account passwords
// that end up in the template or the console.
var AccountPasswordInTemplate = &scan.Rule{
	ID:        "APPSTREAM-001",
	Aliases:   []string{"F53"},
	Title:     "AppStream directory service account password is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::AppStream::DirectoryConfig"},
	Doc: `An AppStream 2.0 directory configuration holds the credentials of the
Active Directory account that joins streaming instances to the domain; that
account can create computer objects in the directory. Written as a literal,
or taken from a parameter with a Default, its AccountPassword sits in plain
text in the template and in every copy of it; a parameter without NoEcho
shows it in the console and in DescribeStacks. Use a Secrets Manager
dynamic reference (CloudFormation does not resolve ssm-secure references
here) or a NoEcho parameter without Default. Unlike cfn_nag, values
supplied in a parameter file and both branches of Fn::If are checked.

Bad:

~~~yaml
Resources:
  Directory:
    Type: AWS::AppStream::DirectoryConfig
    Properties:
      DirectoryName: corp.example.com
      OrganizationalUnitDistinguishedNames: ["OU=AppStream,DC=corp,DC=example,DC=com"]
      ServiceAccountCredentials:
        AccountName: CORP\appstream
        AccountPassword: Sup3rS3cret!
~~~

Good:

~~~yaml
Resources:
  Directory:
    Type: AWS::AppStream::DirectoryConfig
    Properties:
      DirectoryName: corp.example.com
      OrganizationalUnitDistinguishedNames: ["OU=AppStream,DC=corp,DC=example,DC=com"]
      ServiceAccountCredentials:
        AccountName: CORP\appstream
        AccountPassword: "{{resolve:secretsmanager:appstream-join:SecretString:password}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference or a NoEcho parameter without Default.",
	Check: check.CFNSecret([]string{check.SecretsManager}, "ServiceAccountCredentials", "AccountPassword"),
}
