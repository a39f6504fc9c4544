package iam

import "github.com/safetynet-dev/safetynet/scan"

// ElevatedManagedPolicy reports identities given AWS managed policies that
// are nearly administrator.
var ElevatedManagedPolicy = &scan.Rule{
	ID:        "IAM-012",
	Aliases:   []string{"W44"},
	Title:     "IAM identity has an elevated AWS managed policy",
	Severity:  scan.Warning,
	Resources: principalTypes,
	Doc: `Some AWS managed policies are administrator in all but name.
PowerUserAccess allows every action outside IAM and Organizations;
IAMFullAccess lets the holder grant itself anything, so it is administrator
one API call away. AdministratorAccess-Amplify and
AdministratorAccess-AWSElasticBeanstalk create roles and stacks with broad
rights. (cfn_nag's W43 matches any ARN containing AdministratorAccess, so it
reports these two; here they belong with the elevated policies.) Grant the
actions the identity calls instead. cfn_nag checks roles only; this rule
also checks users and groups.

Bad:

~~~yaml
BuildRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument: {...}
    ManagedPolicyArns:
      - arn:aws:iam::aws:policy/PowerUserAccess
~~~

Good:

~~~yaml
BuildRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument: {...}
    ManagedPolicyArns:
      - arn:aws:iam::aws:policy/AWSCodeBuildDeveloperAccess
~~~
`,
	Fix: "Replace the managed policy with one granting the actions the identity needs.",
	Check: managedPolicies(map[string]string{
		"PowerUserAccess":                         "allows every action outside IAM and Organizations",
		"IAMFullAccess":                           "lets the holder grant itself any permission",
		"AdministratorAccess-Amplify":             "creates roles and stacks with broad permissions",
		"AdministratorAccess-AWSElasticBeanstalk": "creates roles and stacks with broad permissions",
	}),
}
