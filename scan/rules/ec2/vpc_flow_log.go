package ec2

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// VPCNoFlowLog reports VPCs that no flow log in the template records.
var VPCNoFlowLog = &scan.Rule{
	ID:        "EC2-004",
	Aliases:   []string{"W60"},
	Title:     "VPC has no flow log",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EC2::VPC", "AWS::EC2::FlowLog"},
	Doc: `VPC flow logs record which addresses talked to which on what port:
the evidence needed to investigate an intrusion or data exfiltration, and it
cannot be recovered afterwards (AWS Security Hub EC2.6). A VPC counts as
logged when an AWS::EC2::FlowLog of the same template names it in
ResourceId, by Ref or by Fn::GetAtt VpcId, in any branch of an Fn::If.

Bad:

~~~yaml
Vpc:
  Type: AWS::EC2::VPC
  Properties:
    CidrBlock: 10.0.0.0/16
~~~

Good:

~~~yaml
Vpc:
  Type: AWS::EC2::VPC
  Properties:
    CidrBlock: 10.0.0.0/16
FlowLog:
  Type: AWS::EC2::FlowLog
  Properties:
    ResourceId: !Ref Vpc
    ResourceType: VPC
    TrafficType: ALL
    LogDestinationType: s3
    LogDestination: !GetAtt LogBucket.Arn
~~~
`,
	Fix: "Add an AWS::EC2::FlowLog with ResourceType VPC and ResourceId: !Ref <the VPC>.",
	Check: func(p *scan.Pass) {
		logged := map[string]bool{}
		for _, r := range p.Template.Resources {
			if r.Type != "AWS::EC2::FlowLog" {
				continue
			}
			for _, v := range prop.Get(p.Eval, r, "ResourceId") {
				logged[v.Text] = true
			}
		}
		for _, r := range p.Resources() {
			if r.Type != "AWS::EC2::VPC" || logged["Ref "+r.ID] || logged[r.ID+".VpcId"] {
				continue
			}
			p.Reportf(r, nil, "", "VPC %s has no flow log", r.ID)
		}
	},
}
