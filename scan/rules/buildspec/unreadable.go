package buildspec

import (
	"errors"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
)

// UnreadableInline reports inline buildspecs CodeBuild cannot read.
var UnreadableInline = &scan.Rule{
	ID:        "BUILDSPEC-008",
	Title:     "CodeBuild project's inline buildspec cannot be read",
	Severity:  scan.Warning,
	Resources: project,
	Doc: `CloudFormation accepts any string as Source.BuildSpec; CodeBuild reads
it only when a build starts, and fails that build with YAML_FILE_ERROR if
the text is not valid YAML, or a command is not a string. The classic
cause is an unquoted command containing ": " (` + "`- echo Result: done`" + `),
which YAML reads as a mapping. The stack deploys, and the pipeline breaks
on its next run. (A buildspec file with the same mistakes is reported as an
error of the scan.)

Bad:

~~~yaml
Build:
  Type: AWS::CodeBuild::Project
  Properties:
    Source:
      Type: CODEPIPELINE
      BuildSpec: |
        version: 0.2
        phases:
          build:
            commands:
              - echo Build: starting
~~~

Good:

~~~yaml
Build:
  Type: AWS::CodeBuild::Project
  Properties:
    Source:
      Type: CODEPIPELINE
      BuildSpec: |
        version: 0.2
        phases:
          build:
            commands:
              - 'echo Build: starting'
~~~
`,
	Fix: "Correct the YAML of the inline buildspec; quote commands that contain \": \".",
	Check: func(p *scan.Pass) {
		for _, r := range p.Resources() {
			in := readInline(p, r)
			var ce *cfn.Error
			switch {
			case errors.As(in.err, &ce):
				at := &cfn.Node{Start: cfn.Pos{Line: ce.Line, Col: ce.Col}}
				if ce.Line == 0 {
					at = in.at
				}
				p.Reportf(r, at, buildSpecPath, "inline buildspec of %s: %s", r.ID, strings.Replace(ce.Msg, "invalid YAML in buildspec", "invalid YAML", 1))
			case in.err != nil:
				p.Reportf(r, in.at, buildSpecPath, "inline buildspec of %s cannot be read: %v", r.ID, in.err)
			case in.spec != nil:
				for _, pr := range in.spec.Problems {
					p.Reportf(r, &cfn.Node{Start: cfn.Pos{Line: pr.Line, Col: pr.Col}}, buildSpecPath, "inline buildspec of %s: %s", r.ID, pr.Msg)
				}
			}
		}
	},
}
