package ecr

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// MutableTags reports repositories whose image tags can be overwritten.
var MutableTags = &scan.Rule{
	ID:        "ECR-002",
	Title:     "ECR repository allows image tags to be overwritten",
	Severity:  scan.Warning,
	Resources: []string{"AWS::ECR::Repository"},
	Doc: `With mutable tags (the default) anyone who can push can replace the
image behind a tag such as v1.4.2 or prod; deployments that pull by tag
then run code that was never reviewed or scanned, and a rollback may not
return to what ran before (AWS Security Hub ECR.2). IMMUTABLE (or
IMMUTABLE_WITH_EXCLUSION for a few moving tags) makes every tag name one
image for good.

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
    ImageTagMutability: IMMUTABLE
~~~
`,
	Fix: "Set ImageTagMutability: IMMUTABLE.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "ImageTagMutability") {
				if s, ok := v.Str(); v.Absent || (ok && !strings.HasPrefix(strings.ToUpper(s), "IMMUTABLE")) {
					rep.Report(r, v, "ECR repository allows image tags to be overwritten: %s", v.State("ImageTagMutability"))
				}
			}
		}
	},
}
