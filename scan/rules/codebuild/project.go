package codebuild

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/buildspec"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// project is the resource type most rules here inspect.
var project = []string{"AWS::CodeBuild::Project"}

// reportTrue returns a check reporting each possible value at the given
// paths (a path's list steps written as "[]") that is true.
func reportTrue(what string, paths ...[]string) func(*scan.Pass) {
	return func(p *scan.Pass) { reportTrueIn(p, p.Resources(), what, paths...) }
}

// reportTrueIn is reportTrue over the given resources.
func reportTrueIn(p *scan.Pass, resources []*cfn.Resource, what string, paths ...[]string) {
	rep := prop.NewReporter(p)
	for _, r := range resources {
		for _, path := range paths {
			vals := prop.Properties(p.Eval, r)
			for _, k := range path {
				if k == "[]" {
					vals = prop.Items(p.Eval, vals)
					continue
				}
				vals = prop.Field(p.Eval, vals, k)
			}
			for _, v := range vals {
				if v.True() {
					rep.Report(r, v, "%s: %s", what, v.State(path[len(path)-1]))
				}
			}
		}
	}
}

// EncryptionKeyNotSet reports projects without a customer managed key.
var EncryptionKeyNotSet = &scan.Rule{
	ID:        "CODEBUILD-001",
	Aliases:   []string{"W32"},
	Title:     "CodeBuild project does not set an EncryptionKey",
	Severity:  scan.Warning,
	Resources: project,
	Doc: `Without EncryptionKey, CodeBuild encrypts build artifacts with the AWS
managed key aws/s3, whose policy you cannot change: roles in other accounts
cannot decrypt the artifacts (cross-account pipelines break), and there is
no separate control over who may read build outputs. Name a customer
managed KMS key.

Bad:

~~~yaml
Build:
  Type: AWS::CodeBuild::Project
  Properties:
    ServiceRole: !GetAtt BuildRole.Arn
    Artifacts: {Type: CODEPIPELINE}
    Environment: {Type: LINUX_CONTAINER, ComputeType: BUILD_GENERAL1_SMALL, Image: aws/codebuild/standard:7.0}
    Source: {Type: CODEPIPELINE}
~~~

Good:

~~~yaml
Build:
  Type: AWS::CodeBuild::Project
  Properties:
    ServiceRole: !GetAtt BuildRole.Arn
    EncryptionKey: !GetAtt ArtifactKey.Arn
    Artifacts: {Type: CODEPIPELINE}
    Environment: {Type: LINUX_CONTAINER, ComputeType: BUILD_GENERAL1_SMALL, Image: aws/codebuild/standard:7.0}
    Source: {Type: CODEPIPELINE}
~~~
`,
	Fix: "Set EncryptionKey to the ARN of a customer managed KMS key.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "EncryptionKey") {
				if v.Absent {
					rep.Report(r, v, "CodeBuild project does not set an EncryptionKey: build artifacts use the AWS managed key")
				}
			}
		}
	},
}

// PrivilegedMode reports projects whose build containers run privileged.
var PrivilegedMode = &scan.Rule{
	ID:        "CODEBUILD-002",
	Title:     "CodeBuild project runs builds in privileged mode",
	Severity:  scan.Warning,
	Resources: project,
	Doc: `PrivilegedMode gives the build container root access to the host's
Docker daemon. Any code the build runs (a dependency's install script, a
pull request from a fork) can then escape the container, read other
processes' credentials and tamper with the images the pipeline ships. AWS
recommends enabling it only for projects that build Docker images (Security
Hub control CodeBuild.5); those deserve a suppression saying so. A project
whose buildspec is written inline, and readable, is left to BUILDSPEC-004,
which reads the buildspec and reports privileged mode only when no command
needs Docker.

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
~~~
`,
	Fix: "Remove PrivilegedMode unless the project builds Docker images (then suppress with that reason).",
	Check: func(p *scan.Pass) {
		// A project whose buildspec is written inline (and readable) is
		// judged by BUILDSPEC-004, which reads the buildspec and speaks
		// only when no command needs the Docker daemon; reporting it here
		// too would say the same thing twice, or cry wolf over a real
		// image build.
		var outside []*cfn.Resource
		for _, r := range p.Resources() {
			if !buildspec.JudgesPrivilege(p, r) {
				outside = append(outside, r)
			}
		}
		reportTrueIn(p, outside, "CodeBuild project runs builds in privileged mode", []string{"Environment", "PrivilegedMode"})
	},
}

// ArtifactsUnencrypted reports projects whose artifacts are stored
// unencrypted.
var ArtifactsUnencrypted = &scan.Rule{
	ID:        "CODEBUILD-003",
	Title:     "CodeBuild project stores artifacts unencrypted",
	Severity:  scan.Warning,
	Resources: project,
	Doc: `EncryptionDisabled: true on Artifacts (or on an entry of
SecondaryArtifacts) stores build outputs in S3 without encryption. Build
outputs carry compiled code, configuration and often credentials meant for
the deploy step; AWS recommends keeping them encrypted (Security Hub
control CodeBuild.7 covers the same for report exports). Artifacts read by
a static website host are the usual exception.

Bad:

~~~yaml
Build:
  Type: AWS::CodeBuild::Project
  Properties:
    Artifacts:
      Type: S3
      Location: !Ref Artifacts
      EncryptionDisabled: true
~~~

Good:

~~~yaml
Build:
  Type: AWS::CodeBuild::Project
  Properties:
    EncryptionKey: !GetAtt ArtifactKey.Arn
    Artifacts:
      Type: S3
      Location: !Ref Artifacts
~~~
`,
	Fix: "Remove EncryptionDisabled (or set it false) and set EncryptionKey.",
	Check: reportTrue("CodeBuild project stores artifacts unencrypted",
		[]string{"Artifacts", "EncryptionDisabled"},
		[]string{"SecondaryArtifacts", "[]", "EncryptionDisabled"}),
}

// S3LogsUnencrypted reports projects writing build logs to S3 unencrypted.
var S3LogsUnencrypted = &scan.Rule{
	ID:        "CODEBUILD-004",
	Title:     "CodeBuild project writes S3 logs unencrypted",
	Severity:  scan.Warning,
	Resources: project,
	Doc: `Build logs echo commands, environment and tool output, and too
often a secret. With LogsConfig.S3Logs.EncryptionDisabled true they are
stored in S3 unencrypted; AWS recommends encrypted S3 logs (Security Hub
control CodeBuild.3).

Bad:

~~~yaml
Build:
  Type: AWS::CodeBuild::Project
  Properties:
    LogsConfig:
      S3Logs:
        Status: ENABLED
        Location: !Sub ${BuildLogs}/build
        EncryptionDisabled: true
~~~

Good:

~~~yaml
Build:
  Type: AWS::CodeBuild::Project
  Properties:
    LogsConfig:
      S3Logs:
        Status: ENABLED
        Location: !Sub ${BuildLogs}/build
~~~
`,
	Fix:   "Remove LogsConfig.S3Logs.EncryptionDisabled (or set it false).",
	Check: reportTrue("CodeBuild project writes S3 logs unencrypted", []string{"LogsConfig", "S3Logs", "EncryptionDisabled"}),
}

// ReportExportUnencrypted reports report groups exporting unencrypted.
var ReportExportUnencrypted = &scan.Rule{
	ID:        "CODEBUILD-005",
	Title:     "CodeBuild report group exports unencrypted",
	Severity:  scan.Warning,
	Resources: []string{"AWS::CodeBuild::ReportGroup"},
	Doc: `Test and coverage reports name internal code paths and sometimes
echo test data. With ExportConfig.S3Destination.EncryptionDisabled true
they are exported to S3 unencrypted; AWS recommends encrypted exports
(Security Hub control CodeBuild.7).

Bad:

~~~yaml
Reports:
  Type: AWS::CodeBuild::ReportGroup
  Properties:
    Type: TEST
    ExportConfig:
      ExportConfigType: S3
      S3Destination:
        Bucket: !Ref ReportBucket
        EncryptionDisabled: true
~~~

Good:

~~~yaml
Reports:
  Type: AWS::CodeBuild::ReportGroup
  Properties:
    Type: TEST
    ExportConfig:
      ExportConfigType: S3
      S3Destination:
        Bucket: !Ref ReportBucket
        EncryptionKey: !GetAtt ReportKey.Arn
~~~
`,
	Fix:   "Remove S3Destination.EncryptionDisabled and set EncryptionKey.",
	Check: reportTrue("CodeBuild report group exports unencrypted", []string{"ExportConfig", "S3Destination", "EncryptionDisabled"}),
}
