package codebuild

import (
	"regexp"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

var (
	// secretName matches variable names that usually hold a secret.
	secretName = regexp.MustCompile(`(?i)(passw|pwd|secret|token|api_?key|private_?key|access_?key|credential)`)
	// notSecretName matches names that point at a secret or describe one
	// rather than hold it (DB_PASSWORD_ARN, SECRET_NAME, TOKEN_URL).
	notSecretName = regexp.MustCompile(`(?i)(arn|name|id|url|uri|endpoint|path|param|parameter|region|file|type|header|length|ttl)$`)
	// accessKeyID matches an AWS access key id in a value.
	accessKeyID = regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`)
)

// secretVar reports whether an environment variable name looks like it
// holds a secret. AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are the
// pair Security Hub looks for.
func secretVar(name string) bool {
	switch strings.ToUpper(name) {
	case "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN":
		return true
	}
	return secretName.MatchString(name) && !notSecretName.MatchString(strings.TrimRight(name, "_-0123456789"))
}

// plainSecret says why value v of a PLAINTEXT variable named name exposes
// a secret, or "".
func plainSecret(t *cfn.Template, name string, v prop.Val) string {
	if s, ok := v.Str(); ok {
		s = strings.TrimSpace(s)
		switch {
		case accessKeyID.MatchString(s):
			return "holds an AWS access key id in plain text"
		case !secretVar(name):
			return ""
		case strings.HasPrefix(s, "{{resolve:"):
			return "resolves a secret into a plain-text variable, where the build's console and API show it"
		case len(s) < 4, strings.HasPrefix(s, "arn:"), strings.HasPrefix(s, "/"), strings.HasPrefix(s, "$"):
			return ""
		}
		switch strings.ToLower(s) {
		case "none", "null", "changeme", "true", "false", "todo", "placeholder", "dummy":
			return ""
		}
		return "is written in the template in plain text"
	}
	if !secretVar(name) || v.Absent {
		return ""
	}
	if param, ok := strings.CutPrefix(v.Text, "Ref "); ok && v.Origin == cfn.Unknown && t.Parameter(param) != nil {
		return "holds parameter " + param + " in a plain-text variable, where the build's console and API show it"
	}
	return ""
}

// PlaintextSecretEnv reports environment variables of type PLAINTEXT that
// hold secrets.
var PlaintextSecretEnv = &scan.Rule{
	ID:        "CODEBUILD-006",
	Title:     "CodeBuild environment variable holds a secret in plain text",
	Severity:  scan.Failure,
	Resources: project,
	Doc: `A PLAINTEXT environment variable (the default Type) is stored with
the project and shown to anyone who can view it in the console or call
BatchGetProjects, and it is easily echoed to build logs. AWS recommends
never keeping credentials in plain-text variables (Security Hub control
CodeBuild.2, which looks for AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).
Use Type SECRETS_MANAGER or PARAMETER_STORE: CodeBuild then fetches the
value at build time and masks it in logs.

A variable is reported when its value contains an AWS access key id, or
when its name looks like a secret (PASSWORD, SECRET, TOKEN, API_KEY,
PRIVATE_KEY, ACCESS_KEY, CREDENTIAL...; not names ending in ARN, NAME, ID,
URL, PATH...) and its value is a literal, a parameter (NoEcho only hides it
from the stack, not from the project) or a dynamic reference (resolved into
the plain-text value). ARNs, SSM paths and placeholders are not reported.

Bad:

~~~yaml
Build:
  Type: AWS::CodeBuild::Project
  Properties:
    Environment:
      Type: LINUX_CONTAINER
      ComputeType: BUILD_GENERAL1_SMALL
      Image: aws/codebuild/standard:7.0
      EnvironmentVariables:
        - Name: NPM_TOKEN
          Value: npm_0123456789abcdef
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
      EnvironmentVariables:
        - Name: NPM_TOKEN
          Type: SECRETS_MANAGER
          Value: npm-token:SecretString:token
~~~
`,
	Fix: "Store the secret in Secrets Manager or SSM Parameter Store and use Type SECRETS_MANAGER or PARAMETER_STORE.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, ev := range prop.Items(p.Eval, prop.Get(p.Eval, r, "Environment", "EnvironmentVariables")) {
				plain := false
				for _, t := range prop.Field(p.Eval, []prop.Val{ev}, "Type") {
					if s, ok := t.Str(); t.Absent || (ok && s == "PLAINTEXT") {
						plain = true
					}
				}
				if !plain {
					continue
				}
				for _, n := range prop.Field(p.Eval, []prop.Val{ev}, "Name") {
					name, _ := n.Str()
					for _, v := range prop.Field(p.Eval, []prop.Val{ev}, "Value") {
						if !prop.Compatible(n.Conds, v.Conds) {
							continue
						}
						if why := plainSecret(p.Template, name, v); why != "" {
							rep.Report(r, v, "environment variable %s %s", name, why)
						}
					}
				}
			}
		}
	},
}
