package managedblockchain

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// AdminPasswordInTemplate reports Hyperledger Fabric member administrator
// passwords that end up in the template or the console.
var AdminPasswordInTemplate = &scan.Rule{
	ID:        "BLOCKCHAIN-001",
	Aliases:   []string{"F71"},
	Title:     "Managed Blockchain member admin password is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::ManagedBlockchain::Member"},
	Doc: `MemberFabricConfiguration.AdminPassword is the password of the member's
initial Hyperledger Fabric administrator, who enrolls identities with the
member's certificate authority. Written as a literal, or taken from a
parameter with a Default, it sits in plain text in the template and in
every copy of it; a parameter without NoEcho shows it in the console and
in DescribeStacks. Use a Secrets Manager dynamic reference or a NoEcho
parameter without Default. Unlike cfn_nag, values supplied in a parameter
file and both branches of Fn::If are checked.

Bad:

~~~yaml
Resources:
  Member:
    Type: AWS::ManagedBlockchain::Member
    Properties:
      NetworkId: !Ref NetworkId
      MemberConfiguration:
        Name: org1
        MemberFrameworkConfiguration:
          MemberFabricConfiguration:
            AdminUsername: admin
            AdminPassword: Passw0rd123
~~~

Good:

~~~yaml
Resources:
  Member:
    Type: AWS::ManagedBlockchain::Member
    Properties:
      NetworkId: !Ref NetworkId
      MemberConfiguration:
        Name: org1
        MemberFrameworkConfiguration:
          MemberFabricConfiguration:
            AdminUsername: admin
            AdminPassword: "{{resolve:secretsmanager:org1-admin:SecretString:password}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference or a NoEcho parameter without Default.",
	Check: check.CFNSecret([]string{check.SecretsManager}, "MemberConfiguration", "MemberFrameworkConfiguration", "MemberFabricConfiguration", "AdminPassword"),
}
