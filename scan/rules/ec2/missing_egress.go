package ec2

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// MissingEgress reports security groups with no egress rule at all.
var MissingEgress = &scan.Rule{
	ID:        "SG-004",
	Aliases:   []string{"F1000"},
	Title:     "Security group has no egress rules",
	Severity:  scan.Failure,
	Resources: []string{"AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupEgress"},
	Doc: `A security group created without egress rules gets the default rule
that allows all outbound traffic to anywhere, which lets a compromised
instance reach any host on the internet to exfiltrate data or fetch tools.
Declaring egress, in SecurityGroupEgress or in AWS::EC2::SecurityGroupEgress
resources of the same template that point at the group (by Ref or
GetAtt GroupId), replaces the default with what the workload needs.

Bad:

~~~yaml
App:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: app
    VpcId: !Ref Vpc
~~~

Good:

~~~yaml
App:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: app
    VpcId: !Ref Vpc
    SecurityGroupEgress:
      - IpProtocol: tcp
        FromPort: 443
        ToPort: 443
        CidrIp: 0.0.0.0/0
~~~
`,
	Fix: "Declare the outbound traffic the group needs in SecurityGroupEgress.",
	Check: func(p *scan.Pass) {
		// Groups that standalone egress resources attach rules to.
		attached := map[string]bool{}
		for _, r := range p.Template.Resources {
			if r.Type != "AWS::EC2::SecurityGroupEgress" {
				continue
			}
			for _, v := range prop.Get(p.Eval, r, "GroupId") {
				attached[v.Text] = true
			}
		}
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			if r.Type != "AWS::EC2::SecurityGroup" || attached["Ref "+r.ID] || attached[r.ID+".GroupId"] {
				continue
			}
			for _, v := range prop.Get(p.Eval, r, "SecurityGroupEgress") {
				if v.Absent || (v.Known() && len(prop.Items(p.Eval, []prop.Val{v})) == 0) {
					rep.Report(r, v, "security group %s has no egress rules, so all outbound traffic is allowed", r.ID)
				}
			}
		}
	},
}
