package emr

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// ADDomainJoinPassword reports Active Directory join passwords kept in the
// template.
var ADDomainJoinPassword = &scan.Rule{
	ID:        "EMR-003",
	Aliases:   []string{"F63"},
	Title:     "EMR Kerberos ADDomainJoinPassword is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::EMR::Cluster"},
	Doc: `KerberosAttributes.ADDomainJoinPassword is the password of an Active
Directory account allowed to join computers to the domain. A password` + kerberosDoc + `
Bad:

~~~yaml
Cluster:
  Type: AWS::EMR::Cluster
  Properties:
    KerberosAttributes:
      Realm: EC2.INTERNAL
      KdcAdminPassword: !Ref KdcPassword
      ADDomainJoinUser: joiner
      ADDomainJoinPassword: Passw0rd!
~~~

Good:

~~~yaml
Cluster:
  Type: AWS::EMR::Cluster
  Properties:
    KerberosAttributes:
      Realm: EC2.INTERNAL
      KdcAdminPassword: !Ref KdcPassword
      ADDomainJoinUser: joiner
      ADDomainJoinPassword: "{{resolve:secretsmanager:emr/ad-join:SecretString:password}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference or a NoEcho parameter without Default.",
	Check: check.Secret([]string{check.SecretsManager}, "KerberosAttributes", "ADDomainJoinPassword"),
}
