package buildspec

import (
	"regexp"
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
)

var (
	// secretName matches variable names that usually hold a secret.
	secretName = regexp.MustCompile(`(?i)(passw|pwd|secret|token|api_?key|private_?key|access_?key|credential)`)
	// notSecretName matches names that point at or describe a secret
	// rather than hold it (DB_PASSWORD_ARN, SECRET_NAME, TOKEN_URL).
	notSecretName = regexp.MustCompile(`(?i)(arn|name|id|url|uri|endpoint|path|param|parameter|region|file|type|header|length|ttl)$`)
	// secretValue matches values that are credentials whatever their
	// variable is called, and says what they are.
	secretValues = []struct {
		re   *regexp.Regexp
		what string
	}{
		{regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`), "an AWS access key id"},
		{regexp.MustCompile(`\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{22,}`), "a GitHub token"},
		{regexp.MustCompile(`\bxox[abprs]-[A-Za-z0-9-]{10,}`), "a Slack token"},
		{regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`), "a private key"},
	}
)

// secretVar reports whether a variable name looks like it holds a secret.
func secretVar(name string) bool {
	switch strings.ToUpper(name) {
	case "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN":
		return true
	}
	return secretName.MatchString(name) && !notSecretName.MatchString(strings.TrimRight(name, "_-0123456789"))
}

// placeholder reports whether a value is obviously not a secret: empty,
// a reference to another variable, a path or ARN, or a stand-in word.
func placeholder(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 4 || strings.HasPrefix(s, "$") || strings.HasPrefix(s, "arn:") || strings.HasPrefix(s, "/") {
		return true
	}
	switch strings.ToLower(s) {
	case "none", "null", "changeme", "true", "false", "todo", "placeholder", "dummy", "unset":
		return true
	}
	return false
}

// PlaintextSecret reports secrets written in a buildspec's env.variables.
var PlaintextSecret = &scan.Rule{
	ID:        "BUILDSPEC-003",
	Title:     "Buildspec holds a secret in a plain-text variable",
	Severity:  scan.Failure,
	Resources: project,
	Doc: `Values under env.variables are plain text: they live in the repository
(or in the project's configuration for an inline buildspec), in every clone
and fork, and CodeBuild does not mask them in build logs. Secrets belong
under env.parameter-store (a SecureString parameter) or
env.secrets-manager, which CodeBuild fetches when the build starts and masks
in its logs; the build role needs read access to just those secrets.

A variable is reported when its value looks like a credential (an AWS
access key id AKIA.../ASIA..., a GitHub token ghp_..., a Slack token
xox..., a private key) or when its name looks like a secret (PASSWORD,
SECRET, TOKEN, API_KEY, PRIVATE_KEY, ACCESS_KEY, CREDENTIAL,
AWS_SECRET_ACCESS_KEY; not names ending in ARN, NAME, ID, URL, PATH...)
and its value is not a placeholder or a reference. The value is never
shown in the finding.

Bad:

~~~yaml
version: 0.2
env:
  variables:
    DB_PASSWORD: hunter2-but-longer
~~~

Good:

~~~yaml
version: 0.2
env:
  secrets-manager:
    DB_PASSWORD: prod/db:password
~~~
`,
	Fix:            "Move the secret to env.secrets-manager or env.parameter-store (SecureString), rotate it, and remove it from history.",
	CheckBuildspec: checkPlaintextSecret,
}

func init() { PlaintextSecret.Check = inline(checkPlaintextSecret) }

func checkPlaintextSecret(p *scan.BuildspecPass) {
	if p.Spec.Env == nil {
		return
	}
	for _, v := range p.Spec.Env.Variables {
		why := ""
		for _, sv := range secretValues {
			if sv.re.MatchString(v.Value.Text) {
				why = "holds " + sv.what
				break
			}
		}
		if why == "" && secretVar(v.Name) && !placeholder(v.Value.Text) {
			why = "looks like a secret by its name"
		}
		if why != "" {
			p.Reportf(v.Value.Start, v.Value.End, v.Value.Path, "env.variables.%s %s, written in plain text (value not shown)", v.Name, why)
		}
	}
}
