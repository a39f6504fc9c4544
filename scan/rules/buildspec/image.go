package buildspec

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// UnpinnedImage reports projects whose build image is :latest or untagged.
var UnpinnedImage = &scan.Rule{
	ID:        "BUILDSPEC-006",
	Title:     "CodeBuild project uses an unpinned build image",
	Severity:  scan.Warning,
	Resources: project,
	Doc: `Environment.Image decides the operating system, tools and runtimes every
build runs with. An image tagged :latest, or a custom image with no tag at
all (which means :latest), changes under the project whenever someone
pushes: builds stop being reproducible, and whoever can push that tag
controls what runs with the build role's permissions. Use a versioned
CodeBuild image (aws/codebuild/standard:7.0) or a custom image by tag or,
better, by digest.

Bad:

~~~yaml
Build:
  Type: AWS::CodeBuild::Project
  Properties:
    Environment:
      Type: LINUX_CONTAINER
      ComputeType: BUILD_GENERAL1_SMALL
      Image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/builder
~~~

Good:

~~~yaml
Build:
  Type: AWS::CodeBuild::Project
  Properties:
    Environment:
      Type: LINUX_CONTAINER
      ComputeType: BUILD_GENERAL1_SMALL
      Image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/builder@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945
~~~
`,
	Fix: "Pin Environment.Image to a versioned tag or an @sha256 digest.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "Environment", "Image") {
				s, ok := v.Str()
				if !ok {
					continue
				}
				if why := unpinned(s); why != "" {
					rep.Report(r, v, "build image %s %s", s, why)
				}
			}
		}
	},
}

// unpinned says why an image reference is not pinned, or "".
func unpinned(image string) string {
	image = strings.TrimSpace(image)
	if image == "" || strings.Contains(image, "@sha256:") || strings.Contains(image, "${") {
		return ""
	}
	last := image[strings.LastIndex(image, "/")+1:]
	_, tag, tagged := strings.Cut(last, ":")
	switch {
	case !tagged:
		return "has no tag, so it means :latest"
	case strings.EqualFold(tag, "latest"):
		return "is tagged :latest"
	}
	return ""
}
