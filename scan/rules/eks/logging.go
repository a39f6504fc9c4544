package eks

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// AuditLogOff reports clusters whose control plane does not send audit
// logs to CloudWatch.
var AuditLogOff = &scan.Rule{
	ID:        "EKS-003",
	Title:     "EKS cluster control plane audit logging is off",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EKS::Cluster"},
	Doc: `Control plane logs are off by default. Without the audit log there
is no record of who did what through the Kubernetes API (who read a secret,
who created a privileged pod), which an investigation needs (AWS Security
Hub EKS.8). Enable at least the audit type in
Logging.ClusterLogging.EnabledTypes; api and authenticator help too.

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
    Logging:
      ClusterLogging:
        EnabledTypes:
          - Type: api
          - Type: audit
          - Type: authenticator
~~~
`,
	Fix: "Add Logging.ClusterLogging.EnabledTypes with at least {Type: audit}.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, list := range prop.Get(p.Eval, r, "Logging", "ClusterLogging", "EnabledTypes") {
				if !list.Absent && !list.Known() {
					continue
				}
				// audit is set when an audit entry is always there; onlyIf
				// holds the one condition an audit entry depends on.
				audit, unknown, onlyIf := false, false, ""
				for _, it := range prop.Items(p.Eval, []prop.Val{list}) {
					for _, t := range prop.Field(p.Eval, []prop.Val{it}, "Type") {
						s, ok := t.Str()
						unknown = unknown || (!ok && !t.Absent)
						if !ok || !strings.EqualFold(s, "audit") {
							continue
						}
						switch extra := len(t.Conds) - len(list.Conds); {
						case extra <= 0:
							audit = true
						case extra == 1 && onlyIf == "":
							onlyIf = t.Conds[len(t.Conds)-1]
						default:
							unknown = true
						}
					}
				}
				if audit || unknown {
					continue
				}
				if onlyIf != "" {
					neg := "!" + onlyIf
					if c, ok := strings.CutPrefix(onlyIf, "!"); ok {
						neg = c
					}
					list.Conds = append(append([]string(nil), list.Conds...), neg)
				}
				if list.Absent {
					rep.Report(r, list, "EKS control plane audit logging is off: EnabledTypes is not set")
				} else {
					rep.Report(r, list, "EKS control plane audit logging is off: EnabledTypes has no audit entry")
				}
			}
		}
	},
}
