package iam

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// AccessKey reports access keys created by a template.
var AccessKey = &scan.Rule{
	ID:        "IAM-018",
	Title:     "IAM access key is created in the template",
	Severity:  scan.Warning,
	Resources: []string{"AWS::IAM::AccessKey"},
	Doc: `An AWS::IAM::AccessKey is a long-lived credential: it works from
anywhere until someone rotates or deletes it, and its secret has to be
handed to a workload somehow (an output, a parameter, a file). AWS
recommends that workloads use roles with temporary credentials (instance
profiles, task roles, OIDC federation for CI such as GitHub Actions). Keys
created with Status: Inactive are not reported.

Bad:

~~~yaml
CiKey:
  Type: AWS::IAM::AccessKey
  Properties:
    UserName: !Ref CiUser
~~~

Good:

~~~yaml
CiRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal:
            Federated: !Ref GitHubOidcProvider
          Action: sts:AssumeRoleWithWebIdentity
          Condition:
            StringLike:
              token.actions.githubusercontent.com:sub: repo:my-org/my-repo:*
~~~
`,
	Fix: "Use a role with temporary credentials instead of an access key.",
	Check: func(p *scan.Pass) {
		for _, r := range p.Resources() {
			inactive := true
			for _, v := range prop.Get(p.Eval, r, "Status") {
				s, ok := v.Str()
				inactive = inactive && ok && s == "Inactive"
			}
			if !inactive {
				p.Reportf(r, nil, "", "access key %s is a long-lived credential", r.ID)
			}
		}
	},
}
