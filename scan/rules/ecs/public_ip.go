package ecs

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// ServicePublicIP reports services whose tasks get public IP addresses.
var ServicePublicIP = &scan.Rule{
	ID:        "ECS-004",
	Title:     "ECS service assigns public IP addresses to its tasks",
	Severity:  scan.Warning,
	Resources: []string{"AWS::ECS::Service"},
	Doc: `With AssignPublicIp ENABLED every task gets a public address and is
reachable from the internet whenever its security group allows it,
bypassing the load balancer (AWS Security Hub ECS.2). Run tasks in private
subnets and reach the internet through a NAT gateway or VPC endpoints.

Bad:

~~~yaml
Service:
  Type: AWS::ECS::Service
  Properties:
    Cluster: !Ref Cluster
    TaskDefinition: !Ref Task
    NetworkConfiguration:
      AwsvpcConfiguration:
        AssignPublicIp: ENABLED
        Subnets: [!Ref PublicSubnet]
~~~

Good:

~~~yaml
Service:
  Type: AWS::ECS::Service
  Properties:
    Cluster: !Ref Cluster
    TaskDefinition: !Ref Task
    NetworkConfiguration:
      AwsvpcConfiguration:
        AssignPublicIp: DISABLED
        Subnets: [!Ref PrivateSubnet]
~~~
`,
	Fix: "Set AssignPublicIp: DISABLED and run the tasks in private subnets.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "NetworkConfiguration", "AwsvpcConfiguration", "AssignPublicIp") {
				if s, ok := v.Str(); ok && strings.EqualFold(s, "ENABLED") {
					rep.Report(r, v, "tasks get public IP addresses: %s", v.State("AssignPublicIp"))
				}
			}
		}
	},
}
