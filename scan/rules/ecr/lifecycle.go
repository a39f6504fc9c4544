package ecr

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// NoLifecyclePolicy reports repositories that keep every image forever.
var NoLifecyclePolicy = &scan.Rule{
	ID:        "ECR-003",
	Title:     "ECR repository has no lifecycle policy",
	Severity:  scan.Warning,
	Resources: []string{"AWS::ECR::Repository"},
	Doc: `Without a lifecycle policy a repository keeps every image ever
pushed: old images with known vulnerabilities stay available to deploy,
and storage cost grows without bound (AWS Security Hub ECR.3). A policy that
expires untagged images and keeps the last few releases is enough.

Bad:

~~~yaml
Images:
  Type: AWS::ECR::Repository
  Properties:
    RepositoryName: app
~~~

Good:

~~~yaml
Images:
  Type: AWS::ECR::Repository
  Properties:
    RepositoryName: app
    LifecyclePolicy:
      LifecyclePolicyText: |
        {"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged",
          "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
          "action": {"type": "expire"}}]}
~~~
`,
	Fix: "Add LifecyclePolicy.LifecyclePolicyText expiring untagged and old images.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, pol := range prop.Get(p.Eval, r, "LifecyclePolicy") {
				if pol.Absent {
					rep.Report(r, pol, "ECR repository keeps every image forever: LifecyclePolicy is not set")
					continue
				}
				for _, v := range prop.Field(p.Eval, []prop.Val{pol}, "LifecyclePolicyText") {
					if s, ok := v.Str(); v.Absent || (ok && s == "") {
						rep.Report(r, v, "ECR repository keeps every image forever: %s", v.State("LifecyclePolicyText"))
					}
				}
			}
		}
	},
}
