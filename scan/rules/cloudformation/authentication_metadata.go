package cloudformation

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// authSecrets are the keys of an AWS::CloudFormation::Authentication entry
// that hold a credential.
var authSecrets = []string{"accessKeyId", "secretKey", "password"}

// AuthenticationCredentials reports cfn-init authentication metadata that
// carries credentials instead of a role.
var AuthenticationCredentials = &scan.Rule{
	ID:       "CFN-002",
	Aliases:  []string{"W1"},
	Title:    "cfn-init authentication metadata holds credentials",
	Severity: scan.Warning,
	Resources: []string{
		"AWS::AutoScaling::AutoScalingGroup",
		"AWS::AutoScaling::LaunchConfiguration",
		"AWS::EC2::Instance",
		"AWS::EC2::LaunchTemplate",
	},
	Doc: `The AWS::CloudFormation::Authentication metadata tells cfn-init how to
authenticate when it downloads files and sources: with an IAM role
(roleName), or with an access key pair (accessKeyId, secretKey) or a user
name and password (type basic). Metadata is not masked: NoEcho does not hide
it, and DescribeStackResource returns it to anyone allowed to read the
stack, as well as to every process on the instance through the metadata
endpoint cfn-init uses. Long-term keys or passwords there are as good as
published. Use roleName with the instance profile's role, and S3 or
Secrets Manager for the rest. cfn_nag reports any resource that has this
metadata at all, roles included; this rule reports each accessKeyId,
secretKey and password entry, unless its value comes from a NoEcho
parameter without Default or a Secrets Manager or ssm-secure dynamic
reference, and it reads parameter defaults, supplied values and both
branches of Fn::If. It looks at the resources cfn-init reads metadata
from: instances, launch configurations, launch templates and Auto Scaling
groups.

Bad:

~~~yaml
Resources:
  Web:
    Type: AWS::EC2::Instance
    Metadata:
      AWS::CloudFormation::Authentication:
        S3Creds:
          type: S3
          accessKeyId: AKIAIOSFODNN7EXAMPLE
          secretKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
          buckets: [my-artifacts]
~~~

Good:

~~~yaml
Resources:
  Web:
    Type: AWS::EC2::Instance
    Metadata:
      AWS::CloudFormation::Authentication:
        S3Role:
          type: S3
          roleName: !Ref WebRole
          buckets: [my-artifacts]
    Properties:
      IamInstanceProfile: !Ref WebProfile
~~~
`,
	Fix:   "Authenticate cfn-init with roleName (the instance's role) instead of keys or passwords.",
	Check: checkAuthenticationCredentials,
}

func checkAuthenticationCredentials(p *scan.Pass) {
	rep := prop.NewReporter(p)
	allowed := []string{check.SecretsManager, check.SSMSecure}
	for _, r := range p.Resources() {
		if r.Metadata == nil || r.Metadata.Get("AWS::CloudFormation::Authentication") == nil {
			continue
		}
		for _, auth := range prop.Field(p.Eval, prop.CFNMetadata(p.Eval, r), "AWS::CloudFormation::Authentication") {
			if auth.Absent || !auth.Known() || auth.Node.Kind != cfn.Map {
				continue
			}
			for _, pair := range auth.Node.Pairs {
				for _, entry := range prop.Field(p.Eval, []prop.Val{auth}, pair.Key) {
					for _, key := range authSecrets {
						for _, v := range prop.Field(p.Eval, []prop.Val{entry}, key) {
							if why := check.CFNSecretProblem(p.Template, v, allowed); why != "" {
								rep.Report(r, v, "authentication %s: %s %s", pair.Key, key, why)
							}
						}
					}
				}
			}
		}
	}
}
