package codebuild

import (
	"regexp"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// urlCredentials matches a URL with user information (user:password@ or
// token@) before the host.
var urlCredentials = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://[^/@\s]+@`)

// SourceURLCredentials reports source locations that embed credentials.
var SourceURLCredentials = &scan.Rule{
	ID:        "CODEBUILD-007",
	Title:     "CodeBuild source URL contains credentials",
	Severity:  scan.Failure,
	Resources: project,
	Doc: `A source Location such as https://user:token@github.com/acme/app.git
stores the token with the project, in plain text in the template, and in
every build's metadata. AWS recommends never putting credentials in source
URLs (Security Hub control CodeBuild.1); connect the repository with
AWS::CodeBuild::SourceCredential, a CodeConnections connection or
CodePipeline instead. Source and every entry of SecondarySources are
checked, whatever the value's origin (literal, parameter default, Fn::Sub).

Bad:

~~~yaml
Build:
  Type: AWS::CodeBuild::Project
  Properties:
    Source:
      Type: GITHUB
      Location: https://ci-bot:ghp_0123456789@github.com/acme/app.git
~~~

Good:

~~~yaml
Build:
  Type: AWS::CodeBuild::Project
  Properties:
    Source:
      Type: GITHUB
      Location: https://github.com/acme/app.git
~~~
`,
	Fix: "Remove the credentials from the URL; authenticate with AWS::CodeBuild::SourceCredential or a connection.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			srcs := prop.Get(p.Eval, r, "Source")
			srcs = append(srcs, prop.Items(p.Eval, prop.Get(p.Eval, r, "SecondarySources"))...)
			for _, v := range prop.Field(p.Eval, srcs, "Location") {
				s, ok := v.Str()
				if !ok && v.Origin == cfn.Unknown && !v.Absent {
					s = v.Text
				}
				if urlCredentials.MatchString(s) {
					rep.Report(r, v, "CodeBuild source URL contains credentials")
				}
			}
		}
	},
}

// SourceCredentialToken reports source credential tokens written in the
// template.
var SourceCredentialToken = &scan.Rule{
	ID:        "CODEBUILD-008",
	Title:     "CodeBuild source credential token is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::CodeBuild::SourceCredential"},
	Doc: `AWS::CodeBuild::SourceCredential stores the GitHub, GitHub Enterprise
or Bitbucket token CodeBuild uses for every project of the account and
region. Written as a literal or a parameter Default it sits in plain text
in the template and every copy of it; from a parameter without NoEcho it
shows in the console. Use a Secrets Manager dynamic reference (which
CloudFormation resolves here) or a NoEcho parameter without Default.

Bad:

~~~yaml
GitHubCredential:
  Type: AWS::CodeBuild::SourceCredential
  Properties:
    ServerType: GITHUB
    AuthType: PERSONAL_ACCESS_TOKEN
    Token: ghp_0123456789abcdef
~~~

Good:

~~~yaml
GitHubCredential:
  Type: AWS::CodeBuild::SourceCredential
  Properties:
    ServerType: GITHUB
    AuthType: PERSONAL_ACCESS_TOKEN
    Token: "{{resolve:secretsmanager:github:SecretString:token}}"
~~~
`,
	Fix: "Use {{resolve:secretsmanager:...}} or a NoEcho parameter without Default for Token.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "Token") {
				if why := check.CICDSecretProblem(p.Template, v, []string{check.SecretsManager}); why != "" {
					rep.Report(r, v, "Token %s", why)
				}
			}
		}
	},
}

// LoggingDisabled reports projects with every log destination turned off.
var LoggingDisabled = &scan.Rule{
	ID:        "CODEBUILD-009",
	Title:     "CodeBuild project has logging turned off",
	Severity:  scan.Warning,
	Resources: project,
	Doc: `CodeBuild sends build logs to CloudWatch Logs unless
LogsConfig.CloudWatchLogs.Status is DISABLED. With that and no S3 logs
enabled, nothing records what a build ran, so a compromised dependency or a
tampered build cannot be investigated. AWS recommends at least one log
destination (Security Hub control CodeBuild.4).

Bad:

~~~yaml
Build:
  Type: AWS::CodeBuild::Project
  Properties:
    LogsConfig:
      CloudWatchLogs:
        Status: DISABLED
~~~

Good:

~~~yaml
Build:
  Type: AWS::CodeBuild::Project
  Properties:
    LogsConfig:
      CloudWatchLogs:
        Status: ENABLED
        GroupName: !Ref BuildLogs
~~~
`,
	Fix: "Enable LogsConfig.CloudWatchLogs (or S3Logs with Status ENABLED).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			s3On := false
			for _, v := range prop.Get(p.Eval, r, "LogsConfig", "S3Logs", "Status") {
				if s, ok := v.Str(); (ok && s == "ENABLED") || (!v.Absent && v.Origin == cfn.Unknown) {
					s3On = true
				}
			}
			if s3On {
				continue
			}
			for _, v := range prop.Get(p.Eval, r, "LogsConfig", "CloudWatchLogs", "Status") {
				if s, ok := v.Str(); ok && s == "DISABLED" {
					rep.Report(r, v, "CodeBuild project keeps no build logs: CloudWatchLogs Status is DISABLED and S3Logs is not enabled")
				}
			}
		}
	},
}
