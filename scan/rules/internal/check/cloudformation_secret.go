package check

import (
	"regexp"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// CFNSecretProblem says why a secret value is not kept secret ("is written
// in the template in plain text", "comes from parameter P, which is not
// NoEcho..."), or returns "" when it is: a dynamic reference with one of
// the allowed prefixes, a NoEcho parameter without Default, or a value not
// known before deploy. Unlike Secret's messages, a {{resolve:ssm:...}}
// reference is named as such, and so is an ssm-secure reference where
// CloudFormation does not resolve one. Rules that find secrets in places
// Secret cannot walk to (list items, metadata, name/value lists) use it.
func CFNSecretProblem(t *cfn.Template, v prop.Val, allowed []string) string {
	why := secretProblem(t, v, allowed)
	if why == "" {
		return ""
	}
	if s, ok := v.Str(); ok {
		switch {
		case strings.HasPrefix(s, "{{resolve:ssm:"):
			return "is read from an SSM String parameter ({{resolve:ssm:...}}), which is stored and shown unencrypted"
		case strings.HasPrefix(s, SSMSecure):
			return "uses {{resolve:ssm-secure:...}}, which CloudFormation does not resolve for this property"
		}
	}
	return why
}

// CFNSecret is Secret with CFNSecretProblem's messages: it reports the
// property at path of each resource of the rule's types when its value is
// not kept secret.
func CFNSecret(allowed []string, path ...string) func(*scan.Pass) {
	name := path[len(path)-1]
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, path...) {
				if why := CFNSecretProblem(p.Template, v, allowed); why != "" {
					rep.Report(r, v, "%s %s", name, why)
				}
			}
		}
	}
}

// secretName matches the names of variables that usually hold a secret.
var secretName = regexp.MustCompile(`(?i)(passw|pwd|secret|token|api_?key|apikey|private_?key|access_?key|credential|auth_?key|signing_?key|client_?key)`)

// notSecretSuffix matches names that mention a secret but hold a pointer
// to it or something public about it (SECRET_ARN, DB_PASSWORD_PARAM,
// TOKEN_URL, ACCESS_KEY_ID).
var notSecretSuffix = regexp.MustCompile(`(?i)(arn|name|id|url|uri|endpoint|path|param|parameter|region|file|ttl|expiry|expiration|length|type|header|policy|rotation|version|enabled|count)$`)

// CFNSecretName reports whether an environment variable or setting name
// looks like it holds a secret: it mentions a password, secret, token or
// key, and does not end in a word that makes it a reference to one.
func CFNSecretName(name string) bool {
	if !secretName.MatchString(name) {
		return false
	}
	trimmed := strings.TrimRight(name, "_-0123456789")
	return !notSecretSuffix.MatchString(trimmed)
}
