package ec2

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// IMDSv1Allowed reports launch templates, launch configurations and
// instances that leave the instance metadata service version 1 enabled.
var IMDSv1Allowed = &scan.Rule{
	ID:       "EC2-005",
	Title:    "Instance metadata service v1 is allowed (IMDSv2 not required)",
	Severity: scan.Warning,
	Resources: []string{"AWS::EC2::LaunchTemplate", "AWS::AutoScaling::LaunchConfiguration",
		"AWS::EC2::Instance"},
	Doc: `IMDSv1 answers any plain GET to 169.254.169.254, so a server-side
request forgery bug or an open proxy on the instance hands the instance
role's credentials to an attacker (the Capital One breach). IMDSv2 requires
a session token obtained with a PUT, which such requests cannot send. AWS
Security Hub EC2.8 and AutoScaling.3 require HttpTokens: required. An
instance can only require it through a launch template, so an
AWS::EC2::Instance without LaunchTemplate is reported too (unless the AMI
or the account default already enforces IMDSv2; suppress it then, with that
reason).

Bad:

~~~yaml
Template:
  Type: AWS::EC2::LaunchTemplate
  Properties:
    LaunchTemplateData:
      ImageId: ami-0123456789abcdef0
      InstanceType: t3.micro
~~~

Good:

~~~yaml
Template:
  Type: AWS::EC2::LaunchTemplate
  Properties:
    LaunchTemplateData:
      ImageId: ami-0123456789abcdef0
      InstanceType: t3.micro
      MetadataOptions:
        HttpTokens: required
        HttpPutResponseHopLimit: 1
~~~
`,
	Fix: "Set MetadataOptions.HttpTokens: required (for instances, through a launch template).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			var base []prop.Val
			switch r.Type {
			case "AWS::EC2::Instance":
				for _, v := range prop.Get(p.Eval, r, "LaunchTemplate") {
					if v.Absent {
						rep.Report(r, v, "instance has no launch template, so IMDSv1 stays enabled: LaunchTemplate is not set")
					}
				}
				continue
			case "AWS::EC2::LaunchTemplate":
				base = prop.Get(p.Eval, r, "LaunchTemplateData")
			default:
				base = prop.Properties(p.Eval, r)
			}
			for _, opts := range prop.Field(p.Eval, base, "MetadataOptions") {
				if opts.Absent {
					rep.Report(r, opts, "IMDSv1 is allowed: MetadataOptions is not set")
					continue
				}
				// Metadata turned off entirely is even safer.
				disabled := false
				for _, v := range prop.Field(p.Eval, []prop.Val{opts}, "HttpEndpoint") {
					s, ok := v.Str()
					disabled = disabled || (ok && strings.EqualFold(s, "disabled"))
				}
				if disabled {
					continue
				}
				for _, v := range prop.Field(p.Eval, []prop.Val{opts}, "HttpTokens") {
					if s, ok := v.Str(); v.Absent || (ok && !strings.EqualFold(s, "required")) {
						rep.Report(r, v, "IMDSv1 is allowed: %s", v.State("HttpTokens"))
					}
				}
			}
		}
	},
}
