package emr

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// CrossRealmTrustPrincipalPassword reports cross-realm trust passwords kept
// in the template.
var CrossRealmTrustPrincipalPassword = &scan.Rule{
	ID:        "EMR-004",
	Aliases:   []string{"F64"},
	Title:     "EMR Kerberos CrossRealmTrustPrincipalPassword is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::EMR::Cluster"},
	Doc: `KerberosAttributes.CrossRealmTrustPrincipalPassword is the password of
the principal that lets the cluster's KDC trust another realm, such as the
corporate Active Directory. A password` + kerberosDoc + `
Bad:

~~~yaml
Cluster:
  Type: AWS::EMR::Cluster
  Properties:
    KerberosAttributes:
      Realm: EC2.INTERNAL
      KdcAdminPassword: !Ref KdcPassword
      CrossRealmTrustPrincipalPassword: Trust123
~~~

Good:

~~~yaml
Cluster:
  Type: AWS::EMR::Cluster
  Properties:
    KerberosAttributes:
      Realm: EC2.INTERNAL
      KdcAdminPassword: !Ref KdcPassword
      CrossRealmTrustPrincipalPassword: "{{resolve:secretsmanager:emr/trust:SecretString:password}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference or a NoEcho parameter without Default.",
	Check: check.Secret([]string{check.SecretsManager}, "KerberosAttributes", "CrossRealmTrustPrincipalPassword"),
}
