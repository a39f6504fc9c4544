package iam

import "github.com/safetynet-dev/safetynet/scan"

// AdministratorAccess reports identities given the AdministratorAccess
// managed policy.
var AdministratorAccess = &scan.Rule{
	ID:        "IAM-011",
	Aliases:   []string{"W43"},
	Title:     "IAM identity has the AdministratorAccess policy",
	Severity:  scan.Warning,
	Resources: principalTypes,
	Doc: `The AWS managed policy AdministratorAccess allows every action on every
resource: whoever holds the role, user or group can read every secret,
change every permission and delete every resource in the account. A
workload or pipeline role almost never needs it; grant the actions it
calls. cfn_nag checks roles only; this rule also checks users and groups,
and ARNs written with ${AWS::Partition}.

Bad:

~~~yaml
DeployRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument: {...}
    ManagedPolicyArns:
      - arn:aws:iam::aws:policy/AdministratorAccess
~~~

Good:

~~~yaml
DeployRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument: {...}
    ManagedPolicyArns:
      - !Ref DeployPolicy
~~~
`,
	Fix:   "Replace AdministratorAccess with a policy granting the actions the identity needs.",
	Check: managedPolicies(map[string]string{"AdministratorAccess": "allows every action on every resource"}),
}
