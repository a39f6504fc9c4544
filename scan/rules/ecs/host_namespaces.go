package ecs

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// HostNetworkMode reports task definitions that share the host's network.
var HostNetworkMode = &scan.Rule{
	ID:        "ECS-003",
	Title:     "ECS task definition uses the host network mode",
	Severity:  scan.Warning,
	Resources: []string{"AWS::ECS::TaskDefinition"},
	Doc: `With NetworkMode host the containers share the instance's network
stack: they can reach the instance metadata service and its role
credentials, bind any port of the host and see its traffic, and security
groups cannot tell tasks apart (AWS Security Hub ECS.1). Use awsvpc, which
gives every task its own network interface and security groups.

Bad:

~~~yaml
Task:
  Type: AWS::ECS::TaskDefinition
  Properties:
    NetworkMode: host
    ContainerDefinitions:
      - Name: app
        Image: app:1.0
~~~

Good:

~~~yaml
Task:
  Type: AWS::ECS::TaskDefinition
  Properties:
    NetworkMode: awsvpc
    ContainerDefinitions:
      - Name: app
        Image: app:1.0
~~~
`,
	Fix: "Use NetworkMode: awsvpc.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "NetworkMode") {
				if s, ok := v.Str(); ok && strings.EqualFold(s, "host") {
					rep.Report(r, v, "task shares the host's network: %s", v.State("NetworkMode"))
				}
			}
		}
	},
}

// HostPIDMode reports task definitions that share the host's process
// namespace.
var HostPIDMode = &scan.Rule{
	ID:        "ECS-005",
	Title:     "ECS task definition shares the host's process namespace",
	Severity:  scan.Warning,
	Resources: []string{"AWS::ECS::TaskDefinition"},
	Doc: `With PidMode host the containers see, and with enough privilege
can signal or trace, every process on the instance, including other tasks
and the ECS agent (AWS Security Hub ECS.3). Leave PidMode unset, or use
task to share processes among the task's own containers only.

Bad:

~~~yaml
Task:
  Type: AWS::ECS::TaskDefinition
  Properties:
    PidMode: host
    ContainerDefinitions:
      - Name: app
        Image: app:1.0
~~~

Good:

~~~yaml
Task:
  Type: AWS::ECS::TaskDefinition
  Properties:
    PidMode: task
    ContainerDefinitions:
      - Name: app
        Image: app:1.0
~~~
`,
	Fix: "Remove PidMode, or set it to task.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "PidMode") {
				if s, ok := v.Str(); ok && strings.EqualFold(s, "host") {
					rep.Report(r, v, "task shares the host's processes: %s", v.State("PidMode"))
				}
			}
		}
	},
}
