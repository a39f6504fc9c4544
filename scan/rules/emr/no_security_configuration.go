package emr

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

const securityConfigurationType = "AWS::EMR::SecurityConfiguration"

// NoSecurityConfiguration reports clusters without a security
// configuration.
var NoSecurityConfiguration = &scan.Rule{
	ID:        "EMR-001",
	Aliases:   []string{"W63"},
	Title:     "EMR cluster has no security configuration",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EMR::Cluster"},
	Doc: `An EMR cluster without a SecurityConfiguration runs with the
defaults: local disks and EBS volumes unencrypted, data moving between
nodes and to S3 without TLS, and no Kerberos or Lake Formation
authentication. A security configuration turns these on for every cluster
that names it. A Ref to a resource that is not an
AWS::EMR::SecurityConfiguration, or to none declared, is reported too.
cfn_nag also reports a configuration named by a literal string or
imported from another stack; a name is a legitimate way to use a
configuration created elsewhere, so it is accepted here.

Bad:

~~~yaml
Cluster:
  Type: AWS::EMR::Cluster
  Properties:
    Name: analytics
    ReleaseLabel: emr-7.1.0
    JobFlowRole: EMR_EC2_DefaultRole
    ServiceRole: EMR_DefaultRole
    Instances:
      MasterInstanceGroup: {InstanceCount: 1, InstanceType: m5.xlarge}
~~~

Good:

~~~yaml
Cluster:
  Type: AWS::EMR::Cluster
  Properties:
    Name: analytics
    ReleaseLabel: emr-7.1.0
    JobFlowRole: EMR_EC2_DefaultRole
    ServiceRole: EMR_DefaultRole
    SecurityConfiguration: !Ref ClusterSecurity
    Instances:
      MasterInstanceGroup: {InstanceCount: 1, InstanceType: m5.xlarge}
~~~
`,
	Fix: "Create an AWS::EMR::SecurityConfiguration with at-rest and in-transit encryption and set SecurityConfiguration: !Ref it.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "SecurityConfiguration") {
				if v.Absent {
					rep.Report(r, v, "EMR cluster %s has no SecurityConfiguration", r.ID)
					continue
				}
				name, arg, ok := v.Site.Intrinsic()
				if !ok || name != "Ref" || arg.Kind != cfn.String {
					continue
				}
				target := arg.Value
				if p.Template.Parameter(target) != nil || cfn.IsPseudoParameter(target) {
					continue
				}
				switch res := p.Template.Resource(target); {
				case res == nil:
					rep.Report(r, v, "SecurityConfiguration refers to %s, which is not declared in the template", target)
				case res.Type != securityConfigurationType:
					rep.Report(r, v, "SecurityConfiguration refers to %s (%s), not to a security configuration", target, res.Type)
				}
			}
		}
	},
}
