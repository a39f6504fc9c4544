package ec2

import (
	"slices"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// UserDataSecret reports user data that carries credentials.
var UserDataSecret = &scan.Rule{
	ID:       "EC2-006",
	Title:    "User data contains a secret",
	Severity: scan.Failure,
	Resources: []string{"AWS::EC2::Instance", "AWS::EC2::LaunchTemplate",
		"AWS::AutoScaling::LaunchConfiguration"},
	Doc: `User data is not secret: anyone allowed ec2:DescribeInstanceAttribute
can read it, every process on the instance can fetch it from the metadata
service, and it is stored in the template and its copies. AWS documents that
user data must not hold passwords or keys. The script is read after
evaluating Fn::Base64, Fn::Sub and Fn::Join, so a parameter default
substituted into it counts; AWS access key IDs, secret access keys and
literal values assigned to names like DB_PASSWORD or API_TOKEN are reported.
Values left to deploy time (a NoEcho parameter without default, a dynamic
reference, a command that fetches the secret) are not.

Bad:

~~~yaml
Server:
  Type: AWS::EC2::Instance
  Properties:
    ImageId: ami-0123456789abcdef0
    UserData: !Base64 |
      #!/bin/bash
      export DB_PASSWORD=hunter22
      ./start.sh
~~~

Good:

~~~yaml
Server:
  Type: AWS::EC2::Instance
  Properties:
    ImageId: ami-0123456789abcdef0
    IamInstanceProfile: !Ref Profile
    UserData: !Base64 |
      #!/bin/bash
      export DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id db --query SecretString --output text)
      ./start.sh
~~~
`,
	Fix: "Fetch secrets at boot from Secrets Manager or SSM Parameter Store with the instance role.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			vals := prop.Get(p.Eval, r, "UserData")
			if r.Type == "AWS::EC2::LaunchTemplate" {
				vals = prop.Get(p.Eval, r, "LaunchTemplateData", "UserData")
			}
			for _, v := range vals {
				if v.Absent {
					continue
				}
				text, ok := v.Str()
				if !ok && v.Origin == cfn.Unknown {
					text = v.Text
				}
				if found := check.ComputeSecretsInText(text); len(found) > 0 {
					rep.Report(r, v, "user data contains %s", strings.Join(dedupe(found), ", "))
				}
			}
		}
	},
}

// dedupe drops repeated strings, keeping the first three.
func dedupe(in []string) []string {
	var out []string
	for _, s := range in {
		if len(out) < 3 && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
