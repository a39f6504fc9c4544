package ec2

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// RuleDescription reports security group rules without a Description.
var RuleDescription = &scan.Rule{
	ID:        "SG-009",
	Aliases:   []string{"W36"},
	Title:     "Security group rule has no description",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"},
	Doc: `A rule without a Description does not say why it exists, so nobody
dares remove it when it is no longer needed and reviews cannot tell a
deliberate opening from a mistake. Every entry of SecurityGroupIngress and
SecurityGroupEgress and every standalone ingress or egress resource is
checked; an empty description counts as missing.

Bad:

~~~yaml
Web:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: web
    SecurityGroupIngress:
      - IpProtocol: tcp
        FromPort: 443
        ToPort: 443
        SourceSecurityGroupId: !Ref Lb
~~~

Good:

~~~yaml
Web:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: web
    SecurityGroupIngress:
      - IpProtocol: tcp
        FromPort: 443
        ToPort: 443
        SourceSecurityGroupId: !Ref Lb
        Description: HTTPS from the load balancer
~~~
`,
	Fix: "Add a Description saying who needs the rule and why.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			ins, outs := allEntries(p.Eval, r)
			for _, set := range []struct {
				what string
				ents []prop.Val
			}{{"ingress", ins}, {"egress", outs}} {
				for _, ent := range set.ents {
					for _, v := range prop.Field(p.Eval, []prop.Val{ent}, "Description") {
						if s, ok := v.Str(); v.Absent || (ok && s == "") {
							rep.Report(r, v, "security group %s rule has no description: %s", set.what, v.State("Description"))
						}
					}
				}
			}
		}
	},
}
