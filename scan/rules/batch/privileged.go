// Package batch holds the rules for AWS Batch.
package batch

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// PrivilegedContainer reports job definitions whose containers run
// privileged.
var PrivilegedContainer = &scan.Rule{
	ID:        "BATCH-001",
	Aliases:   []string{"W34"},
	Title:     "Batch job definition runs a privileged container",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Batch::JobDefinition"},
	Doc: `A privileged container has root on the host: every device, the
kernel's capabilities, and the other jobs' containers on the same compute
environment. A compromised or malicious job image then owns the instance
and its role. cfn_nag reads ContainerProperties only; here multi-node
(NodeProperties.NodeRangeProperties[].Container), ECS
(EcsProperties.TaskProperties[].Containers[]) and EKS
(EksProperties.PodProperties Containers and InitContainers,
SecurityContext.Privileged) job definitions are checked too.

Bad:

~~~yaml
Job:
  Type: AWS::Batch::JobDefinition
  Properties:
    Type: container
    ContainerProperties:
      Image: app:1.0
      Privileged: true
~~~

Good:

~~~yaml
Job:
  Type: AWS::Batch::JobDefinition
  Properties:
    Type: container
    ContainerProperties:
      Image: app:1.0
~~~
`,
	Fix: "Remove Privileged (or set it to false) and grant only the Linux capabilities the job needs.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		e := p.Eval
		for _, r := range p.Resources() {
			var flags []prop.Val
			flags = append(flags, prop.Get(e, r, "ContainerProperties", "Privileged")...)
			nodes := prop.Items(e, prop.Get(e, r, "NodeProperties", "NodeRangeProperties"))
			flags = append(flags, prop.Field(e, prop.Field(e, nodes, "Container"), "Privileged")...)
			tasks := prop.Items(e, prop.Get(e, r, "EcsProperties", "TaskProperties"))
			flags = append(flags, prop.Field(e, prop.Items(e, prop.Field(e, tasks, "Containers")), "Privileged")...)
			pod := prop.Get(e, r, "EksProperties", "PodProperties")
			for _, list := range []string{"Containers", "InitContainers"} {
				cs := prop.Items(e, prop.Field(e, pod, list))
				flags = append(flags, prop.Field(e, prop.Field(e, cs, "SecurityContext"), "Privileged")...)
			}
			report(rep, r, flags)
		}
	},
}

func report(rep *prop.Reporter, r *cfn.Resource, flags []prop.Val) {
	for _, v := range flags {
		if v.True() {
			rep.Report(r, v, "container runs privileged: %s", v.State("Privileged"))
		}
	}
}
