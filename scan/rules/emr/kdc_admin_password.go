package emr

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// KdcAdminPassword reports KDC administrator passwords kept in the
// template.
var KdcAdminPassword = &scan.Rule{
	ID:        "EMR-005",
	Aliases:   []string{"F65"},
	Title:     "EMR Kerberos KdcAdminPassword is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::EMR::Cluster"},
	Doc: `KerberosAttributes.KdcAdminPassword is the password of the
administrator of the cluster's Kerberos KDC, who can create principals and
read every key. A password` + kerberosDoc + `
Bad:

~~~yaml
Cluster:
  Type: AWS::EMR::Cluster
  Properties:
    KerberosAttributes:
      Realm: EC2.INTERNAL
      KdcAdminPassword: Kdc-Admin-1
~~~

Good:

~~~yaml
Cluster:
  Type: AWS::EMR::Cluster
  Properties:
    KerberosAttributes:
      Realm: EC2.INTERNAL
      KdcAdminPassword: "{{resolve:secretsmanager:emr/kdc:SecretString:password}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference or a NoEcho parameter without Default.",
	Check: check.Secret([]string{check.SecretsManager}, "KerberosAttributes", "KdcAdminPassword"),
}
