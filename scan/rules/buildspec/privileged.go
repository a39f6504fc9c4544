package buildspec

import (
	"regexp"

	bs "github.com/safetynet-dev/safetynet/buildspec"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// needsDaemon matches commands that use the Docker daemon, or may: a
// script or make target can build an image out of sight, and tools such as
// SAM and the CDK build in containers.
var needsDaemon = regexp.MustCompile(`(?i)\b(docker|docker-compose|buildah|podman|kaniko|dockerd|nerdctl|finch|skaffold|earthly|make|sam|cdk|pack)\b|--use-container|\.sh\b|^\s*(bash|sh)\s`)

// PrivilegedWithoutImageBuild reports privileged projects whose inline
// buildspec builds no container image.
var PrivilegedWithoutImageBuild = &scan.Rule{
	ID:        "BUILDSPEC-004",
	Title:     "CodeBuild project runs privileged but its buildspec builds no image",
	Severity:  scan.Warning,
	Resources: project,
	Doc: `Environment.PrivilegedMode gives the build root access to the host's
Docker daemon, which a build needs only to build or run container images.
When the project's own buildspec runs no docker, buildah or podman command
(nor a script, make target or tool such as SAM or the CDK that might build
one), the privilege is unused: it only lets a compromised dependency or a
malicious pull request escape the build container. Turn it off.

The rule reads buildspecs written inline in Source.BuildSpec; a project
whose buildspec is a file in the source is not judged. CODEBUILD-002 reports
every privileged project; this rule says which ones have no reason to be.

Bad:

~~~yaml
Build:
  Type: AWS::CodeBuild::Project
  Properties:
    Environment:
      Type: LINUX_CONTAINER
      ComputeType: BUILD_GENERAL1_SMALL
      Image: aws/codebuild/standard:7.0
      PrivilegedMode: true
    Source:
      Type: CODEPIPELINE
      BuildSpec: |
        version: 0.2
        phases:
          build:
            commands:
              - npm ci
              - npm test
~~~

Good:

~~~yaml
Build:
  Type: AWS::CodeBuild::Project
  Properties:
    Environment:
      Type: LINUX_CONTAINER
      ComputeType: BUILD_GENERAL1_SMALL
      Image: aws/codebuild/standard:7.0
      PrivilegedMode: false
    Source:
      Type: CODEPIPELINE
      BuildSpec: |
        version: 0.2
        phases:
          build:
            commands:
              - npm ci
              - npm test
~~~
`,
	Fix: "Set Environment.PrivilegedMode to false, or keep it only on a project whose buildspec builds images.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			var privileged []prop.Val
			for _, v := range prop.Get(p.Eval, r, "Environment", "PrivilegedMode") {
				if v.True() {
					privileged = append(privileged, v)
				}
			}
			if len(privileged) == 0 {
				continue
			}
			spec := readInline(p, r).spec
			if spec == nil || usesDaemon(spec) {
				continue
			}
			for _, v := range privileged {
				rep.Report(r, v, "%s runs privileged, but no command of its inline buildspec builds or runs a container image", r.ID)
			}
		}
	},
}

func usesDaemon(s *bs.Spec) bool {
	for _, ph := range s.Phases {
		for _, l := range phaseLines(ph) {
			if needsDaemon.MatchString(l.text) {
				return true
			}
		}
	}
	return false
}
