package buildspec

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
)

// Version reports buildspecs that are not version 0.2.
var Version = &scan.Rule{
	ID:        "BUILDSPEC-007",
	Title:     "Buildspec is not version 0.2",
	Severity:  scan.Warning,
	Resources: project,
	Doc: `In buildspec version 0.1 CodeBuild runs every command in a separate
instance of the shell. A ` + "`cd`" + `, an ` + "`export`" + ` or a ` + "`set -o pipefail`" + ` then
lasts only for its own line: the next command runs in the source directory
with the original environment, so builds quietly test or package the wrong
thing. Version 0.2 runs all commands in one shell. A buildspec without a
version is rejected when the build starts.

Bad:

~~~yaml
version: 0.1
phases:
  build:
    commands:
      - cd service
      - make test
~~~

Good:

~~~yaml
version: 0.2
phases:
  build:
    commands:
      - cd service
      - make test
~~~
`,
	Fix:            "Set version: 0.2 and check commands that relied on each line starting afresh.",
	CheckBuildspec: checkVersion,
}

func init() { Version.Check = inline(checkVersion) }

func checkVersion(p *scan.BuildspecPass) {
	v := p.Spec.Version
	switch {
	case v == nil:
		p.Reportf(p.Spec.Start, p.Spec.Start, "version", "buildspec has no version; CodeBuild rejects it (use version: 0.2)")
	case strings.TrimSpace(v.Text) == "0.1":
		p.Reportf(v.Start, v.End, v.Path, "buildspec version 0.1 runs each command in a separate shell, so cd, export and set do not carry over to the next command")
	case strings.TrimSpace(v.Text) != "0.2":
		p.Reportf(v.Start, v.End, v.Path, "buildspec version %q is not one CodeBuild knows (use 0.2)", v.Text)
	}
}
