// Package ecr holds the rules for Amazon ECR repositories.
package ecr

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// ScanOnPushOff reports repositories that do not scan images on push.
var ScanOnPushOff = &scan.Rule{
	ID:        "ECR-001",
	Aliases:   []string{"W79"},
	Title:     "ECR repository does not scan images on push",
	Severity:  scan.Warning,
	Resources: []string{"AWS::ECR::Repository"},
	Doc: `Scanning on push checks every image for known vulnerabilities in
its operating system packages before it is deployed; without it a
vulnerable image goes to production unnoticed (AWS Security Hub ECR.1). Set
ImageScanningConfiguration.ScanOnPush to true (the early lower-case
spelling scanOnPush is accepted too). Accounts that configure enhanced
scanning for every repository at the registry level can suppress this
finding with that reason.

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
    ImageScanningConfiguration:
      ScanOnPush: true
~~~
`,
	Fix: "Set ImageScanningConfiguration.ScanOnPush: true.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, cfg := range prop.Get(p.Eval, r, "ImageScanningConfiguration") {
				if cfg.Absent {
					rep.Report(r, cfg, "ECR repository does not scan images on push: ImageScanningConfiguration is not set")
					continue
				}
				one := []prop.Val{cfg}
				vals := prop.Field(p.Eval, one, "ScanOnPush")
				if len(vals) == 1 && vals[0].Absent {
					if lower := prop.Field(p.Eval, one, "scanOnPush"); len(lower) != 1 || !lower[0].Absent {
						vals = lower
					}
				}
				for _, v := range vals {
					if v.NotTrue() {
						rep.Report(r, v, "ECR repository does not scan images on push: %s", v.State("ScanOnPush"))
					}
				}
			}
		}
	},
}
