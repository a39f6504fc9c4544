package buildspec

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
)

// LatestRuntime reports runtime-versions set to latest.
var LatestRuntime = &scan.Rule{
	ID:        "BUILDSPEC-005",
	Title:     "Buildspec installs the latest runtime version",
	Severity:  scan.Warning,
	Resources: project,
	Doc: `runtime-versions: latest picks the newest runtime the build image
offers. When AWS updates the image, the next build runs on a new major
version of Node.js, Python or Java without any change in the repository:
tests may pass on a runtime that production does not use, or a release
build breaks for reasons nobody committed. Name the major version the
application is deployed on, and change it in a reviewed commit.

Bad:

~~~yaml
version: 0.2
phases:
  install:
    runtime-versions:
      nodejs: latest
~~~

Good:

~~~yaml
version: 0.2
phases:
  install:
    runtime-versions:
      nodejs: 20
~~~
`,
	Fix:            "Name the runtime's major version (nodejs: 20, python: 3.12) instead of latest.",
	CheckBuildspec: checkLatestRuntime,
}

func init() { LatestRuntime.Check = inline(checkLatestRuntime) }

func checkLatestRuntime(p *scan.BuildspecPass) {
	for _, ph := range p.Spec.Phases {
		for _, v := range ph.RuntimeVersions {
			if strings.EqualFold(strings.TrimSpace(v.Value.Text), "latest") {
				p.Reportf(v.Value.Start, v.Value.End, v.Value.Path, "runtime %s is latest, so an image update changes the runtime without a commit", v.Name)
			}
		}
	}
}
