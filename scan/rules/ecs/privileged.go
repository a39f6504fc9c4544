package ecs

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// PrivilegedContainer reports task definitions with privileged containers.
var PrivilegedContainer = &scan.Rule{
	ID:        "ECS-001",
	Title:     "ECS task definition runs a privileged container",
	Severity:  scan.Failure,
	Resources: []string{"AWS::ECS::TaskDefinition"},
	Doc: `A privileged container gets root on the container instance: all
devices, all kernel capabilities, and access to every other task on the
host and to the instance role. A bug in the application becomes a takeover
of the host (AWS Security Hub ECS.4).

Bad:

~~~yaml
Task:
  Type: AWS::ECS::TaskDefinition
  Properties:
    ContainerDefinitions:
      - Name: app
        Image: app:1.0
        Privileged: true
~~~

Good:

~~~yaml
Task:
  Type: AWS::ECS::TaskDefinition
  Properties:
    ContainerDefinitions:
      - Name: app
        Image: app:1.0
        LinuxParameters:
          Capabilities:
            Add: [NET_ADMIN]
~~~
`,
	Fix: "Remove Privileged (or set it to false) and add only the Linux capabilities the container needs.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Field(p.Eval, containers(p.Eval, r), "Privileged") {
				if v.True() {
					rep.Report(r, v, "container runs privileged: %s", v.State("Privileged"))
				}
			}
		}
	},
}
