// Package eks holds the rules for Amazon EKS clusters.
package eks

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// SecretsNotEncrypted reports clusters without envelope encryption of
// Kubernetes secrets.
var SecretsNotEncrypted = &scan.Rule{
	ID:        "EKS-001",
	Aliases:   []string{"W82"},
	Title:     "EKS cluster does not encrypt Kubernetes secrets with a KMS key",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EKS::Cluster"},
	Doc: `Without EncryptionConfig, Kubernetes secrets are stored in etcd
protected only by the default disk encryption; anyone who obtains an etcd
backup or snapshot reads them. Envelope encryption with a KMS key you
control adds a layer that you can audit and revoke (AWS Security Hub
EKS.3). Every entry of EncryptionConfig needs a Provider with a KeyArn.

Bad:

~~~yaml
Cluster:
  Type: AWS::EKS::Cluster
  Properties:
    RoleArn: !GetAtt ClusterRole.Arn
    ResourcesVpcConfig:
      SubnetIds: [!Ref SubnetA, !Ref SubnetB]
~~~

Good:

~~~yaml
Cluster:
  Type: AWS::EKS::Cluster
  Properties:
    RoleArn: !GetAtt ClusterRole.Arn
    ResourcesVpcConfig:
      SubnetIds: [!Ref SubnetA, !Ref SubnetB]
    EncryptionConfig:
      - Resources: [secrets]
        Provider:
          KeyArn: !GetAtt SecretsKey.Arn
~~~
`,
	Fix: "Add EncryptionConfig with Resources [secrets] and Provider.KeyArn naming a KMS key.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			cfgs := prop.Get(p.Eval, r, "EncryptionConfig")
			for _, c := range cfgs {
				if c.Absent || (c.Known() && len(prop.Items(p.Eval, []prop.Val{c})) == 0) {
					rep.Report(r, c, "EKS cluster does not encrypt secrets with a KMS key: EncryptionConfig is not set")
				}
			}
			for _, c := range prop.Items(p.Eval, cfgs) {
				for _, prov := range prop.Field(p.Eval, []prop.Val{c}, "Provider") {
					if prov.Absent {
						rep.Report(r, prov, "EKS cluster does not encrypt secrets with a KMS key: Provider is not set")
						continue
					}
					for _, v := range prop.Field(p.Eval, []prop.Val{prov}, "KeyArn") {
						if s, ok := v.Str(); v.Absent || (ok && s == "") {
							rep.Report(r, v, "EKS cluster does not encrypt secrets with a KMS key: %s", v.State("KeyArn"))
						}
					}
				}
			}
		}
	},
}
